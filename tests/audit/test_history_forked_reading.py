"""The first commit's thousands of blobs are shared between this process and forked children, each
with a `git cat-file` of its own (``blobs.BlobSource.read`` through ``pool.shared_map``): the points
are those one process reading alone draws, whatever happens to a child or to a git, and no process
is left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ssot_lsp.audit.history import blobs
from ssot_lsp.audit.history.configuration import ConfigurationAt
from ssot_lsp.audit.history.git import GitStopped, Repository
from ssot_lsp.audit.history.points import Point
from ssot_lsp.audit.history.run import HistoryRun, HistorySettings
from ssot_lsp.core import pool
from tests.audit.conftest import History
from tests.audit.forked_reading import kill_own_git, run_history, share_with_a_child
from tests.audit.test_history_incremental import LONG_CALLER, build, changes_known_when_asked
from tests.cli.conftest import SMALL_CONFIG, SMALL_FILES, base_env
from tests.environment import another_thread_running

ROOT = Path(__file__).parents[2]


def drawn(points: list[Point]) -> list[tuple[str, list[tuple[str, int, str]]]]:
    return [(p.status, sorted((s.path, s.line, s.code) for s in p.sites)) for p in points]


def test_forked_children_read_as_this_process_alone_would(history: History, monkeypatch):
    """The first commit, and a whole re-read after each change of the configuration, are shared."""
    build(history)
    alone = drawn(run_history(history.repo, jobs=1))
    shared = share_with_a_child(monkeypatch.setattr)
    assert drawn(run_history(history.repo, jobs=2)) == alone
    assert len(shared) >= 3


def test_a_forked_child_asks_a_git_of_its_own(history: History):
    """Two processes writing to one `git cat-file` and reading its answers in turn would get each
    other's blobs: a child forked after this process started its git starts another."""
    build(history)
    top = str(history.repo.resolve())
    ours = blobs._reader(top).process.pid
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.write(write_end, str(blobs._reader(top).process.pid).encode())
            blobs._close_reader()
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    theirs = int(os.read(read_end, 64).decode())
    os.close(read_end)
    os.waitpid(pid, 0)
    blobs._close_reader()
    assert theirs != ours


def test_the_files_of_a_child_killed_mid_read_are_read_by_this_process(history: History, monkeypatch):
    build(history)
    alone = drawn(run_history(history.repo, jobs=1))
    shared = share_with_a_child(monkeypatch.setattr, in_child=lambda job: os.kill(os.getpid(), signal.SIGKILL))
    assert drawn(run_history(history.repo, jobs=2)) == alone
    assert shared


def test_git_stopping_in_a_child_stops_the_run_and_leaves_no_process(history: History, monkeypatch):
    build(history)
    share_with_a_child(monkeypatch.setattr, in_child=kill_own_git)
    with pytest.raises(GitStopped, match="git cat-file"):
        run_history(history.repo, jobs=2)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # the children and this process's gits were all waited for


def test_a_process_with_another_thread_reads_through_a_pool_without_forking(history: History, monkeypatch):
    build(history)
    alone = drawn(run_history(history.repo, jobs=1))
    monkeypatch.setattr(blobs, "HISTORY_PARALLEL_THRESHOLD", 3)

    def shared_map(*args, **kwargs):
        raise AssertionError("forked children beside another thread")

    monkeypatch.setattr(pool, "shared_map", shared_map)
    with another_thread_running():
        assert drawn(run_history(history.repo, jobs=2)) == alone


def in_a_process_adopting_orphans(scenario: str, repo: Path) -> list[str]:
    """Run ``tests/audit/forked_reading.py``'s scenario in a process of its own that adopts the
    orphans of its children (a git whose process left without waiting for it), and its report."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    run = subprocess.run([sys.executable, "-m", "tests.audit.forked_reading", scenario, str(repo)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120, check=False, env=base_env(PYTHONPATH=path))
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()


def test_a_child_closes_its_git_before_it_leaves(history: History):
    build(history)
    assert in_a_process_adopting_orphans("normal", history.repo) == ["finished", "no process left"]


def test_git_stopping_in_this_process_stops_the_children_and_their_gits(history: History):
    build(history)
    said = in_a_process_adopting_orphans("parent-git-stops", history.repo)
    assert said[0].startswith("stopped: git cat-file stopped") and said[1:] == ["no process left"], said


def test_a_file_a_forked_child_read_first_replays_its_partial_parse_on_its_next_version(history: History,
                                                                                        monkeypatch):
    """The children of the first commit send the records of their partial parses back with the
    facts: a long file they read, edited later where nothing matters, is not parsed again; one no
    later commit changes is not recorded (``blobs.Replays.kept``, handed to them in the job)."""
    changes_known_when_asked(monkeypatch)
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES, "app/caller.py": LONG_CALLER,
                    "app/steady.py": LONG_CALLER.replace("run", "steady")}, "Two long legacy callers")
    history.commit({"app/caller.py": LONG_CALLER + "\n\ndef _tidy(value):\n    return value\n"}, "A helper")
    alone = drawn(run_history(history.repo, jobs=1))
    shared = share_with_a_child(monkeypatch.setattr)
    root = history.repo.resolve()
    run = HistoryRun(Repository(root), root, "", ConfigurationAt(root, None, None, None, None), HistorySettings(jobs=2))
    assert drawn(run.run(run.repo.commits("main"))) == alone
    assert len(shared) == 1  # the first commit only: the second reads its one changed file here
    assert run.source.replays.replayed == 1
    assert set(run.source.replays.records) == {str(root) + "/app/caller.py"}
