"""A blob whose working-tree file holds exactly it is read from that file (``audit/history/worktree.py``),
any other through git: the points are the commits' whatever the working tree holds."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

import pytest

from ssot_lsp.audit.history import worktree
from ssot_lsp.audit.history.blobs import BlobSource
from ssot_lsp.audit.history.configuration import ConfigurationAt
from ssot_lsp.audit.history.git import Repository
from ssot_lsp.audit.history.points import Point
from ssot_lsp.audit.history.run import HistoryRun, HistorySettings
from ssot_lsp.audit.history.worktree import IndexListing, indexed_blobs, read_if_blob
from ssot_lsp.core.facts import FileFacts
from tests.audit.conftest import History, git
from tests.audit.test_history_incremental import build
from tests.cli.conftest import LEGACY_CALLER, run_ssot


def run_history(repo: Path) -> tuple[list[tuple[str, list[tuple[str, int, str]]]], int]:
    """Every point's sites, and how many blobs were read from the working tree."""
    root = repo.resolve()
    run = HistoryRun(Repository(root), root, "", ConfigurationAt(root, None, None, None, None),
                     HistorySettings(jobs=1))
    points: list[Point] = run.run(run.repo.commits("main"))
    return [(p.status, sorted((s.path, s.line, s.code) for s in p.sites)) for p in points], run.source.from_worktree


def test_files_unchanged_since_a_commit_are_read_from_the_working_tree(history: History):
    build(history)
    _, from_worktree = run_history(history.repo)
    untouched = 8  # UNTOUCHED: the same blob at every commit, read once
    assert from_worktree >= untouched


def test_a_file_edited_in_the_working_tree_is_read_from_git(history: History):
    build(history)
    clean, _ = run_history(history.repo)
    for rel in ("app/jobs/job_0.py", "app/old_engine.py", "app/util_1.py"):
        (history.repo / rel).write_text("VALUE = 1\n")  # no finding, no legacy class: would change every point
    assert run_history(history.repo)[0] == clean


def test_without_an_index_every_blob_is_read_from_git(history: History):
    build(history)
    clean, _ = run_history(history.repo)
    (history.repo / ".git" / "index").unlink()
    edited, from_worktree = run_history(history.repo)
    assert (edited, from_worktree) == (clean, 0)


def test_a_file_is_its_blob_only_when_it_hashes_to_its_id(history: History):
    history.commit({"app/caller.py": LEGACY_CALLER}, "A caller")
    path = history.repo / "app" / "caller.py"
    oid = git(history.repo, "rev-parse", "HEAD:app/caller.py").strip()
    assert read_if_blob(str(path), oid, 1 << 20) == path.read_bytes()
    assert read_if_blob(str(path), oid, 10) is None  # larger than the limit: git says so
    path.write_text(LEGACY_CALLER + "\n")
    assert read_if_blob(str(path), oid, 1 << 20) is None
    assert read_if_blob(str(path.with_name("gone.py")), oid, 1 << 20) is None


def test_the_report_says_how_many_blobs_came_from_the_working_tree(history: History):
    build(history)
    run = run_ssot("audit", "--history", "main", "--format", "json", cwd=history.repo)
    assert run.returncode == 0, run.stderr
    timing = json.loads(run.stdout)["timing"]
    assert 0 < timing["files_from_worktree"] < timing["files_read"]  # the edited files came from git
    text = run_ssot("audit", "--history", "main", cwd=history.repo).stdout
    assert f"{timing['files_read']:,} files read ({timing['files_from_worktree']:,} from working-tree files" in text


def test_the_lines_of_a_blob_its_working_tree_file_holds_are_read_from_that_file(history: History, git_requests):
    """A finding's line, for the baseline key, comes from the file when it holds the blob; an edited
    file's blob from git."""
    history.commit({"app/caller.py": LEGACY_CALLER, "app/other.py": "X = 1\n"}, "Two files")
    top = history.repo.resolve()
    caller, other = (git(history.repo, "rev-parse", f"HEAD:app/{name}").strip() for name in ("caller.py", "other.py"))
    (history.repo / "app" / "other.py").write_text("X = 2\n")
    source = BlobSource(top, 1)
    source.indexed = indexed_blobs(top)
    try:
        assert source.contents([caller, other, caller]) == [LEGACY_CALLER.encode(), b"X = 1\n", LEGACY_CALLER.encode()]
    finally:
        source.close()
    assert git_requests == [[other]]


