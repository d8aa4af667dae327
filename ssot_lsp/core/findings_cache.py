"""The findings of the last whole-workspace `check`, given again while nothing they depend on changed.

A warm `check` of an unchanged tree used to load every file's facts from the facts cache and run
every rule over them again: five times ruff's warm run, which answers an unchanged tree from its
cache. This keeps the final result of a run — the findings, the unreadable files, the stale
configuration entries — under a key of everything it depends on:

- the tool: its version, and the size and mtime of every module of the package (a development
  checkout that changes a rule changes the findings without a version bump);
- the Python version (which syntax parses), the prefilter switch, the largest file analysed;
- the configuration, every field of it and where each came from (stale entries quote their origin);
- the workspace's files: the list the walk gives, in order (a file added, removed, renamed or
  newly git-ignored changes it), and each file's size, mtime and ctime (its content, as the facts
  cache trusts it too, and its permissions: a file unreadable last time may be readable now).

One ``stat`` per file remains, and one per directory: the walk itself is reused while no directory
it listed and no .gitignore it read changed (``files.WalkRecord``). A miss costs one hash over the list. One file per
configuration (``findings-<version>-f<format>-<key>.pickle`` beside the facts), replaced by each full run.
It lives in the workspace, which may not be trusted: unpickling builds only our result types, and
anything unreadable is a miss.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ssot_lsp import __version__
from ssot_lsp.config.model import Config
from ssot_lsp.core.atomic import write_atomic
from ssot_lsp.core.files import Stamp

FINDINGS_FORMAT = 2  # bump when what ``CachedFindings`` holds changes shape
PREFIX = "findings-"

# the result types a finding is made of; payloads (one class per kind of finding) are checked by base class
_ALLOWED_GLOBALS = {
    ("ssot_lsp.core.findings_cache", "CachedFindings"), ("ssot_lsp.core.violations", "Violation"),
    ("ssot_lsp.core.violations", "Related"), ("ssot_lsp.core.violations", "FileError"),
    ("ssot_lsp.core.text", "Span"), ("ssot_lsp.core.stale", "StaleEntry"), ("ssot_lsp.config.model", "Origin"),
    ("ssot_lsp.config.model", "ContextArg"), ("ssot_lsp.config.model", "FactorySpec"), ("builtins", "frozenset"), ("builtins", "set"),
}


@dataclass
class CachedFindings:
    """What a `check` reports of a whole-workspace scan, without the index it was computed from."""

    violations: list[Any]  # Violation
    errors: list[Any]  # FileError
    files_total: int
    files_analysed: int
    skipped_large: list[str]
    stale: list[Any]  # StaleEntry: what ``OpenedWorkspace.stale`` gave
    profile_missing: bool
    walked: list[str]  # the files the walk gave, and what it looked at (``files.WalkRecord``)
    walk: tuple[list[Stamp], list[Stamp]]


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        if module.startswith("ssot_lsp.core.") and name.isidentifier():
            from ssot_lsp.core.payload import Payload

            found = super().find_class(module, name)
            if isinstance(found, type) and issubclass(found, Payload):
                return found
        raise pickle.UnpicklingError(f"cache refers to {module}.{name}, which is not a result type")


class FindingsCache:
    def __init__(self, directory: Path, key: str) -> None:
        self.dir = directory
        self.file = directory / f"{PREFIX}{__version__}-f{FINDINGS_FORMAT}-{key}.pickle"

    @classmethod
    def for_workspace(cls, config: Config, source_roots: list[Path], max_bytes: int, prefilter: bool,
                      directory: Path) -> FindingsCache:
        basis = repr((FINDINGS_FORMAT, sys.version_info[:2], config, sorted(config.origins.items()),
                      [str(root) for root in source_roots], max_bytes, prefilter, package_digest()))
        return cls(directory, hashlib.blake2b(basis.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest())

    def load(self) -> tuple[str, CachedFindings] | None:
        """The stored findings and the tree digest (``tree_digest``) they are valid for, or None."""
        if self.dir.is_symlink():
            return None
        return read_stored(self.file)

    def save(self, tree: str, findings: CachedFindings) -> None:
        """Replace the stored findings (the directory exists: the facts cache was saved into it)."""
        try:
            if self.dir.is_symlink() or not self.dir.is_dir():
                return
            write_atomic(self.file, pickle.dumps((tree, findings), protocol=pickle.HIGHEST_PROTOCOL), mode=0o600)
        except (OSError, pickle.PicklingError):
            pass


def read_stored(file: Path) -> tuple[str, CachedFindings] | None:
    """(tree digest, findings) as stored in ``file``; None for anything else or unreadable."""
    try:
        with open(file, "rb") as handle:
            stored = _SafeUnpickler(handle).load()
    except (OSError, EOFError, pickle.UnpicklingError, KeyError, TypeError, AttributeError, ValueError,
            ImportError, IndexError, MemoryError, RecursionError):
        return None
    if isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[0], str) \
            and isinstance(stored[1], CachedFindings):
        return stored
    return None


def tree_digest(files: list[str]) -> str:
    """A digest of the walked files, in walk order, with each one's size, mtime and ctime (a file
    made readable again keeps its mtime: its stored error must not be reported again)."""
    parts = []
    stat = os.stat
    for path in files:
        try:
            info = stat(path)
            parts.append(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}")
        except OSError:
            parts.append(f"{path}\0-")
    return hashlib.blake2b("\n".join(parts).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


_PACKAGE_DIGEST: list[str] = []


def package_digest() -> str:
    """``sources_digest`` of the ssot_lsp package, once per process: code that changes without a
    version bump (a checkout being developed) must not be answered with the findings of the code before."""
    if not _PACKAGE_DIGEST:
        _PACKAGE_DIGEST.append(sources_digest(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    return _PACKAGE_DIGEST[0]


def sources_digest(package: str) -> str:
    """Size and mtime of every module and data file under ``package`` (a few hundred ``stat`` calls)."""
    parts = []
    for directory, dirnames, filenames in os.walk(package):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".py", ".toml", ".json")):
                try:
                    info = os.stat(os.path.join(directory, name))
                except OSError:
                    continue
                parts.append(f"{directory}/{name}\0{info.st_size}\0{info.st_mtime_ns}")
    return hashlib.blake2b("\n".join(parts).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
