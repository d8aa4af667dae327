"""The later commits' changed blobs are read ahead by a forked child (``audit/history/ahead.py``): a
point is what this process reading alone draws — the child's outcome is taken only for a file read
with exactly the settings it guessed — whatever happens to the child, and no process is left behind."""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ssot_lsp.audit.history import ahead, blobs
from ssot_lsp.audit.history.configuration import ConfigurationAt
from ssot_lsp.audit.history.git import Repository
from ssot_lsp.audit.history.points import Point
from ssot_lsp.audit.history.run import HistoryRun, HistorySettings
from ssot_lsp.core import pool
from ssot_lsp.core.pool import Outcome
from tests.audit.conftest import History
from tests.audit.test_history_incremental import build
from tests.cli.conftest import LEGACY_CALLER, SMALL_CONFIG, SMALL_FILES, base_env

ROOT = Path(__file__).parents[2]
ALIAS = "from app.old_engine import OldEngine as Motor\n"  # discovered: a later commit reads with one more needle
MOTOR_USER = "from app.aliases import Motor\n\n\ndef start():\n    return Motor()\n"


def drawn(points: list[Point]) -> list[tuple[str, list[tuple[str, int, str]]]]:
    return [(p.status, sorted((s.path, s.line, s.code) for s in p.sites)) for p in points]


def history_run(repo: Path, jobs: int) -> tuple[list[Point], int]:
    """The points, and how many files the child's reads gave."""
    root = repo.resolve()
    run = HistoryRun(Repository(root), root, "", ConfigurationAt(root, None, None, None, None),
                     HistorySettings(jobs=jobs))
    points = run.run(run.repo.commits("main"))
    return points, run.source.from_ahead


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "_forking_is_safe", lambda: True)  # the test runner may have threads of its own


def edits(history: History, count: int) -> None:
    """``count`` commits each changing a few files and adding a legacy caller."""
    for n in range(count):
        history.commit({f"app/caller_{n}.py": LEGACY_CALLER.replace("run", f"run_{n}"),
                        "app/clean.py": SMALL_FILES["app/clean.py"] + f"\nVERSION = {n}\n"}, f"Edit {n}")


def test_the_child_reads_the_later_commits_as_this_process_alone_would(history: History, forking: None):
    """Renames, removals, configuration changes, a module that becomes a package: every point equal."""
    build(history)
    alone, none_ahead = history_run(history.repo, jobs=1)
    shared, served = history_run(history.repo, jobs=2)
    assert drawn(shared) == drawn(alone)
    assert none_ahead == 0 and served > 0


def test_a_commit_reading_with_a_newly_discovered_name_reads_here(history: History, forking: None):
    """The child guesses the needles the first commit ended with; once a commit discovers a name
    (an alias of the legacy class), a file using it only through that name must not be taken from
    the child, which skipped it as mentioning no needle."""
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES}, "Start")
    history.commit({"app/aliases.py": ALIAS, "app/caller.py": LEGACY_CALLER}, "An alias of the legacy class")
    history.commit({"app/motor_user.py": MOTOR_USER}, "A user of the alias")
    alone, _ = history_run(history.repo, jobs=1)
    shared, served = history_run(history.repo, jobs=2)
    assert ("app/motor_user.py", 5, "SSOT002") in drawn(alone)[-1][1]
    assert drawn(shared) == drawn(alone)
    assert served == 2  # the second commit's files, read with the guessed needles


def test_a_file_named_otherwise_than_guessed_reads_here(history: History, forking: None,
                                                        monkeypatch: pytest.MonkeyPatch):
    """A source root configured in the commit that changes a file names it otherwise than the child,
    which named it as the first commit's configuration did; a file it names alike is taken, and the
    outcomes of both come in the order asked."""
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES, "lib/app/__init__.py": "",
                    "lib/app/tool.py": "VERSION = 1\n"}, "Start")
    rooted = SMALL_CONFIG.replace("[tool.ssot-lsp]\n", '[tool.ssot-lsp]\nsource-roots = [".", "lib"]\n', 1)
    history.commit({"pyproject.toml": rooted, "lib/app/tool.py": LEGACY_CALLER, "tools/user.py": LEGACY_CALLER},
                   "lib is a source root")
    alone, _ = history_run(history.repo, jobs=1)
    read = blobs.BlobSource.read
    orders: list[tuple[list[str], list[str]]] = []

    def observed(self: blobs.BlobSource, items: list[blobs.Item], *args: object) -> list[tuple[str, Outcome]]:
        out = read(self, items, *args)  # type: ignore[arg-type]
        orders.append(([item[0] for item in items], [path for path, _ in out]))
        return out

    monkeypatch.setattr(blobs.BlobSource, "read", observed)
    shared, served = history_run(history.repo, jobs=2)
    assert drawn(shared) == drawn(alone)
    assert served == 1
    asked, given = orders[-1]
    assert [p.rsplit("/", 2)[-2:] for p in asked] == [["app", "tool.py"], ["tools", "user.py"]]
    assert given == asked