def test_a_blob_read_from_its_working_tree_file_is_not_held_its_lines_come_from_the_file_again(
        history: History, git_requests):
    """(``BlobSource.held``: only what git gave is kept; a file is cheaper to read again.) Edited
    in the meantime, the file no longer holds the blob: git gives it."""
    history.commit({"app/caller.py": LEGACY_CALLER}, "A caller")
    top = history.repo.resolve()
    oid = git(history.repo, "rev-parse", "HEAD:app/caller.py").strip()
    source = BlobSource(top, 1)
    try:
        [(_, facts)] = source.read([(str(top / "app" / "caller.py"), oid, "app.caller", False)], None, None,
                                   frozenset(), frozenset(), 1 << 20)
        assert isinstance(facts, FileFacts) and source.from_worktree == 1
        assert source.held == {}
        assert source.contents([oid]) == [LEGACY_CALLER.encode()] and git_requests == []
        (history.repo / "app" / "caller.py").write_text("VALUE = 1\n")
        assert source.contents([oid]) == [LEGACY_CALLER.encode()] and git_requests == [[oid]]
    finally:
        source.close()


def test_the_index_listed_while_the_first_commit_is_named_is_the_one_reading_uses(history: History,
                                                                                  monkeypatch: pytest.MonkeyPatch):
    """(``worktree.IndexListing``, started by the run: the first read takes its answer.)"""
    build(history)
    clean, from_worktree = run_history(history.repo)

    def listed_again(top: Path) -> dict[str, str]:
        raise AssertionError("the index listed again when the first blobs are read")

    monkeypatch.setattr(worktree, "indexed_blobs", listed_again)
    assert run_history(history.repo) == (clean, from_worktree)


def test_git_lists_an_index_larger_than_a_pipe_with_nobody_reading_yet(history: History,
                                                                      monkeypatch: pytest.MonkeyPatch):
    """(An index this module does not read itself: ``git ls-files`` lists it.)"""
    monkeypatch.setattr(worktree, "_readable_index", lambda top: None)
    history.commit({f"pkg/module_{n:04d}.py": f"VALUE = {n}\n" for n in range(1500)}, "Many files")
    top = history.repo.resolve()
    listing = IndexListing(top)
    process = listing._process
    assert process is not None
    assert process.wait(timeout=30) == 0  # the event itself: git exits; on a pipe it would wait for ever
    assert listing.result() == indexed_blobs(top)
    assert len(listing.result()) == 1500


