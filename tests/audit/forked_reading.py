"""Large blob reads shared between this process and a forked child, made observable for the tests of
``tests/audit/test_history_forked_reading.py``; also run as a script (``python -m``) in a process of
its own that adopts its orphans, to show that none is left behind.

Every read of more than three files is shared, one file per job, and this process waits at its
first job until the child has started one (an event, through a pipe), so that the child surely reads.
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from ssot_lsp.audit.history import ahead, blobs
from ssot_lsp.audit.history.configuration import ConfigurationAt
from ssot_lsp.audit.history.git import GitStopped, Repository
from ssot_lsp.audit.history.points import Point
from ssot_lsp.audit.history.run import HistoryRun, HistorySettings
from ssot_lsp.core import pool

WAIT_FOR_CHILD = 60.0
PR_SET_CHILD_SUBREAPER = 36

Patch = Callable[[object, str, object], None]  # monkeypatch.setattr, or setattr in a script


def share_with_a_child(setattr_: Patch, in_child: Callable[[tuple], None] = lambda job: None,
                       in_parent: Callable[[tuple], None] = lambda job: None) -> list[int]:
    """Make large reads forked; ``in_child`` runs as a child starts a job, ``in_parent`` once the
    parent knows a child has started one. Returns the list of shared reads, one entry each."""
    parent = os.getpid()
    started_r, started_w = os.pipe()
    os.set_blocking(started_r, False)
    shared: list[int] = []
    waiting: list[bool] = []
    read_job, shared_map = blobs._read_job, pool.shared_map

    def counted_shared_map(*args, **kwargs):
        while select.select([started_r], [], [], 0)[0]:  # what children of an earlier read said
            os.read(started_r, 4096)
        shared.append(1)
        waiting.append(True)
        return shared_map(*args, **kwargs)

    def observed_read_job(job):
        if os.getpid() != parent:
            os.write(started_w, b"+")
            in_child(job)
        elif waiting and waiting[-1]:
            waiting[-1] = False
            assert select.select([started_r], [], [], WAIT_FOR_CHILD)[0], "no child started reading"
            in_parent(job)
        return read_job(job)

    setattr_(blobs, "HISTORY_PARALLEL_THRESHOLD", 3)
    setattr_(blobs, "SMALLEST_JOB", 1)
    setattr_(pool, "_forking_is_safe", lambda: True)  # the test runner may have threads of its own
    setattr_(ahead, "start", lambda *args: None)  # the later commits read here (not ahead by a child)
    setattr_(pool, "shared_map", counted_shared_map)
    setattr_(blobs, "_read_job", observed_read_job)
    return shared


def kill_own_git(job: tuple) -> None:
    """The git that reads this process's blobs dies (as if killed, or stopped by a corrupt pack)."""
    reader = blobs._reader(job[0])
    reader.process.kill()
    reader.process.wait()


def stop_while_reading_ahead() -> None:
    """The child reading the later commits ahead (``ahead.py``) waits at its second commit until it
    is told to stop; this process fails at its third commit."""
    parent, read, point = os.getpid(), ahead._read, HistoryRun.point
    calls: list[int] = []

    def waiting(*args):
        calls.append(1)
        if os.getpid() != parent and len(calls) == 2:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
            signal.sigwait({signal.SIGTERM})  # the parent's ``ReadAhead.close``
            pool._STOPPING.append(signal.SIGTERM)
        elif os.getpid() != parent and pool._STOPPING:
            os.write(1, b"read after it was told to stop\n")
        return read(*args)

    def failing(self, commit):
        if len(self.points) == 2:
            raise RuntimeError("the run failed")
        return point(self, commit)

    pool._forking_is_safe = lambda: True
    ahead._read = waiting
    HistoryRun.point = failing


def run_history(repo: Path, jobs: int) -> list[Point]:
    root = repo.resolve()
    run = HistoryRun(Repository(root), root, "", ConfigurationAt(root, None, None, None, None),
                     HistorySettings(jobs=jobs))
    return run.run(run.repo.commits("main"))


def _main(scenario: str, repo: Path) -> None:
    """Run the history with ``scenario``, then say whether any process it started is left: this
    process adopts orphans (``PR_SET_CHILD_SUBREAPER``), so a git a child left behind is seen too."""
    if ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")
    if scenario == "normal":
        share_with_a_child(setattr)
    elif scenario == "parent-git-stops":  # this process's git dies while a child reads
        share_with_a_child(setattr, in_parent=kill_own_git)
    elif scenario == "read-ahead-stopped":  # the run fails while the child reading ahead still reads
        stop_while_reading_ahead()
    else:
        raise SystemExit(f"unknown scenario {scenario}")
    try:
        run_history(repo, jobs=2)
        print("finished")
    except (GitStopped, RuntimeError) as exc:
        print(f"stopped: {exc}")
    try:
        pid, _ = os.waitpid(-1, os.WNOHANG)
        print(f"left behind: {pid or 'a process still running'}")
    except ChildProcessError:
        print("no process left")


if __name__ == "__main__":
    _main(sys.argv[1], Path(sys.argv[2]))
