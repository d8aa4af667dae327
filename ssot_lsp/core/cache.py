"""Persistent facts cache keyed by file content, configuration and tool version.

An entry is trusted when size and mtime are unchanged; when they changed, the content is hashed
and compared before re-analysing. Files the prefilter skipped are remembered together with the
needles they were checked against: they stay skipped only while today's needles are a subset.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ssot_lsp import __version__
from ssot_lsp.core.atomic import write_atomic
from ssot_lsp.core.facts import FileFacts
from ssot_lsp.core.violations import FileError

if TYPE_CHECKING:
    from ssot_lsp.core.reading import Meta
    from ssot_lsp.core.workspace import Workspace

CACHE_DIR = ".ssot-cache"
FACTS_FORMAT = 7  # bump whenever FileFacts (or a fact class) changes shape: old pickles are not read


# The cache file lives in the (possibly untrusted) workspace: unpickling may only build our fact types,
# never call arbitrary globals (a crafted pickle would otherwise run code when a workspace is opened).
_ALLOWED_GLOBALS = {
    ("ssot_lsp.core.facts", name) for name in (
        "FileFacts", "ImportFact", "AliasFact", "ClassFact", "CallFact", "StringRefFact", "Suppression",
        "ParseProblem")
} | {("ssot_lsp.core.text", "Span"), ("ssot_lsp.core.violations", "FileError"),
     ("ssot_lsp.core.violations", "Related"), ("builtins", "frozenset"), ("builtins", "set")}


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED_GLOBALS:
            raise pickle.UnpicklingError(f"cache refers to {module}.{name}, which is not a fact type")
        return super().find_class(module, name)


class FactsCache:
    @classmethod
    def for_workspace(cls, workspace: Workspace) -> FactsCache:
        """The cache of a workspace: one file per configuration and set of source roots."""
        roots = hashlib.sha1("|".join(map(str, workspace.source_roots)).encode()).hexdigest()[:6]
        return cls(workspace.root, workspace.config.fingerprint() + roots)

    def __init__(self, root: Path, key: str) -> None:
        self.dir = root / CACHE_DIR
        self.file = self.dir / f"facts-{__version__}-f{FACTS_FORMAT}-{key}.pickle"
        self.entries: dict[str, tuple] = {}
        self.needles: frozenset[str] = frozenset()
        self.dirty = False
        self.hits = 0
        try:
            if self.dir.is_symlink():
                raise OSError("cache directory is a symlink")
            with open(self.file, "rb") as handle:
                stored = _SafeUnpickler(handle).load()
            self.entries, self.needles = stored["entries"], frozenset(stored["needles"])
            if not isinstance(self.entries, dict) or not all(
                    isinstance(e, tuple) and len(e) == 6 for e in self.entries.values()):
                raise ValueError("malformed cache")
        except (OSError, EOFError, pickle.UnpicklingError, KeyError, TypeError, AttributeError, ValueError,
                ImportError, IndexError, MemoryError, RecursionError):
            self.entries, self.needles = {}, frozenset()

    def lookup(self, path: str, module: str, is_package: bool,
               needles: AbstractSet[str] | None) -> FileFacts | str | None:
        """The cached outcome of a file (its facts, or the import lines of a skipped file); None: read it."""
        entry = self.entries.get(path)
        if entry is None:
            return None
        size, mtime, digest, facts, skipped_needles, words = entry
        try:
            info = os.stat(path)
        except OSError:
            return None
        if (info.st_size, info.st_mtime_ns) != (size, mtime):
            if digest is None or info.st_size != size:
                return None
            from ssot_lsp.core.reading import content_digest

            try:
                with open(path, "rb") as handle:
                    if content_digest(handle.read()) != digest:
                        return None
            except OSError:
                return None
            self.entries[path] = (info.st_size, info.st_mtime_ns, digest, facts, skipped_needles, words)
            self.dirty = True
        if facts is not None:
            if facts.module != module or facts.is_package != is_package:
                return None
            partial = getattr(facts, "partial_needles", None)
            if partial is not None and (needles is None or not needles <= partial):
                return None  # parsed for fewer needles than this run looks for
            self.hits += 1
            return facts
        if needles is not None and skipped_needles is not None and needles <= skipped_needles and words is not None:
            self.hits += 1
            return words
        return None

    def store(self, path: str, outcome: FileFacts | FileError | str, meta: Meta | None,
              needles: AbstractSet[str] | None) -> None:
        if meta is None or isinstance(outcome, FileError):
            self.entries.pop(path, None)
            return
        size, mtime, digest = meta
        if isinstance(outcome, FileFacts):
            self.entries[path] = (size, mtime, digest, outcome, None, None)
        elif isinstance(outcome, str):
            self.entries[path] = (size, mtime, None, None, frozenset(needles) if needles is not None else None, outcome)
        else:
            self.entries.pop(path, None)
        self.dirty = True

    def record_needles(self, needles: AbstractSet[str] | None, skipped_paths: Iterable[str] = ()) -> None:
        """Files still skipped at the end of a scan were shown unable to use any of ``needles``:
        they lack the older ones and do not import the names behind the newer ones."""
        if needles is None:
            return
        final = frozenset(needles)
        for path in skipped_paths:
            entry = self.entries.get(path)
            if entry is not None and entry[3] is None and entry[4] is not None and entry[4] != final:
                self.entries[path] = (*entry[:4], final, entry[5])
                self.dirty = True
        self.needles = final

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            if self.dir.is_symlink():  # never write through a link out of the workspace
                return
            self.dir.mkdir(exist_ok=True)
            ignore = self.dir / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# created by ssot-lsp\n*\n")
            data = pickle.dumps({"entries": self.entries, "needles": sorted(self.needles)},
                                protocol=pickle.HIGHEST_PROTOCOL)
            write_atomic(self.file, data, mode=0o600)
        except OSError:
            pass
