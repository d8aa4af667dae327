"""Files named on the command line (excluded ones too, unless `force-exclude`), and where the cache
lives: one per workspace root, wherever the paths point, moved by `--cache-dir`, `SSOT_LSP_CACHE_DIR`
or `cache-dir`. Each behaviour has a variant that must not change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ssot_lsp import __version__
from ssot_lsp.core.cache import FACTS_FORMAT
from tests.cli.conftest import base_env

SYNC_RUNNER = "netra_backend/app/services/sync_runner.py"
BACKUP = "backups/2025-09-12/" + SYNC_RUNNER
ROUTES = "netra_backend/app/routes/agent_routes.py"


def paths_reported(ssot, root: Path, *args: str, env=None) -> set[str]:
    run = ssot("check", "--format", "json", "--no-cache", *args, cwd=root, env=env)
    assert run.returncode in (0, 1), run.stderr
    return {v["path"] for v in json.loads(run.stdout)["violations"]}


@pytest.fixture
def with_backup(demo: Path) -> Path:
    shutil.copytree(demo / "netra_backend", demo / "backups" / "2025-09-12" / "netra_backend")
    return demo


# -- files named explicitly ---------------------------------------------------------------------------

def test_an_excluded_file_named_explicitly_is_analysed(ssot, with_backup):
    assert paths_reported(ssot, with_backup, BACKUP, SYNC_RUNNER) == {BACKUP, SYNC_RUNNER}


def test_force_exclude_option_leaves_excluded_files_out(ssot, with_backup):
    assert paths_reported(ssot, with_backup, "--force-exclude", BACKUP, SYNC_RUNNER) == {SYNC_RUNNER}


def test_force_exclude_setting_leaves_excluded_files_out(ssot, with_backup):
    (with_backup / "pyproject.toml").write_text('[tool.ssot-lsp]\nprofile = "netra"\nforce-exclude = true\n')
    assert paths_reported(ssot, with_backup, BACKUP, SYNC_RUNNER) == {SYNC_RUNNER}


def test_force_exclude_keeps_files_that_are_not_excluded(ssot, with_backup):
    assert paths_reported(ssot, with_backup, "--force-exclude", SYNC_RUNNER, ROUTES) == \
        paths_reported(ssot, with_backup, SYNC_RUNNER, ROUTES) == {SYNC_RUNNER, ROUTES}


def test_only_excluded_files_with_force_exclude_is_a_clean_run_that_says_so(ssot, with_backup):
    run = ssot("check", "--force-exclude", "--no-cache", BACKUP, cwd=with_backup)
    assert run.returncode == 0
    assert "no Python files to check" in run.stderr and BACKUP in run.stderr


def test_force_exclude_applies_to_fix(ssot, with_backup):
    fixable = "backups/2025-09-12/netra_backend/app/services/pipeline_runner.py"
    before = (with_backup / fixable).read_text()
    run = ssot("fix", "--force-exclude", "--unsafe-fixes", fixable, cwd=with_backup)
    assert run.returncode == 0, run.stderr
    assert (with_backup / fixable).read_text() == before
    run = ssot("fix", "--unsafe-fixes", fixable, cwd=with_backup)
    assert (with_backup / fixable).read_text() != before, run.stdout + run.stderr


def test_show_settings_says_where_force_exclude_came_from(ssot, demo):
    run = ssot("check", "--show-settings", "--force-exclude", cwd=demo)
    assert "force-exclude = true" in run.stdout and "--force-exclude (command line)" in run.stdout
    assert "force-exclude = false" in ssot("check", "--show-settings", cwd=demo).stdout


# -- the cache ----------------------------------------------------------------------------------------

def cache_dirs(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir() and p.name == ".ssot-cache")


def test_files_named_in_subfolders_use_the_roots_cache(ssot, demo):
    run = ssot("check", SYNC_RUNNER, ROUTES, cwd=demo)
    assert run.returncode == 1, run.stderr
    ssot("check", "netra_backend/app/routes", cwd=demo)
    assert cache_dirs(demo) == [".ssot-cache"]
    cache = demo / ".ssot-cache"
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert len(list(cache.glob("facts-*.pickle"))) == 1


def test_a_run_from_a_subfolder_uses_the_roots_cache(ssot, demo):
    (demo / ".git").mkdir()
    ssot("check", ".", cwd=demo / "netra_backend" / "app" / "routes")
    assert cache_dirs(demo) == [".ssot-cache"]


def test_cache_dir_option_moves_the_cache(ssot, demo, tmp_path):
    elsewhere = tmp_path / "caches" / "ssot"
    run = ssot("check", "--cache-dir", str(elsewhere), "--format", "json", SYNC_RUNNER, cwd=demo)
    assert cache_dirs(demo) == []
    assert len(list(elsewhere.glob("facts-*.pickle"))) == 1
    warm = ssot("check", "--cache-dir", str(elsewhere), "--format", "json", SYNC_RUNNER, cwd=demo)
    assert warm.stdout == run.stdout


def test_cache_environment_variable_moves_the_cache(ssot, demo, tmp_path):
    elsewhere = tmp_path / "env-cache"
    ssot("check", cwd=demo, env=base_env(SSOT_LSP_CACHE_DIR=str(elsewhere)))
    assert cache_dirs(demo) == [] and len(list(elsewhere.glob("facts-*.pickle"))) == 1
    # the option wins over the variable
    option = tmp_path / "option-cache"
    ssot("check", "--cache-dir", str(option), cwd=demo, env=base_env(SSOT_LSP_CACHE_DIR=str(elsewhere)))
    assert len(list(option.glob("facts-*.pickle"))) == 1


def test_cache_dir_setting_is_relative_to_the_root(ssot, demo):
    (demo / "pyproject.toml").write_text('[tool.ssot-lsp]\nprofile = "netra"\ncache-dir = "build/ssot"\n')
    ssot("check", SYNC_RUNNER, cwd=demo)
    assert cache_dirs(demo) == [] and len(list((demo / "build" / "ssot").glob("facts-*.pickle"))) == 1
    settings = json.loads(ssot("check", "--show-settings", "--format", "json", cwd=demo).stdout)
    assert settings["cache-dir"] == "build/ssot"
    assert settings["resolved-cache-dir"] == str(demo.resolve() / "build" / "ssot")


def test_no_cache_writes_no_cache_anywhere(ssot, demo):
    ssot("check", "--no-cache", SYNC_RUNNER, ROUTES, cwd=demo)
    assert cache_dirs(demo) == []


def test_caches_of_other_versions_are_removed_and_ours_kept(ssot, demo):
    cache = demo / ".ssot-cache"
    cache.mkdir()
    old = cache / "facts-0.0.1-f1-abc.pickle"
    old.write_bytes(b"old")
    other_configuration = cache / f"facts-{__version__}-f{FACTS_FORMAT}-0123456789abcdef012345.pickle"
    other_configuration.write_bytes(b"another configuration")
    ssot("check", cwd=demo)
    assert not old.exists() and other_configuration.exists()


@pytest.mark.parametrize("where", [".", "netra_backend"])
def test_a_cache_in_a_directory_of_the_users_gets_no_gitignore(ssot, demo, where):
    # a `.gitignore` of `*` there would hide the user's own files from git (and the walk)
    before = paths_reported(ssot, demo)
    run = ssot("check", "--cache-dir", where, "--format", "json", cwd=demo)
    assert run.returncode == 1, run.stderr
    assert list((demo / where).glob("facts-*.pickle"))
    assert not (demo / where / ".gitignore").exists() and not (demo / where / "CACHEDIR.TAG").exists()
    assert paths_reported(ssot, demo, "--cache-dir", where) == before


def test_an_existing_empty_or_cache_only_directory_gets_the_markers(ssot, demo, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    ssot("check", "--cache-dir", str(empty), cwd=demo)
    assert (empty / ".gitignore").read_text().splitlines()[-1] == "*" and (empty / "CACHEDIR.TAG").exists()
