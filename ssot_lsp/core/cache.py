"""Persistent facts cache keyed by file content, configuration and tool version.

An entry is trusted when size and mtime are unchanged; when they changed, the content is hashed
and compared before re-analysing. Files the prefilter skipped are remembered together with the
needles they were checked against: they stay skipped only while today's needles are a subset.

Where it lives (``cache_dir.cache_directory``): one directory per workspace root — ``.ssot-cache`` at the
root, like ruff's ``.ruff_cache`` — so that the command line and the language server share it and
it goes away with the checkout; ``--cache-dir``, then ``SSOT_LSP_CACHE_DIR``, then the `cache-dir`
setting move it. A directory the cache has to itself holds a ``.gitignore`` of ``*`` (git status
stays clean) and a ``CACHEDIR.TAG`` (backup tools skip it) — never one that holds the user's
files; editors hide it with one pattern (``**/.ssot-cache``).
Files of other tool versions or fact formats can never be read again and are removed on save,
and at most ``KEEP_CONFIGURATIONS`` configurations are kept.
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
from ssot_lsp.core.cache_dir import cache_directory
from ssot_lsp.core.facts import FileFacts
from ssot_lsp.core.violations import FileError

if TYPE_CHECKING:
    from ssot_lsp.core.reading import Meta
    from ssot_lsp.core.workspace import Workspace

KEEP_CONFIGURATIONS = 8
CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by ssot-lsp.\n"
                "# For information about cache directory tags see https://bford.info/cachedir/\n")
FACTS_FORMAT = 10  # bump whenever FileFacts (or a fact class) changes shape or what extraction puts in it: old pickles are not read


# The cache file lives in the (possibly untrusted) workspace: unpickling may only build our fact types,
# never call arbitrary globals (a crafted pickle would otherwise run code when a workspace is opened).
_ALLOWED_GLOBALS = {
    ("ssot_lsp.core.facts", name) for name in (
        "FileFacts", "ImportFact", "AliasFact", "ClassFact", "CallFact", "StringRefFact", "Suppression",
        "ParseProblem", "NameRefFact")
} | {("ssot_lsp.core.text", "Span"), ("ssot_lsp.core.signatures", "ParamFact"), ("ssot_lsp.core.violations", "FileError"),
     ("ssot_lsp.core.violations", "Related"), ("builtins", "frozenset"), ("builtins", "set")}


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED_GLOBALS:
            raise pickle.UnpicklingError(f"cache refers to {module}.{name}, which is not a fact type")
        return super().find_class(module, name)


class FactsCache:
    @classmethod
    def for_workspace(cls, workspace: Workspace, directory: Path | None = None) -> FactsCache:
        """The cache of a workspace (in ``directory``, default ``cache_directory(config)``): one file
        per configuration and set of source roots (absolute, so several roots can share a directory)."""
        roots = hashlib.sha1("|".join(map(str, workspace.source_roots)).encode()).hexdigest()[:6]
        return cls(directory or cache_directory(workspace.config), workspace.config.fingerprint() + roots)

    def __init__(self, directory: Path, key: str) -> None:
        self.dir = directory
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
        outcome = still_valid(facts, skipped_needles, words, module, is_package, needles)
        if outcome is not None:
            self.hits += 1
        return outcome

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
            created = not self.dir.exists()
            self.dir.mkdir(parents=True, exist_ok=True)
            if created or _only_ours(self.dir):
                for name, text in ((".gitignore", "# created by ssot-lsp\n*\n"), ("CACHEDIR.TAG", CACHEDIR_TAG)):
                    if not (self.dir / name).exists():
                        (self.dir / name).write_text(text)
            data = pickle.dumps({"entries": self.entries, "needles": sorted(self.needles)},
                                protocol=pickle.HIGHEST_PROTOCOL)
            write_atomic(self.file, data, mode=0o600)
            self._prune()
        except OSError:
            pass

    def _prune(self) -> None:
        """Remove what can never be read again (another version or fact format) and all but the
        ``KEEP_CONFIGURATIONS`` most recently written configurations; the same for the findings
        files (``core/findings_cache.py``), one per configuration too."""
        _prune_files(self.dir, "facts-", f"facts-{__version__}-f{FACTS_FORMAT}-", self.file)
        from ssot_lsp.core.findings_cache import FINDINGS_FORMAT, PREFIX

        _prune_files(self.dir, PREFIX, f"{PREFIX}{__version__}-f{FINDINGS_FORMAT}-", None)


def _prune_files(directory: Path, prefix: str, current: str, keep: Path | None) -> None:
    files = [p for p in directory.glob(prefix + "*.pickle") if p != keep and not p.is_symlink()]
    ours = sorted((p for p in files if p.name.startswith(current)), key=_mtime, reverse=True)
    for path in [p for p in files if not p.name.startswith(current)] + ours[KEEP_CONFIGURATIONS - 1:]:
        try:
            path.unlink()
        except OSError:
            pass


def still_valid(facts: FileFacts | None, skipped_needles: frozenset[str] | None, words: str | None, module: str,
                is_package: bool, needles: AbstractSet[str] | None) -> FileFacts | str | None:
    """A file's remembered outcome, if it holds for this run: facts of the same module name, parsed
    (if in part) for at least these needles; or its import words, if the prefilter skipped it for
    needles that cover these. (Shared with the blob facts of ``audit --history``.)"""
    if facts is not None:
        if facts.module != module or facts.is_package != is_package:
            return None
        partial = getattr(facts, "partial_needles", None)
        if partial is not None and (needles is None or not needles <= partial):
            return None  # parsed for fewer needles than this run looks for
        return facts
    if needles is not None and skipped_needles is not None and needles <= skipped_needles and words is not None:
        return words
    return None


def _only_ours(directory: Path) -> bool:
    """Whether a directory holds nothing but the cache's files. Only then are the ``.gitignore``
    of ``*`` and the ``CACHEDIR.TAG`` written: in a directory of the user's (``--cache-dir .``, a
    ``build/`` with content) they would hide the user's files from git and from backups."""
    try:
        return all(p.name in (".gitignore", "CACHEDIR.TAG") or p.name.startswith(("facts-", ".facts-", "findings-", ".findings-"))
                   for p in directory.iterdir())
    except OSError:
        return False


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
