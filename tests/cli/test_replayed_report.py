"""A warm `check` replays what the same command printed on the same tree (``cli/replay.py``).

A replayed run must be indistinguishable from a run without the cache — report, stderr, exit code —
and never answer one command with another's output. The stale-answer tests plant a marker in the
stored reports (``plant_in_reports``) and change one thing the output depends on: the marker must
not appear. What invalidates the stored findings too (files, configuration) is in
``test_findings_cache.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import LEGACY_CALLER, SMALL_CONFIG, base_env
from tests.cli.test_findings_cache import MARKER, plant_in_reports

# one entry the workspace does not contain: its warning goes to stderr on every run
STALE_CONFIG = SMALL_CONFIG.replace('legacy-modules = ["app.old_engine"]',
                                    'legacy-modules = ["app.old_engine", "app.gone_engine"]')

VARIANTS = [
    ("--format", "text"),
    ("--format", "text", "--statistics"),
    ("--format", "text", "--no-summary"),
    ("--format", "text", "--color", "always"),
    ("--format", "json"),
    ("--format", "json", "--statistics"),
    ("--format", "sarif"),
    ("--format", "github"),
    ("--format", "json", "--exit-zero"),
]


@pytest.fixture
def workspace(small) -> Path:
    return small({"app/caller.py": LEGACY_CALLER, "app/broken.py": "def f(:\n"}, config=STALE_CONFIG)


def _reports(root: Path) -> list[Path]:
    return sorted((root / ".ssot-cache").glob("findings-*.out-*"))


@pytest.mark.parametrize("args", VARIANTS, ids=[" ".join(a) for a in VARIANTS])
def test_a_replayed_run_prints_what_a_run_without_cache_prints(ssot, workspace, args):
    cold = ssot("check", *args, "--no-cache", cwd=workspace)
    filled = ssot("check", *args, cwd=workspace)
    assert len(_reports(workspace)) == 1
    warm = ssot("check", *args, cwd=workspace)
    assert "app.gone_engine" in cold.stderr and cold.stdout
    assert (warm.returncode, warm.stdout, warm.stderr) == (filled.returncode, filled.stdout, filled.stderr) \
        == (cold.returncode, cold.stdout, cold.stderr)


def test_a_replayed_run_writes_its_output_file(ssot, workspace):
    cold = ssot("check", "--format", "sarif", "--no-cache", cwd=workspace)
    for _ in range(2):
        (workspace / "out.sarif").unlink(missing_ok=True)
        run = ssot("check", "--format", "sarif", "-o", "out.sarif", cwd=workspace)
        assert run.stdout == "" and run.returncode == cold.returncode
        assert (workspace / "out.sarif").read_text() == cold.stdout
    assert len(_reports(workspace)) == 1


def _filled(ssot, root: Path, *args: str) -> None:
    ssot("check", "--format", "json", "--exit-zero", *args, cwd=root)
    plant_in_reports(root)


def _planted(run) -> bool:
    return MARKER in run.stdout


def test_the_same_command_is_answered_from_the_stored_report(ssot, workspace):
    _filled(ssot, workspace)
    assert _planted(ssot("check", "--format", "json", "--exit-zero", cwd=workspace))


@pytest.mark.parametrize("args", [("--statistics",), ("--no-baseline",)])
def test_another_option_is_not_answered_with_the_stored_report(ssot, workspace, args):
    _filled(ssot, workspace)
    run = ssot("check", "--format", "json", "--exit-zero", *args, cwd=workspace)
    assert run.returncode == 0 and not _planted(run)


def test_without_exit_zero_the_exit_code_is_not_the_stored_one(ssot, workspace):
    _filled(ssot, workspace)
    run = ssot("check", "--format", "json", cwd=workspace)
    assert run.returncode == 1 and not _planted(run)


def test_another_current_directory_is_not_answered_with_the_stored_report(ssot, workspace):
    # paths are shown relative to the current directory
    _filled(ssot, workspace)
    run = ssot("check", "--format", "json", "--exit-zero", cwd=workspace / "app")
    assert not _planted(run) and {v["path"] for v in json.loads(run.stdout)["violations"]} >= {"caller.py"}


def test_colour_forced_by_the_environment_is_not_answered_with_the_plain_report(ssot, workspace):
    ssot("check", "--format", "text", cwd=workspace)
    plain = ssot("check", "--format", "text", cwd=workspace)
    coloured = ssot("check", "--format", "text", cwd=workspace, env=base_env(FORCE_COLOR="1"))
    assert "\x1b[" not in plain.stdout and "\x1b[" in coloured.stdout


def test_a_new_baseline_is_not_answered_with_the_stored_report(ssot, workspace):
    _filled(ssot, workspace)
    assert ssot("baseline", cwd=workspace).returncode == 0
    run = ssot("check", "--format", "json", "--exit-zero", cwd=workspace)
    assert not _planted(run) and json.loads(run.stdout)["violations"] == []


def test_an_edited_baseline_is_not_answered_with_the_stored_report(ssot, workspace):
    assert ssot("baseline", cwd=workspace).returncode == 0
    _filled(ssot, workspace)
    baseline = workspace / ".ssot-baseline.json"
    recorded = json.loads(baseline.read_text())
    baseline.write_text(json.dumps({**recorded, "files": {}}))
    run = ssot("check", "--format", "json", "--exit-zero", cwd=workspace)
    assert not _planted(run) and json.loads(run.stdout)["violations"]


def test_update_baseline_is_never_replayed(ssot, workspace):
    assert ssot("baseline", cwd=workspace).returncode == 0
    for _ in range(2):
        run = ssot("check", "--format", "json", "--update-baseline", cwd=workspace)
        assert run.returncode == 0 and "baseline" in run.stderr
    assert _reports(workspace) == []
