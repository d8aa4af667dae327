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
import subprocess
from pathlib import Path

from ssot_lsp.audit.history.git import REGULAR_MODES, git_env


def indexed_blobs(top: Path) -> dict[str, str]:
    """``{absolute path: blob id}`` of the files the index lists (merged, regular files); empty
    when there is no index or git cannot list it."""
    try:
        out = subprocess.run(["git", "ls-files", "--stage", "-z"], cwd=top, capture_output=True, env=git_env(),
                             check=False)
    except OSError:
        return {}
    if out.returncode != 0:
        return {}
    prefix = str(top).rstrip("/") + "/"
    found: dict[str, str] = {}
    for record in out.stdout.decode("utf-8", "surrogateescape").split("\0"):
        meta, _, path = record.partition("\t")
        fields = meta.split()
        if len(fields) == 3 and fields[2] == "0" and fields[0] in REGULAR_MODES:
            found[prefix + path] = fields[1]
    return found


def read_if_blob(path: str, oid: str, max_bytes: int) -> bytes | None:
    """The file's content when it is the blob ``oid`` (and within ``max_bytes``); None otherwise."""
    try:
        with open(path, "rb") as file:
            if os.fstat(file.fileno()).st_size > max_bytes:  # (not read(max_bytes + 1): a buffer that large each time)
                return None
            data = file.read()
    except OSError:
        return None
    if len(data) > max_bytes:  # grew since
        return None
    digest = hashlib.sha1(usedforsecurity=False) if len(oid) == 40 else hashlib.sha256()
    digest.update(b"blob %d\0" % len(data))
    digest.update(data)
    return data if digest.hexdigest() == oid else None
