"""Reading one file for a scan: raw bytes, the prefilter, decoding, facts.

Runs in worker processes for large trees (``ssot_lsp.core.pool``), so it only returns picklable
values: the cache metadata and either the facts, a ``FileError``, or — for a file the prefilter
skips — the text of its import lines.
"""

from __future__ import annotations

import os
import stat as stat_module
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import TYPE_CHECKING

from ssot_lsp.core.facts import FileFacts, extract_facts
from ssot_lsp.core.prefilter import import_words, mentions, skipped_import_lines
from ssot_lsp.core.text import UndecodableSource, decode_source
from ssot_lsp.core.violations import FileError

if TYPE_CHECKING:
    from ssot_lsp.core.partial.replay import PartialMemo

Meta = tuple[int, int, "str | None"]  # (size, mtime_ns, content digest or None) for the cache


def read_facts(path: str | Path, module: str, is_package: bool, max_bytes: int,
               needles: AbstractSet[str] | None = None, checked: AbstractSet[str] | None = None,
               whole_modules: frozenset[str] = frozenset(),
               watch: frozenset[str] = frozenset(),
               digest: bool = True) -> tuple[Meta | None, FileFacts | FileError | str]:
    """(meta, facts | error | the import words (a str) when the prefilter says the file cannot matter).

    ``meta`` is (size, mtime_ns, digest-or-None) for the cache; the digest is only computed for
    files that were analysed, where it costs little next to parsing, and only when ``digest`` (a
    run without cache has no use for it). ``whole_modules`` (the group
    modules) are never skipped and always parsed whole: what they define (or no longer define)
    matters whatever they mention. ``watch``: see ``extract_facts``.
    """
    name = os.fspath(path)  # a str from a scan (no ``Path`` per file)
    try:
        info, data = _read_regular_file(name, max_bytes)
    except FileNotFoundError:
        return None, FileError(name, "vanished during the run")
    except PermissionError:
        return None, FileError(name, "permission denied")
    except OSError as exc:
        return None, FileError(name, f"cannot read: {exc.strerror or exc}")
    if data is None:
        if not stat_module.S_ISREG(info.st_mode):
            return None, FileError(name, "not a regular file")
        return None, FileError(name, too_large(max_bytes))
    outcome = facts_of_bytes(data, name, module, is_package, needles, checked, whole_modules, watch)
    hashed = content_digest(data) if digest and not isinstance(outcome, str) else None
    return (info.st_size, info.st_mtime_ns, hashed), outcome


TOO_LARGE = "larger than"  # every front end prints "PATH: skipped: " before a file error's message


def too_large(max_bytes: int) -> str:
    return f"{TOO_LARGE} {max_bytes // 1024} KB"


def facts_of_bytes(data: bytes, path: str, module: str, is_package: bool, needles: AbstractSet[str] | None = None,
                   checked: AbstractSet[str] | None = None, whole_modules: frozenset[str] = frozenset(),
                   watch: frozenset[str] = frozenset(), memo: PartialMemo | None = None) -> FileFacts | FileError | str:
    """What a scan keeps of one file's content, wherever it was read from (the disk, or a git blob
    for ``audit --history``): its facts, why not, or its import lines when the prefilter skips it.
    ``memo``: for a partial parse (``partial_facts``)."""
    if needles is not None and module not in whole_modules and not mentions(data, needles):
        # a skipped file is summarised by its import lines, one string (cheap to cache and load),
        # unless a star import or a suppression directive makes it matter all the same
        lines = skipped_import_lines(data)
        if lines is not None:
            return lines
    try:
        text, _ = decode_source(data)
    except UndecodableSource as exc:
        return FileError(path, str(exc))
    if checked is not None and module not in whole_modules:
        from ssot_lsp.core.partial.scan import partial_facts

        facts = partial_facts(text, path, module, is_package, checked, watch, memo)
        if facts is not None:
            facts.import_words = import_words(data)
            return facts
    return extract_facts(text, path, module, is_package, watch=watch)


def _read_regular_file(path: str, max_bytes: int) -> tuple[os.stat_result, bytes | None]:
    """(stat, content), or (stat, None) for something that is not a regular file or is too large.

    Raw ``os`` calls: this runs for every file of a workspace, and pathlib's stat + read_bytes cost
    three times as much. O_NONBLOCK so that opening a FIFO does not wait for a writer.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat_module.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return info, None
        data = os.read(fd, info.st_size + 1)
        if len(data) > info.st_size:  # grew since fstat: read to the end
            parts = [data]
            while part := os.read(fd, 1 << 20):
                parts.append(part)
            data = b"".join(parts)
        return info, data
    finally:
        os.close(fd)


def content_digest(data: bytes) -> str:
    """Only a run with the cache digests what it reads: a cold check without it never loads OpenSSL
    (hashlib: 3 ms before the first file could be read)."""
    import hashlib

    return hashlib.blake2b(data, digest_size=16).hexdigest()