def test_the_files_of_a_child_that_died_are_read_here(history: History, forking: None,
                                                      monkeypatch: pytest.MonkeyPatch):
    """The child dies at its third commit: the first two come from it, the others are read here."""
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES}, "Start")
    edits(history, 5)
    parent, read = os.getpid(), ahead._read
    calls: list[int] = []

    def dying(*args: object) -> ahead.Record:
        calls.append(1)
        if os.getpid() != parent and len(calls) == 3:
            os.kill(os.getpid(), signal.SIGKILL)
        return read(*args)  # type: ignore[arg-type]

    alone, _ = history_run(history.repo, jobs=1)
    monkeypatch.setattr(ahead, "_read", dying)
    shared, served = history_run(history.repo, jobs=2)
    assert drawn(shared) == drawn(alone)
    assert served == 4  # two files in each of the two commits it read


def test_a_run_stopped_early_stops_the_child_and_leaves_no_process(history: History):
    """The run fails at its third commit while the child still reads: the child leaves, its git
    closed (run in a process of its own that adopts orphans: a git left behind is seen too)."""
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES}, "Start")
    edits(history, 6)
    out = subprocess.run([sys.executable, "-m", "tests.audit.forked_reading", "read-ahead-stopped",
                          str(history.repo)], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env=base_env(PYTHONPATH=str(ROOT)))
    assert out.returncode == 0, out.stderr
    # nothing read after it was told to stop (``forked_reading.stop_while_reading_ahead`` would say so)
    assert out.stdout.splitlines() == ["stopped: the run failed", "no process left"]


def test_without_a_second_process_nothing_is_read_ahead(history: History, forking: None):
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES}, "Start")
    edits(history, 2)
    _, served = history_run(history.repo, jobs=1)
    assert served == 0


def test_a_commit_reading_with_another_size_limit_reads_here(history: History, forking: None):
    """The commit that lowers the size limit changes a file now over it: read here, it is too large."""
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES}, "Start")
    limited = SMALL_CONFIG.replace("[tool.ssot-lsp]\n", "[tool.ssot-lsp]\nmax-file-size-kb = 1\n", 1)
    history.commit({"pyproject.toml": limited, "app/big.py": LEGACY_CALLER + "\n# padding\n" * 200},
                   "A size limit; a large legacy caller")
    alone, _ = history_run(history.repo, jobs=1)
    shared, served = history_run(history.repo, jobs=2)
    assert not any(path == "app/big.py" for path, _, _ in drawn(alone)[-1][1])
    assert drawn(shared) == drawn(alone)
    assert served == 0


def test_facts_equal_to_the_last_versions_stand_for_the_newest_version_taken(history: History, forking: None):
    """A file gains a legacy use (its facts cross pickled), then a comment (its facts cross as a mark
    for those): the mark stands for the facts with the legacy use, not for the first commit's."""
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES, "app/user.py": "def run():\n    return 1\n"},
                   "Start")
    history.commit({"app/user.py": LEGACY_CALLER}, "A legacy use")
    history.commit({"app/user.py": LEGACY_CALLER + "# reviewed\n"}, "A comment")
    alone, _ = history_run(history.repo, jobs=1)
    shared, served = history_run(history.repo, jobs=2)
    assert ("app/user.py", 5, "SSOT002") in drawn(alone)[-1][1]
    assert drawn(shared) == drawn(alone)
    assert served == 2


def test_a_commit_takes_its_own_version_of_a_file_the_child_read_again_since(
        history: History, forking: None, monkeypatch: pytest.MonkeyPatch):
    """The child has read every commit before this process asks for the second: each commit still
    takes its own version of the file every commit edits, not the newest."""
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES}, "Start")
    edits(history, 5)
    at = ahead.ReadAhead.at
    waited: list[int] = []

    def after_the_child(self: ahead.ReadAhead, commit: str) -> None:
        if not waited:  # the child's end, without reaping it (``close`` does)
            waited.append(os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOWAIT).si_pid)
        at(self, commit)

    alone, _ = history_run(history.repo, jobs=1)
    monkeypatch.setattr(ahead.ReadAhead, "at", after_the_child)
    shared, served = history_run(history.repo, jobs=2)
    assert drawn(shared) == drawn(alone)
    assert served == 10 and waited


def test_the_child_asks_each_later_commits_blobs_while_it_reads_the_commit_before(history: History, forking: None,
                                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                                  tmp_path: Path):
    """(``blobs._read_replaying``'s ``then``: git inflates them meanwhile.)"""
    build(history)
    edits(history, 2)
    log = tmp_path / "reads.log"
    read_replaying = blobs._read_replaying

    def logged(job: blobs.Job, replays: blobs.Replays, then: blobs.Job | None = None) -> blobs.Done:
        if os.getpid() != parent:  # in the child: one line per commit, its files and the next commit's
            with log.open("a") as out:
                out.write(repr(([i[0] for i in job[6]], None if then is None else [i[0] for i in then[6]])) + "\n")
        return read_replaying(job, replays, then)

    parent = os.getpid()
    monkeypatch.setattr(blobs, "_read_replaying", logged)
    history_run(history.repo, jobs=2)
    reads = [ast.literal_eval(line) for line in log.read_text().splitlines()]
    assert len(reads) == len(history.commits) - 1
    assert [then for _, then in reads] == [job for job, _ in reads[1:]] + [None]