def test_a_run_that_stops_before_reading_a_blob_leaves_no_git_listing_the_index(history: History,
                                                                               monkeypatch: pytest.MonkeyPatch):
    build(history)
    started: list[IndexListing] = []
    listing = worktree.IndexListing

    def recorded(top: Path) -> IndexListing:
        started.append(listing(top))
        return started[-1]

    def interrupted(self: HistoryRun, commit: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(worktree, "IndexListing", recorded)
    monkeypatch.setattr(worktree, "_readable_index", lambda top: None)  # listed by git
    monkeypatch.setattr(HistoryRun, "point", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_history(history.repo)
    process = started[0]._process
    assert process is not None and process.returncode is not None
    with pytest.raises(ChildProcessError):
        os.waitpid(process.pid, os.WNOHANG)


def test_a_fifo_where_the_file_was_is_no_blob_and_is_not_waited_on(history: History):
    """(``read_if_blob`` opens without blocking: a FIFO has no writer to wait for.)"""
    history.commit({"app/caller.py": LEGACY_CALLER}, "A caller")
    path = history.repo / "app" / "caller.py"
    oid = git(history.repo, "rev-parse", "HEAD:app/caller.py").strip()
    path.unlink()
    os.mkfifo(path)
    found: list[bytes | None] = []
    reader = threading.Thread(target=lambda: found.append(read_if_blob(str(path), oid, 1 << 20)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    blocked = reader.is_alive()
    if blocked:  # waiting for a writer: one lets it go before the test fails
        with open(path, "wb"):
            pass
        reader.join()
    assert not blocked
    assert found == [None]


# -- files taken without hashing: the index's stat data vouches for them (``worktree.Unhashed``) ----------
@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths ``read_if_blob`` hashed; no attributes file of the user's or the system's counts."""
    monkeypatch.setenv("HOME", "/nonexistent")
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("GIT_ATTR_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_SYSTEM", "/dev/null")
    seen: list[str] = []
    sha1 = hashlib.sha1

    def counted(*args: object, **kwargs: object) -> object:
        seen.append("sha1")
        return sha1(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(worktree.hashlib, "sha1", counted)
    return seen


def age_index(repo: Path) -> None:
    """As if the index had been written a while after its files last changed (in a test, git writes it
    within the same second: every entry is racy)."""
    index = repo / ".git" / "index"
    later = index.stat().st_mtime_ns + 10 * worktree.RACY_MARGIN_NS
    os.utime(index, ns=(later, later))


def read_caller(repo: Path) -> bytes | None:
    top = repo.resolve()
    worktree.IndexListing(top).result()
    oid = git(repo, "rev-parse", "HEAD:app/caller.py").strip()
    return read_if_blob(str(top / "app" / "caller.py"), oid, 1 << 20)


def test_a_file_whose_stat_is_its_index_entrys_is_its_blob_unhashed(history: History, hashed: list[str]):
    history.commit({"app/caller.py": LEGACY_CALLER}, "A caller")
    age_index(history.repo)
    assert read_caller(history.repo) == LEGACY_CALLER.encode()
    assert hashed == []


def test_a_file_changed_as_the_index_was_written_is_hashed(history: History, hashed: list[str]):
    """Racy: it may have changed again within the clock tick git took its stat in."""
    history.commit({"app/caller.py": LEGACY_CALLER}, "A caller")
    assert read_caller(history.repo) == LEGACY_CALLER.encode()
    assert hashed == ["sha1"]


def test_a_file_rewritten_to_the_same_size_with_its_mtime_put_back_is_not_its_blob(history: History,
                                                                                   hashed: list[str]):
    """Its change time gives it away (``touch -r``, an editor keeping times, a build tool)."""
    history.commit({"app/caller.py": LEGACY_CALLER}, "A caller")
    age_index(history.repo)
    path = history.repo / "app" / "caller.py"
    before = path.stat()
    path.write_text(LEGACY_CALLER.replace("run", "go!"))  # as long
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert read_caller(history.repo) is None


def test_a_file_checked_out_with_crlf_line_ends_is_not_its_blob(history: History, hashed: list[str]):
    """``core.autocrlf``: git hashed the file's lines with their carriage returns taken out."""
    git(history.repo, "config", "core.autocrlf", "true")
    history.commit({"app/caller.py": LEGACY_CALLER}, "A caller")
    path = history.repo / "app" / "caller.py"
    path.unlink()
    git(history.repo, "checkout", "--", "app/caller.py")
    assert path.read_bytes() == LEGACY_CALLER.replace("\n", "\r\n").encode()
    assert git(history.repo, "status", "--porcelain") == ""  # git calls it unchanged
    age_index(history.repo)
    assert read_caller(history.repo) is None


def filtered_checkout(history: History, attributes: str) -> Path:
    """A caller checked out through a filter that keeps its size (a smudge git calls unchanged)."""
    git(history.repo, "config", "filter.shout.smudge", "tr a-z A-Z")
    git(history.repo, "config", "filter.shout.clean", "tr A-Z a-z")
    history.commit({"app/caller.py": LEGACY_CALLER.lower()}, "A caller")
    (history.repo / attributes).write_text("*.py filter=shout\n")
    path = history.repo / "app" / "caller.py"
    path.unlink()
    git(history.repo, "checkout", "--", "app/caller.py")
    assert path.read_bytes() == LEGACY_CALLER.upper().encode()
    age_index(history.repo)
    return path


def test_a_file_checked_out_through_a_filter_a_committed_gitattributes_names_is_not_its_blob(history: History,
                                                                                             hashed: list[str]):
    """Even gone from the working tree: a checkout reads the index's."""
    filtered_checkout(history, ".gitattributes")
    history.commit({}, "Attributes")  # (the caller as checked out)
    (history.repo / ".gitattributes").unlink()
    age_index(history.repo)
    assert read_caller(history.repo) is None


def test_a_file_checked_out_through_a_filter_an_uncommitted_gitattributes_names_is_not_its_blob(
        history: History, hashed: list[str]):
    """Git reads a ``.gitattributes`` of the working tree whether the index lists it or not."""
    filtered_checkout(history, "app/.gitattributes")
    assert "app/.gitattributes" in git(history.repo, "status", "--porcelain", "--untracked-files=all")
    assert read_caller(history.repo) is None


def test_a_file_checked_out_through_a_filter_the_users_attributes_name_is_not_its_blob(
        history: History, hashed: list[str], monkeypatch: pytest.MonkeyPatch):
    config = history.repo.parent / "config"
    (config / "git").mkdir(parents=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    filtered_checkout(history, "../config/git/attributes")
    assert read_caller(history.repo) is None


def test_an_index_of_version_4_is_listed_by_git_and_every_file_hashed(history: History, hashed: list[str]):
    history.commit({"app/caller.py": LEGACY_CALLER}, "A caller")
    git(history.repo, "update-index", "--index-version", "4")
    age_index(history.repo)
    top = history.repo.resolve()
    assert worktree.read_index(top / ".git", str(top) + "/") is None
    assert read_caller(history.repo) == LEGACY_CALLER.encode()
    assert hashed == ["sha1"]
