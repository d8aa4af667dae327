"""Reading a git repository without a working tree: commits of a range, trees, blobs.

Through the ``git`` command: ``git log`` for the range, ``git ls-tree``/``git diff-tree`` for the
files of a commit (the first one listed, each later one as a difference), and one long-running
``git cat-file --batch`` for the blobs. Chosen over pygit2 (a compiled libgit2 binding: one more
native dependency to install for every user of a CLI that otherwise needs none) and dulwich (pure
Python object parsing: listing a 25,000-file tree fifty times costs seconds that git spends in C),
and git is there wherever there is history to read. Every failure becomes a ``GitError`` whose
message says what went wrong in the user's terms.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

REGULAR_MODES = ("100644", "100755")
# one ``git cat-file`` per worker process: git's defaults (a 96 MB delta-base cache, the whole pack
# mapped) made each one 190 MB resident on the realistic history; capped, ~25 MB, no slower measured
LEAN = ("-c", "core.packedGitWindowSize=1m", "-c", "core.packedGitLimit=32m")
# the cache of delta bases each keeps: the main process once kept 128 MB for the later commits'
# blobs, which a forked child now reads (``ahead.py``), and the lines of their findings, now kept
# from reading them (``blobs.BlobSource.held``)
DELTA_CACHE = "8m"
# what git's answers may fill before it waits for this process to read them: a later commit's ~80
# blobs from git average 17 KB on the realistic history (the kernel's default pipe: 64 KB)
PIPE_BYTES = 1 << 20


class GitError(Exception):
    """A git operation that failed; the message is meant for the user."""


class GitStopped(Exception):
    """``git cat-file`` stopped while answering (killed, a corrupt pack): the run cannot go on
    reading blobs, so it stops and says so (exit 2) rather than drawing points from what it lacks.
    Not a ``GitError``: those mark one commit's point and the rest is drawn."""


@dataclass(frozen=True)
class Commit:
    oid: str
    date: str  # committer date, ISO 8601
    timestamp: int
    author: str
    subject: str

    @property
    def short(self) -> str:
        return self.oid[:10]


@dataclass(frozen=True)
class Change:
    """One file of a ``diff-tree``: its path, the new mode and blob (None when deleted)."""

    path: str
    mode: str | None
    oid: str | None


def git_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"})
    return env


class Repository:
    def __init__(self, top: Path) -> None:
        self.top = top
        self._blobs: BlobReader | None = None

    @classmethod
    def containing(cls, path: Path) -> Repository:
        """The repository ``path`` is in; GitError when it is in none (or git is missing)."""
        try:
            out = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=path, capture_output=True, text=True,
                                 env=git_env(), check=False)
        except FileNotFoundError:
            raise GitError("git is not installed (or not on PATH); --history reads the repository through it") from None
        if out.returncode != 0:
            raise GitError(f"{path} is not in a git repository: --history needs one")
        return cls(Path(out.stdout.strip()).resolve())

    def run(self, *args: str) -> str:
        out = subprocess.run(["git", *args], cwd=self.top, capture_output=True, env=git_env(), check=False)
        if out.returncode != 0:
            message = out.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitError(message[0] if message else f"git {args[0]} failed (exit {out.returncode})")
        return out.stdout.decode("utf-8", "surrogateescape")

    # -- history ---------------------------------------------------------------------------------
    def commits(self, revision_range: str) -> list[Commit]:
        """The commits of a range along first parents, oldest first; GitError for a range git does
        not know (mentioning a shallow clone when it is one)."""
        if revision_range.startswith("-"):
            raise GitError(f"{revision_range!r} is not a revision range")
        try:
            text = self.run("log", "--first-parent", "--reverse", "--no-show-signature",
                            "--format=%H%x1f%cI%x1f%ct%x1f%an%x1f%s%x1e", revision_range, "--")
        except GitError as exc:
            hint = (f"; {self.top} is a shallow clone, so older commits may be missing (git fetch --unshallow)"
                    if self.is_shallow() else "")
            raise GitError(f"no revision range {revision_range!r} in {self.top}: {exc}{hint}") from None
        commits = []
        for record in text.split("\x1e"):
            record = record.strip("\n")
            if record:
                oid, date, stamp, author, subject = record.split("\x1f")
                commits.append(Commit(oid, date, int(stamp), author, subject))
        if not commits:
            raise GitError(f"the range {revision_range!r} holds no commits")
        return commits

    def is_shallow(self) -> bool:
        try:
            return self.run("rev-parse", "--is-shallow-repository").strip() == "true"
        except GitError:
            return False

    def shallow_boundary(self, commits: list[Commit]) -> Commit | None:
        """The first commit of ``commits`` whose parents the shallow clone lacks, if any."""
        if not self.is_shallow():
            return None
        path = Path(self.run("rev-parse", "--git-path", "shallow").strip())
        path = path if path.is_absolute() else self.top / path
        try:
            cut = set(path.read_text().split())
        except OSError:
            return None
        return next((c for c in commits if c.oid in cut), None)

    # -- trees -----------------------------------------------------------------------------------
    def tree(self, commit: str, prefix: str) -> dict[str, tuple[str, str]]:
        """``{path under prefix: (mode, blob)}`` of the files of a commit (paths relative to ``prefix``)."""
        text = self.run("ls-tree", "-r", "-z", "--full-tree", commit, *_under(prefix))
        out: dict[str, tuple[str, str]] = {}
        cut = len(prefix)
        for record in text.split("\0"):
            if not record:
                continue
            meta, _, path = record.partition("\t")
            mode, kind, oid = meta.split()
            if kind == "blob":
                out[path[cut:]] = (mode, oid)
        return out

    def changes(self, old: str, new: str, prefix: str) -> list[Change]:
        """The files that differ between two commits (paths relative to ``prefix``; no rename detection)."""
        text = self.run("diff-tree", "-r", "-z", "--no-renames", "--raw", old, new, *_under(prefix))
        return _changes(text.split("\0"), 0, len(prefix))[0]

    def changes_along(self, commits: list[str], prefix: str) -> dict[str, list[Change]]:
        """``{commit: its changes since the commit before it in the list}`` for every commit but the
        first, from one ``git diff-tree --stdin``: 49 runs of git cost a second of CPU, mostly starting up."""
        return self.start_changes_along(commits, prefix).result()

    def start_changes_along(self, commits: list[str], prefix: str) -> ChangesAlong:
        """``changes_along``, computed by git while this process goes on (``ChangesAlong.result``)."""
        return ChangesAlong(self.top, commits, prefix)

    # -- blobs -----------------------------------------------------------------------------------
    def blob(self, oid: str) -> bytes:
        if self._blobs is None:
            self._blobs = BlobReader(self.top)
        data = self._blobs.read(oid)
        assert data is not None
        return data

    def close(self) -> None:
        if self._blobs is not None:
            self._blobs.close()
            self._blobs = None


