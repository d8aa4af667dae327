"""A later commit of ``audit --history`` brings the workspace's files up to date from the paths the
commit changed, deciding again only the paths that were no file of that mode before
(``HistoryRun._workspace_files``): every point must be the commit analysed alone."""

from __future__ import annotations

import os

from ssot_lsp.audit.history.points import INVALID_CONFIGURATION, OK, point_dict
from tests.audit.conftest import History
from tests.audit.test_history_incremental import run_for
from tests.cli.conftest import LEGACY_CALLER, SMALL_CONFIG, SMALL_FILES

INVALID = SMALL_CONFIG.replace("[tool.ssot-lsp]\n", '[tool.ssot-lsp]\nextend-exclude = "build"\n', 1)


def assert_every_point_is_its_commit_alone(history: History) -> list[str]:
    run = run_for(history.repo)
    commits = run.repo.commits("main")
    points = run.run(commits)
    for commit, point in zip(commits, points):
        alone = run_for(history.repo).run([commit])[0]
        unlike = {"configuration": "", "baseline_recorded": False}  # depend on the commits before by definition
        assert {**point_dict(point, True), **unlike} == {**point_dict(alone, True), **unlike}, commit.short
    return [p.status for p in points]


def test_a_file_turned_into_a_symbolic_link_leaves_the_workspace_and_one_made_executable_stays(history: History):
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES, "app/caller.py": LEGACY_CALLER,
                    "app/other.py": LEGACY_CALLER.replace("run", "other")}, "Two legacy callers")
    (history.repo / "app/caller.py").unlink()
    os.symlink("other.py", history.repo / "app/caller.py")
    os.chmod(history.repo / "app/other.py", 0o755)
    history.commit({}, "caller.py links to other.py; other.py is executable")
    run = run_for(history.repo)
    points = run.run(run.repo.commits("main"))
    assert [sorted({s.path for s in p.sites}) for p in points] == [["app/caller.py", "app/other.py"], ["app/other.py"]]
    assert assert_every_point_is_its_commit_alone(history) == [OK, OK]


def test_a_file_added_by_a_commit_without_figures_is_a_file_of_the_next_one_that_edits_it(history: History):
    """The commit that adds ``app/new_caller.py`` has an invalid configuration: its files are not
    brought up to date. The next edits it: the file is new since the files were, whatever it was
    in the commit between."""
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES}, "No legacy caller")
    history.commit({"pyproject.toml": INVALID, "app/new_caller.py": LEGACY_CALLER}, "A legacy caller; a bad table")
    history.commit({"pyproject.toml": SMALL_CONFIG, "app/new_caller.py": LEGACY_CALLER + "\nVALUE = 1\n"},
                   "The table fixed; the caller edited")
    run = run_for(history.repo)
    points = run.run(run.repo.commits("main"))
    assert [any(s.path == "app/new_caller.py" for s in p.sites) for p in points] == [False, False, True]
    assert assert_every_point_is_its_commit_alone(history) == [OK, INVALID_CONFIGURATION, OK]


def test_a_file_edited_by_the_commit_that_changes_a_gitignore_is_read_in_its_new_version(history: History):
    """A .gitignore changed: every path is decided again — and the edited file is still one of
    another blob, to be read again."""
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES, "app/caller.py": LEGACY_CALLER,
                    "app/other.py": LEGACY_CALLER.replace("run", "other")}, "Two legacy callers")
    history.commit({".gitignore": "app/other.py\n", "app/caller.py": "VALUE = 1\n"},
                   "other.py ignored; caller.py no legacy caller any more")
    run = run_for(history.repo)
    points = run.run(run.repo.commits("main"))
    assert [sorted({s.path for s in p.sites}) for p in points] == [["app/caller.py", "app/other.py"], []]
    assert assert_every_point_is_its_commit_alone(history) == [OK, OK]


def test_a_plain_import_of_a_legacy_module_is_broken_while_the_module_is_gone(history: History):
    """``app/user.py`` never changes and only imports the module: whether its import is broken
    (SSOT011) depends on the module being there (``is_module``), nothing it binds."""
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES, "app/user.py": "import app.old_engine\n"},
                   "A plain import of the legacy module")
    history.commit({"app/old_engine.py": None}, "The legacy module is gone")
    history.commit({"app/old_engine.py": SMALL_FILES["app/old_engine.py"]}, "It is back")
    run = run_for(history.repo)
    points = run.run(run.repo.commits("main"))
    broken = [[s.line for s in p.sites if s.path == "app/user.py" and s.code == "SSOT011"] for p in points]
    assert broken == [[], [1], []]
    assert assert_every_point_is_its_commit_alone(history) == [OK, OK, OK]
