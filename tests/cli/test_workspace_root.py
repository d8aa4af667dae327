"""The workspace root of the paths a command is given: a path is checked as part of its workspace.

`check DIR` from the root reports exactly what `check .` reports for DIR (knowing the whole
workspace), for folders, test folders, single files, several paths and standard input; "nothing
to check" is said only when it is true.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.cli.conftest import DEMO, REPO

LEGACY_IMPORT = "from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine\n"
SYNC_RUNNER = "netra_backend/app/services/sync_runner.py"


def findings(ssot, cwd: Path, *args: str) -> list[dict]:
    run = ssot("check", "--format", "json", "--no-cache", *args, cwd=cwd)
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)["violations"]


def restricted(violations: list[dict], *prefixes: str) -> list[dict]:
    return [v for v in violations if any(v["path"] == p or v["path"].startswith(p.rstrip("/") + "/")
                                         for p in prefixes)]


def test_a_folder_from_the_root_reports_what_the_whole_run_reports_for_it(ssot, demo):
    everything = findings(ssot, demo)
    folder = findings(ssot, demo, "netra_backend/app/services")
    assert folder == restricted(everything, "netra_backend/app/services")
    assert len(folder) >= 10


def test_the_test_folder_is_checked_against_the_whole_workspace(ssot, demo):
    everything = findings(ssot, demo)
    tests = findings(ssot, demo, "tests/")
    assert tests == restricted(everything, "tests")
    # the test files import legacy names through re-exports defined in netra_backend/: that
    # knowledge only comes from the whole workspace
    assert {v["code"] for v in tests} >= {"SSOT001"}


def test_a_single_file_and_several_paths(ssot, demo):
    everything = findings(ssot, demo)
    assert findings(ssot, demo, SYNC_RUNNER) == restricted(everything, SYNC_RUNNER)
    several = findings(ssot, demo, SYNC_RUNNER, "netra_backend/app/routes", "tests")
    assert several == restricted(everything, SYNC_RUNNER, "netra_backend/app/routes", "tests")


def seen_from(violations: list[dict], prefix: str) -> list[dict]:
    """Findings as a run from ``prefix`` (a subdirectory) shows them: paths relative to it."""
    def moved(path: str) -> str:
        return path[len(prefix):] if path.startswith(prefix) else "../" * prefix.count("/") + path

    return [dict(v, path=moved(v["path"]), related=[dict(r, path=moved(r["path"])) for r in v["related"]])
            for v in violations]


def test_the_whole_run_is_unchanged_by_naming_the_root(ssot, demo):
    everything = findings(ssot, demo)
    assert findings(ssot, demo, ".") == everything
    from_above = findings(ssot, demo.parent, "demo")
    assert seen_from(from_above, "demo/") == everything


def test_a_subfolder_run_from_inside_it_finds_the_root_up_to_the_repository(ssot, demo):
    (demo / ".git").mkdir()
    everything = findings(ssot, demo)
    inside = demo / "netra_backend" / "app"
    here = findings(ssot, inside, ".")
    assert here == seen_from(restricted(everything, "netra_backend/app"), "netra_backend/app/")
    assert here


def test_without_version_control_the_search_stops_at_the_current_directory(ssot, demo):
    # run from inside netra_backend/ with no repository around it: the profile's modules are not
    # below the current directory, and nothing says to look above it; what is found is reported,
    # with a warning that findings needing the profile's modules are missing
    run = ssot("check", ".", "--no-cache", cwd=demo / "netra_backend")
    assert run.returncode == 1
    assert f"none of the built-in profile's modules are in {(demo / 'netra_backend').resolve()}" in run.stderr
    assert "findings that need them are missing" in run.stderr
    assert "nothing to check" not in run.stderr


def test_the_project_is_found_below_the_repository_root(ssot, demo, tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    shutil.move(str(demo), repo / "backend")
    everything = findings(ssot, repo / "backend")
    here = findings(ssot, repo / "backend" / "netra_backend", ".")
    assert len(here) == len(restricted(everything, "netra_backend")) > 0


def test_stdin_is_checked_as_a_file_of_its_workspace(ssot, demo):
    text = (demo / SYNC_RUNNER).read_text()
    on_disk = findings(ssot, demo, SYNC_RUNNER)
    from_stdin = json.loads(ssot("check", "--format", "json", "--no-cache", "--stdin-filename", SYNC_RUNNER,
                                 cwd=demo, input=text).stdout)["violations"]
    assert from_stdin == on_disk and on_disk



def test_stdin_for_a_new_file_elsewhere_knows_that_files_workspace(ssot, demo):
    # the legacy class reaches this file only through the re-export in netra_backend/app/agents/__init__.py,
    # and the file's workspace is not the current directory's
    text = "from netra_backend.app.agents import ExecutionEngine\n"
    run = ssot("check", "--format", "json", "--no-cache", "--stdin-filename",
               "demo/netra_backend/app/services/not_yet_saved.py", cwd=demo.parent, input=text)
    document = json.loads(run.stdout)
    assert document["root"] == str(demo.resolve())
    assert [(v["code"], v["line"]) for v in document["violations"]] == [("SSOT001", 1)]


def test_a_configuration_file_decides_the_root(ssot, demo):
    # a pyproject.toml without [tool.ssot-lsp] (and a setup.cfg) below the root does not count ...
    (demo / "netra_backend" / "pyproject.toml").write_text("[project]\nname = 'backend'\n")
    (demo / "netra_backend" / "setup.cfg").write_text("[metadata]\nname = backend\n")
    everything = findings(ssot, demo)
    assert findings(ssot, demo, "netra_backend/app") == restricted(everything, "netra_backend/app")
    # ... one with [tool.ssot-lsp] does: its directory is the root, and its groups apply
    (demo / "netra_backend" / "pyproject.toml").write_text(
        '[tool.ssot-lsp]\n\n[[tool.ssot-lsp.groups]]\nname = "x"\ncanonical = "app.engine:Engine"\n'
        'legacy-modules = ["app.old"]\n')
    (demo / "netra_backend" / "app" / "user.py").write_text("import app.old\n")
    run = ssot("check", "--format", "json", "--no-cache", "netra_backend/app", cwd=demo)
    document = json.loads(run.stdout)
    assert document["root"] == str((demo / "netra_backend").resolve())
    assert [v["code"] for v in document["violations"] if v["path"] == "netra_backend/app/user.py"] == ["SSOT001"]
    assert not [v for v in document["violations"] if v["group"] in ("engine", "supervisor", "emitter")]


def test_paths_of_different_workspaces_are_an_error_naming_both_roots(ssot, demo, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "ssot-lsp.toml").write_text("")
    (other / "x.py").write_text("x = 1\n")
    run = ssot("check", SYNC_RUNNER, str(other / "x.py"), cwd=demo)
    assert run.returncode == 2
    assert "different workspaces" in run.stderr
    assert str(demo.resolve()) in run.stderr and str(other.resolve()) in run.stderr
    assert "Traceback" not in run.stderr


def test_a_path_outside_any_project_says_there_is_nothing_to_check(ssot, demo, tmp_path):
    lone = tmp_path / "elsewhere"
    lone.mkdir()
    (lone / "script.py").write_text("print('hello')\n")
    run = ssot("check", str(lone / "script.py"), "--no-cache", cwd=demo)
    assert run.returncode == 0
    assert "nothing to check" in run.stderr and str(lone.resolve()) in run.stderr
    assert not (lone / ".ssot-cache").exists() and not (demo / ".ssot-cache").exists()


def test_outside_any_project_a_finding_is_still_reported(ssot, demo, tmp_path):
    # the profile names legacy modules: importing one is a finding even where they do not exist
    lone = tmp_path / "elsewhere"
    lone.mkdir()
    (lone / "script.py").write_text(LEGACY_IMPORT)
    run = ssot("check", "--format", "json", str(lone / "script.py"), "--no-cache", cwd=demo)
    assert run.returncode == 1, run.stderr
    assert [v["code"] for v in json.loads(run.stdout)["violations"]] == ["SSOT001"]
    assert "nothing to check" not in run.stderr


def test_a_backup_copy_of_the_tree_is_not_a_root(ssot, demo):
    copy = demo / "backups" / "2024-01-01"
    shutil.copytree(demo / "netra_backend", copy / "netra_backend")
    backup_file = f"backups/2024-01-01/{SYNC_RUNNER}"
    document = json.loads(ssot("check", "--format", "json", "--no-cache", backup_file, cwd=demo).stdout)
    assert document["root"] == str(demo.resolve())
    # named explicitly, it is analysed (as in ruff) — in the workspace at the top, not as a root of its own
    assert {v["path"] for v in document["violations"]} == {backup_file}
    # the whole run does not see the copy
    assert not restricted(findings(ssot, demo), "backups")


def test_the_readme_demo_command_works_from_the_repository_root(ssot):
    run = ssot("check", "examples/migration-demo", "--exit-zero", "--no-cache", "--format", "json", cwd=REPO)
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)
    assert document["root"] == str(DEMO.resolve())
    assert len(document["violations"]) == 53


def test_baseline_and_fix_of_a_folder_use_the_root(ssot, demo):
    run = ssot("baseline", "netra_backend/app/services", cwd=demo)
    assert run.returncode == 0, run.stderr
    recorded = json.loads((demo / ".ssot-baseline.json").read_text())["files"]
    assert recorded and all(p.startswith("netra_backend/app/services/") for p in recorded)
    assert not (demo / "netra_backend" / ".ssot-baseline.json").exists()
    (demo / ".ssot-baseline.json").unlink()
    before = {p: p.read_text() for p in demo.rglob("*.py")}
    run = ssot("fix", "netra_backend/app/services", "--unsafe-fixes", cwd=demo)
    assert run.returncode in (0, 1), run.stderr
    changed = {p.relative_to(demo).as_posix() for p, text in before.items() if p.read_text() != text}
    assert changed and all(p.startswith("netra_backend/app/services/") for p in changed)


def test_show_settings_says_which_root_and_why(ssot, demo):
    text = ssot("check", "--show-settings", "netra_backend/app", cwd=demo).stdout
    assert f"# root:          {demo.resolve()}\n#                (the directory that holds the built-in profile's modules)" in text
    (demo / "pyproject.toml").write_text('[tool.ssot-lsp]\nprofile = "netra"\n')
    document = json.loads(ssot("check", "--show-settings", "--format", "json", "tests", cwd=demo).stdout)
    assert document["root"] == str(demo.resolve()) and document["root-reason"] == "the directory of pyproject.toml"
