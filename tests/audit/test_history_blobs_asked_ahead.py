"""Blobs asked of ``git cat-file`` ahead of being read (``BlobReader.ask``): git inflates the next
commit's blobs while the read-ahead child parses this one's. Answers come out for the blobs asked,
never another request's; a request asked twice is written once."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from pathlib import Path

import pytest

from ssot_lsp.audit.history import ahead, blobs
from ssot_lsp.audit.history.git import PIPE_BYTES, BlobReader
from tests.audit.conftest import History, git

CONTENTS = {f"pkg/m{n}.py": f"VALUE_{n} = {n}\n" for n in range(4)}


def blob_ids(history: History) -> dict[str, str]:
    history.commit(CONTENTS, "Four modules")
    return {rel: git(history.repo, "rev-parse", f"HEAD:{rel}").strip() for rel in CONTENTS}


@pytest.fixture
def reader(history: History) -> Iterator[tuple[BlobReader, dict[str, bytes]]]:
    """A reader of the four modules' blobs, and each blob's content by its id."""
    ids = blob_ids(history)
    reader = BlobReader(history.repo)
    yield reader, {ids[rel]: content.encode() for rel, content in CONTENTS.items()}
    reader.close()


def test_blobs_asked_ahead_are_the_answers_of_reading_them(reader: tuple[BlobReader, dict[str, bytes]]):
    git_reader, contents = reader
    asked = list(contents)[1:3]
    git_reader.ask(asked)
    assert git_reader.read_many(asked) == [contents[oid] for oid in asked]


def test_asking_the_same_blobs_again_writes_no_second_request(reader: tuple[BlobReader, dict[str, bytes]]):
    """A second request would leave its answers in the pipe: the next read would get them."""
    git_reader, contents = reader
    oids = list(contents)
    first, last = oids[0], oids[3]
    git_reader.ask([first])
    git_reader.ask([first])
    assert git_reader.read_many([first]) == [contents[first]]
    assert git_reader.read_many([last]) == [contents[last]]


def test_reading_other_blobs_than_asked_gives_those_blobs(reader: tuple[BlobReader, dict[str, bytes]]):
    git_reader, contents = reader
    oids = list(contents)
    git_reader.ask(oids[:2])
    assert git_reader.read_many([oids[2]]) == [contents[oids[2]]]
    assert git_reader.read_many([oids[3]]) == [contents[oids[3]]]


def test_the_answers_pipe_holds_a_commits_blobs_from_git(reader: tuple[BlobReader, dict[str, bytes]]):
    stdout = reader[0].process.stdout
    assert stdout is not None
    assert fcntl.fcntl(stdout.fileno(), fcntl.F_GETPIPE_SZ) >= min(PIPE_BYTES, pipe_max_size())


def pipe_max_size() -> int:
    return int(Path("/proc/sys/fs/pipe-max-size").read_text())


def test_reading_a_commit_asks_the_next_ones_blobs_from_git_before_parsing(history: History,
                                                                           monkeypatch):
    """``then``'s blobs that no working-tree file may hold are asked, last to first, before the
    first blob of this commit is parsed; reading ``then`` afterwards takes those answers."""
    ids = blob_ids(history)
    root = str(history.repo.resolve()) + "/"
    reading = (frozenset({"VALUE_0"}), frozenset(), frozenset(), 1 << 20)
    now = ahead._job(str(history.repo), [(root + "pkg/m0.py", ids["pkg/m0.py"], "pkg.m0", False)], reading, {})
    then = ahead._job(str(history.repo), [(root + rel, ids[rel], rel[:-3].replace("/", "."), False)
                                          for rel in ("pkg/m1.py", "pkg/m2.py", "pkg/m3.py")],
                      reading, {root + "pkg/m2.py": ids["pkg/m2.py"]})  # m2: its working-tree file may hold it
    asked_when_parsing: list[list[str] | None] = []
    facts_of_bytes = blobs.reading.facts_of_bytes

    def parsing(data: bytes, path: str, *args: object) -> object:
        asked_when_parsing.append(blobs._reader(str(history.repo))._asked)
        return facts_of_bytes(data, path, *args)

    monkeypatch.setattr(blobs.reading, "facts_of_bytes", parsing)
    try:
        blobs._read_replaying(now, blobs.Replays(), then)
        assert asked_when_parsing == [[ids["pkg/m3.py"], ids["pkg/m1.py"]]]
        later, _, from_worktree, _ = blobs._read_replaying(then, blobs.Replays())
    finally:
        blobs._close_reader()
    monkeypatch.setattr(blobs.reading, "facts_of_bytes", facts_of_bytes)
    try:
        alone, _, _, _ = blobs._read_replaying(then, blobs.Replays())
    finally:
        blobs._close_reader()
    assert later == alone
    assert from_worktree == 1  # m2, from its working-tree file