class ChangesAlong:
    """The changes between successive commits, asked of one ``git diff-tree --stdin`` that runs while
    this process lists and reads the first commit: asked and waited for in turn, git's 0.2 s on the
    realistic history (50 commits) were 0.25 s of wall clock in which this process did nothing. Its
    input and output are anonymous files, not pipes, so git never waits for this process to read."""

    def __init__(self, top: Path, commits: list[str], prefix: str) -> None:
        self._cut = len(prefix)
        self._found: dict[str, list[Change]] | None = {} if len(commits) < 2 else None
        self._process: subprocess.Popen[bytes] | None = None
        self._failure: GitError | None = None
        if self._found is not None:
            return
        # open until ``result`` or ``close``: git writes to them meanwhile
        self._out, self._err = tempfile.TemporaryFile(), tempfile.TemporaryFile()  # noqa: SIM115
        with tempfile.TemporaryFile() as pairs:
            pairs.write("".join(f"{new} {old}\n" for old, new in itertools.pairwise(commits)).encode())
            pairs.seek(0)
            try:
                self._process = subprocess.Popen(["git", "diff-tree", "--stdin", "--always", "-r", "-z", "--no-renames",
                                                  "--raw", *_under(prefix)], cwd=top, stdin=pairs,
                                                 stdout=self._out, stderr=self._err, env=git_env())
            except OSError as exc:
                self._close_files()
                raise GitError(f"git diff-tree could not start: {exc}") from None

    def ready(self) -> bool:
        """Whether ``result`` would not wait for git."""
        return self._found is not None or self._process is None or self._process.poll() is not None

    def result(self) -> dict[str, list[Change]]:
        """Waits for git (the first time); GitError when it failed."""
        if self._found is None:
            try:
                self._found = self._collect()
            except GitError as exc:
                self._found, self._failure = {}, exc
        if self._failure is not None:
            raise self._failure
        return self._found

    def _collect(self) -> dict[str, list[Change]]:
        assert self._process is not None
        code = self._process.wait()
        try:
            if code != 0:
                self._err.seek(0)
                message = self._err.read().decode("utf-8", "replace").strip().splitlines()
                raise GitError(message[0] if message else f"git diff-tree failed (exit {code})")
            self._out.seek(0)
            parts = self._out.read().decode("utf-8", "surrogateescape").split("\0")
        finally:
            self._close_files()
        found: dict[str, list[Change]] = {}
        i = 0
        while i < len(parts) - 1:  # each commit's line (``--always``: even when nothing changed), its files
            commit = parts[i]
            found[commit], i = _changes(parts, i + 1, self._cut)
        return found

    def close(self) -> None:
        """Stop git if it still runs (the run ended before it needed the changes)."""
        if self._process is not None and self._found is None:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait()
            self._close_files()
            self._found = {}

    def _close_files(self) -> None:
        self._out.close()
        self._err.close()


