"""Blobs read from the working tree when a file there holds exactly the blob: as ``git diff`` does
(``reuse_worktree_file``), and for the same reason — inflating a blob at the end of a delta chain
costs git far more than reading the file and hashing it (realistic history: ~90 µs of git CPU per
blob against ~15 µs).

The candidates are the files the index lists with that blob id; each one's content is hashed as git
hashes a blob (``blob <size>\\0<content>``, SHA-1 or SHA-256 by the id's length) and used only when
the hash is the blob's id, so a file edited since, converted at checkout (``autocrlf``, a filter)
or replaced mid-run is read from git instead. Content-addressed: what is read is the blob itself,
whatever the working tree holds. A bare repository, or no index, has no candidates.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import tempfile
from pathlib import Path

from ssot_lsp.audit.history.git import REGULAR_MODES, git_env


def indexed_blobs(top: Path) -> dict[str, str]:
    """``{absolute path: blob id}`` of the files the index lists (merged, regular files); empty
    when there is no index or git cannot list it."""
    return IndexListing(top).result()


class IndexListing:
    """``indexed_blobs``, listed by a ``git ls-files`` started now and taken when the first blobs
    are read: the run's first commit is listed and named meanwhile (the listing was 25-40 ms of
    wall clock in which this process waited for git). Its output goes to an anonymous file: git
    never waits for this process to read."""

    def __init__(self, top: Path) -> None:
        self._prefix = str(top).rstrip("/") + "/"
        self._found: dict[str, str] | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._out = tempfile.TemporaryFile()  # noqa: SIM115 - open until ``result`` or ``close``: git writes to it
        try:
            self._process = subprocess.Popen(["git", "ls-files", "--stage", "-z"], cwd=top, stdout=self._out,
                                             stderr=subprocess.DEVNULL, env=git_env())
        except OSError:
            self._out.close()
            self._found = {}

    def result(self) -> dict[str, str]:
        if self._found is None:
            assert self._process is not None
            code = self._process.wait()
            self._out.seek(0)
            data = self._out.read()
            self._out.close()
            self._found = _index_entries(data, self._prefix) if code == 0 else {}
        return self._found

    def close(self) -> None:
        """Stop git if it still lists (the run ended before it read a blob)."""
        if self._found is None:
            assert self._process is not None
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait()
            self._out.close()
            self._found = {}


def _index_entries(listing: bytes, prefix: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for record in listing.decode("utf-8", "surrogateescape").split("\0"):
        meta, _, path = record.partition("\t")
        fields = meta.split()
        if len(fields) == 3 and fields[2] == "0" and fields[0] in REGULAR_MODES:
            found[prefix + path] = fields[1]
    return found


def read_if_blob(path: str, oid: str, max_bytes: int) -> bytes | None:
    """The file's content when it is the blob ``oid`` (and within ``max_bytes``); None otherwise.

    Raw ``os`` calls, as ``check`` reads a file (``reading._read_regular_file``): this runs for
    every blob the working tree holds — 11,000 at a commit of the realistic history — and ``open``'s
    buffered file object cost 0.05 s more of them than the reading itself. O_NONBLOCK: a FIFO put
    where the file was does not wait for a writer (it is no regular file: git is asked)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        data = os.read(fd, info.st_size + 1)  # one byte more: a file that grew since is not taken whole
        if len(data) > info.st_size:
            return None
    except OSError:
        return None
    finally:
        os.close(fd)
    digest = hashlib.sha1(usedforsecurity=False) if len(oid) == 40 else hashlib.sha256()
    digest.update(b"blob %d\0" % len(data))
    digest.update(data)
    return data if digest.hexdigest() == oid else None
