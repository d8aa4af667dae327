"""The changes between successive commits are computed by one ``git diff-tree --stdin`` that runs
while the run lists and reads the first commit (``git.ChangesAlong``): the same changes as asked
pair by pair, git never waiting for this process to read, and no git left behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ssot_lsp.audit.history.configuration import ConfigurationAt
from ssot_lsp.audit.history.git import ChangesAlong, GitError, Repository
from ssot_lsp.audit.history.run import HistoryRun, HistorySettings
from tests.audit.conftest import History
from tests.audit.test_history_incremental import build


def test_the_changes_along_the_commits_are_those_of_each_pair_asked_alone(history: History):
    build(history)
    repo = Repository(history.repo)
    along = repo.start_changes_along(history.commits, "").result()
    assert sorted(along) == sorted(history.commits[1:])
    for old, new in zip(history.commits, history.commits[1:]):
        assert along[new] == repo.changes(old, new, "")


def test_git_finishes_a_long_answer_that_nobody_reads_yet(history: History):
    """More than a pipe holds (64 KB): git, writing to a pipe, would wait for the reader."""
    history.commit({f"pkg/module_{n:04d}.py": f"VALUE = {n}\n" for n in range(1500)}, "Many files")
    history.commit({f"pkg/module_{n:04d}.py": f"VALUE = {n + 1}\n" for n in range(1500)}, "Every file edited")
    along = ChangesAlong(history.repo, history.commits, "")
    process = along._process
    assert process is not None
    assert process.wait(timeout=30) == 0  # the event itself: git exits; on a pipe it would wait for ever
    assert len(along.result()[history.commits[1]]) == 1500


def test_a_commit_git_does_not_know_has_no_changes_to_give(history: History):
    """(The run then asks that pair alone, and git's error marks the point.)"""
    build(history)
    along = Repository(history.repo).start_changes_along([history.commits[0], "0" * 40], "")
    assert along.result() == {}


def test_a_git_that_fails_is_a_git_error_with_its_message_each_time_it_is_asked(tmp_path: Path):
    along = Repository(tmp_path).start_changes_along(["1" * 40, "2" * 40], "")
    with pytest.raises(GitError, match="not a git repository"):
        along.result()
    with pytest.raises(GitError, match="not a git repository"):  # not run again: the same answer
        along.result()


def test_a_run_asks_each_pair_alone_when_git_cannot_give_the_changes_at_once(history: History,
                                                                             monkeypatch: pytest.MonkeyPatch):
    build(history)
    root = history.repo.resolve()

    def points(repo: Repository) -> list[tuple[str, list[tuple[str, int, str]]]]:
        run = HistoryRun(repo, root, "", ConfigurationAt(root, None, None, None, None), HistorySettings(jobs=1))
        return [(p.status, sorted((s.path, s.line, s.code) for s in p.sites)) for p in run.run(repo.commits("main"))]

    expected = points(Repository(root))
    collect = ChangesAlong._collect

    def failing(self: ChangesAlong) -> object:
        collect(self)  # (git waited for)
        raise GitError("diff-tree failed")

    monkeypatch.setattr(ChangesAlong, "_collect", failing)
    assert points(Repository(root)) == expected


def test_a_run_that_stops_before_it_needs_the_changes_leaves_no_git(history: History,
                                                                   monkeypatch: pytest.MonkeyPatch):
    build(history)
    root = history.repo.resolve()
    started: list[ChangesAlong] = []
    start = Repository.start_changes_along

    def recorded(self: Repository, commits: list[str], prefix: str) -> ChangesAlong:
        started.append(start(self, commits, prefix))
        return started[-1]

    def interrupted(self: HistoryRun, commit: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Repository, "start_changes_along", recorded)
    monkeypatch.setattr(HistoryRun, "point", interrupted)
    run = HistoryRun(Repository(root), root, "", ConfigurationAt(root, None, None, None, None), HistorySettings(jobs=1))
    with pytest.raises(KeyboardInterrupt):
        run.run(run.repo.commits("main"))
    process = started[0]._process
    assert process is not None and process.returncode is not None
    with pytest.raises(ChildProcessError):
        os.waitpid(process.pid, os.WNOHANG)