def _under(prefix: str) -> list[str]:
    """The pathspec of the files under ``prefix`` (relative to the top): none for the whole tree —
    git matched every path of every changed tree against "." (9 % of ``diff-tree``'s CPU on the
    realistic history)."""
    return ["--", prefix] if prefix else []


def _changes(parts: list[str], start: int, cut: int) -> tuple[list[Change], int]:
    """The changes of ``diff-tree -z --raw`` output from ``parts[start]`` up to the next commit line
    (a record's status field starts with ':', its path follows it); and where they stop."""
    out = []
    i = start
    while i < len(parts) - 1 and parts[i].startswith(":"):
        meta, path = parts[i], parts[i + 1]
        i += 2
        _, new_mode, _, new_oid, status = meta[1:].split()[:5]
        if new_mode == "160000":  # a submodule: not files of this repository
            continue
        deleted = status.startswith("D")
        out.append(Change(path[cut:], None if deleted else new_mode, None if deleted else new_oid))
    return out, i


class BlobReader:
    """One ``git cat-file --batch`` process answering blob requests in turn.

    A request can be written ahead (``ask``) and answered later (``answers``): git inflates the
    blobs while this process parses the ones before (a read-ahead child waited on git for a fifth
    of its time). Its answers wait in the pipe, enlarged to hold a few dozen blobs (``PIPE_BYTES``);
    one request is outstanding at a time, so git never waits for requests while this process waits
    for answers."""

    def __init__(self, top: Path) -> None:
        self.process = subprocess.Popen(["git", *LEAN, "-c", f"core.deltaBaseCacheLimit={DELTA_CACHE}", "cat-file",
                                         "--batch"], cwd=top, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        env=git_env())
        self._asked: list[str] | None = None  # the request written and not answered yet
        if self.process.stdout is not None:
            try:
                fcntl.fcntl(self.process.stdout.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
            except OSError:  # a system limit below it: git waits for this process sooner, nothing else
                pass

    def read(self, oid: str, limit: int | None = None) -> bytes | None:
        """The blob's content; None when it is larger than ``limit`` bytes (its content is not kept)."""
        result = self.read_many([oid], limit)[0]
        if isinstance(result, GitError):
            raise result
        return result

    def ask(self, oids: list[str]) -> None:
        """Request the blobs (all in one write: a round trip per blob through the pipe cost more than
        reading the blob — first commit of a 25,000-file tree: 90 s of waiting on a busy machine),
        to be taken with ``read_many`` of the same list. Asking them again is asking nothing; asking
        others reads past the answers of the request before, nobody wants them any more."""
        if oids == self._asked or not oids:
            return
        if self._asked is not None:
            self.read_many(self._asked, 0)
        stdin, _ = self._pipes()
        try:
            stdin.write("".join(oid + "\n" for oid in oids).encode())
            stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise GitStopped(f"git cat-file stopped: {exc}") from None
        self._asked = list(oids)

    def read_many(self, oids: list[str], limit: int | None = None) -> list[bytes | None | GitError]:
        """Each blob's content (None: larger than ``limit``; a GitError: missing), asked for unless
        ``ask`` asked for just these."""
        if not oids:
            return []
        self.ask(oids)
        self._asked = None
        _, stdout = self._pipes()
        return [self._answer(stdout, oid, limit) for oid in oids]

    @staticmethod
    def _answer(stdout: IO[bytes], oid: str, limit: int | None) -> bytes | None | GitError:
        try:
            header = stdout.readline().split()
        except OSError as exc:
            raise GitStopped(f"git cat-file stopped: {exc}") from None
        if len(header) >= 2 and header[1] == b"missing":
            return GitError(f"blob {oid} is missing from the repository (a partial clone?)")
        if len(header) < 3:
            raise GitStopped(f"git cat-file stopped before blob {oid}")
        size = int(header[2])
        if limit is not None and size > limit:
            left = size + 1
            while left > 0:
                chunk = stdout.read(min(left, 1 << 20))
                if not chunk:
                    raise GitStopped(f"git cat-file stopped in the middle of blob {oid}")
                left -= len(chunk)
            return None
        data = stdout.read(size)
        if len(data) != size:
            raise GitStopped(f"git cat-file stopped in the middle of blob {oid}")
        stdout.read(1)  # the newline after the content (read apart: slicing it off copied every blob)
        return data

    def _pipes(self) -> tuple[IO[bytes], IO[bytes]]:
        code = self.process.poll()
        if code is not None:
            how = f"killed by signal {-code}" if code < 0 else f"exit {code}"
            raise GitStopped(f"git cat-file stopped ({how})")
        if self.process.stdin is None or self.process.stdout is None:
            raise GitStopped("git cat-file stopped (its pipes are closed)")
        return self.process.stdin, self.process.stdout

    def close(self) -> None:
        """Stop git and wait for it. Both pipes are closed first: git in the middle of answers nobody
        reads any more (an interrupt, an error) would otherwise wait for ever to write them."""
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                try:
                    pipe.close()
                except OSError:  # unwritten requests to a git that has stopped
                    pass
        self.process.wait()
