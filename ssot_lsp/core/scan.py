"""A fast, sound scan of a whole workspace: rounds of prefiltered reading, then the rules.

Each round reads the pending files (``pool.read_files``): files that contain none of the
prefilter's needles are skipped (only their import lines are kept), the others give facts — from
the statements that matter only (``core/partial/scan.py``) for large files. After a round the
index over the analysed files may show names bound to a group's symbols that no needle spells
(re-exports, aliases, subclasses); those become needles and the skipped files that import them are
read in the next round, until nothing new appears. Modules the prefilter skipped are still loaded
on demand when resolution reaches them. Finally every analysed file (or every requested one) is run
through the rules against one index.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ssot_lsp.core import pool, reading
from ssot_lsp.core.classify import Classifier
from ssot_lsp.core.discovered import DiscoveredNames, indexed_facts
from ssot_lsp.core.engine import analyze
from ssot_lsp.core.facts import FileFacts
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.pool import Outcome, read_files
from ssot_lsp.core.streaming import read_while_walking
from ssot_lsp.core.prefilter import WORD, base_needles, reduce_needles, watch_names, whole_modules
from ssot_lsp.core.violations import FileError, Violation
from ssot_lsp.core.wordsearch import word_matcher

if TYPE_CHECKING:
    from ssot_lsp.core.cache import FactsCache
    from ssot_lsp.core.pooled_streaming import ScanPool
    from ssot_lsp.core.stale import StaleEntry
    from ssot_lsp.core.workspace import Workspace

Progress = Callable[[int, int], None]


@dataclass
class ScanResult:
    violations: list[Violation] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    files_total: int = 0
    files_analysed: int = 0
    index: WorkspaceIndex | None = None
    facts: dict[str, FileFacts] = field(default_factory=dict)
    skipped_large: list[str] = field(default_factory=list)
    # a result from the findings cache has no index: what the front end computed from it is kept instead
    stale: list[StaleEntry] | None = None
    profile_missing: bool | None = None


@dataclass
class Scan:
    """The state of one scan across its rounds."""

    workspace: Workspace
    cache: FactsCache | None
    jobs: int
    progress: Progress | None
    result: ScanResult = field(default_factory=ScanResult)
    modules: dict[str, str] = field(default_factory=dict)  # module -> the path that defines it
    module_of: dict[str, tuple[str, bool]] = field(default_factory=dict)  # path -> (module, is_package)
    requested: set[str] | None = None  # explicit paths (as the walk names them): only their findings are reported
    loaded: dict[str, FileFacts] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # path -> its import lines (``import_lines``)
    discovered: DiscoveredNames | None = None  # the discovery rounds' questions and answers, once asked
    # per discovered name, the modules' last components the skipped files were searched through
    keyed: dict[str, set[str]] = field(default_factory=dict)
    everywhere: set[str] = field(default_factory=set)  # needles every skipped file was searched for
    done: int = 0
    counting: bool = True  # whether the files being read count towards ``done`` (the first round's)
    walked: list[str] | None = None  # the workspace's files, when the caller has walked it already
    pool: ScanPool | None = None  # the process pool of every round, when the first one read through it

    def run(self, paths: Iterable[Path] | None, prefilter: bool,
            severity_overrides: dict[str, str] | None) -> ScanResult:
        with collector_paused():
            needles = self._first_needles() if prefilter else None
            hits = self.cache.hits if self.cache is not None else 0
            if self._reads_while_walking(paths):
                self._read_rounds(needles, self._read_while_walking(needles))
            elif self._reads_into_pool_while_walking(paths):
                try:
                    self._read_rounds(needles, self._read_into_pool_while_walking(needles), hits)
                finally:
                    self._close_pool()
            else:
                self._name_files(paths)
                self._read_rounds(needles)
            if needles is not None:
                self._settle_partial_parses(needles)
            if self.cache is not None:
                self.cache.record_needles(needles, self.skipped)
            self._analyse(severity_overrides)
        return self.result

    # -- the files -----------------------------------------------------------------------------
    def _name_files(self, paths: Iterable[Path] | None) -> None:
        workspace, result = self.workspace, self.result
        names = workspace.module_names
        walked = self.walked if self.walked is not None else workspace.discover_files(None, result.errors)
        for path in walked:
            module, is_package = names.of_absolute(path) or names.of(Path(path))
            self.module_of[path] = (module, is_package)
            self.modules.setdefault(module, path)
        if paths:
            self.requested = requested_files(workspace.discover_files(paths, result.errors), paths)
            for requested in self.requested:
                if requested not in self.module_of:
                    self.module_of[requested] = names.of(Path(requested))
        result.files_total = len(self.module_of) if self.requested is None else len(self.requested)

    def _reads_while_walking(self, paths: Iterable[Path] | None) -> bool:
        """Whether the first round reads while the walk goes on (``core/streaming.py``): a whole
        workspace not walked yet, read without a cache (a check with a cache has walked it to know
        whether its findings are current) by the plain reader, from a process that may fork."""
        return (not paths and self.walked is None and self.cache is None and self.jobs > 1
                and type(self)._read is Scan._read and pool._forking_is_safe())

    def _reads_into_pool_while_walking(self, paths: Iterable[Path] | None) -> bool:
        """Whether the first round reads while the walk goes on through a process pool
        (``core/pooled_streaming.py``): a whole workspace not walked yet, read by the plain reader
        with several processes, from a thread that may not fork (the language server's)."""
        return (not paths and self.walked is None and self.jobs > 1 and type(self)._read is Scan._read
                and not pool._forking_is_safe())

    def _read_while_walking(self, needles: set[str] | None) -> list[tuple[str, Outcome]]:
        """The first round's outcomes, read while ``_name_files`` walks (what it records, recorded
        as the walk goes)."""
        workspace = self.workspace
        config = workspace.config
        return read_while_walking(self._named_while_walking(), needles, needles, workspace.max_bytes, self.jobs,
                                  whole_modules(config), watch_names(config), self._advance)

    def _read_into_pool_while_walking(self, needles: set[str] | None) -> list[tuple[str, Outcome]]:
        """``_read_while_walking`` through a process pool, with the cache; the pool reads the later
        rounds too (``_read``)."""
        from ssot_lsp.core.pooled_streaming import ScanPool, read_while_walking_in_pool

        workspace = self.workspace
        config = workspace.config
        self.pool = ScanPool(self.jobs)
        return read_while_walking_in_pool(self._named_while_walking(), needles, needles, workspace.max_bytes,
                                          self.pool, self.cache, whole_modules(config), watch_names(config),
                                          self._advance)

    def _close_pool(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None

    def _named_while_walking(self) -> Iterator[tuple[str, str, bool]]:
        """The workspace's files with their modules, recorded as ``_name_files`` records them as
        the walk goes on."""
        workspace, result = self.workspace, self.result
        names = workspace.module_names
        for path in workspace.files.discovering(None, result.errors):
            module, is_package = names.of_absolute(path) or names.of(Path(path))
            self.module_of[path] = (module, is_package)
            self.modules.setdefault(module, path)
            yield path, module, is_package
        result.files_total = len(self.module_of)

    def _first_needles(self) -> set[str] | None:
        needles = base_needles(self.workspace.config)
        if needles is not None and self.cache is not None and self.cache.needles:
            # names discovered by the last run: more needles only ever analyse more, so starting
            # from them is sound, and an unchanged workspace then needs a single round
            needles = reduce_needles(needles | set(self.cache.needles))
        return needles

    # -- the rounds ----------------------------------------------------------------------------
    def _read(self, paths: list[str], search: set[str] | None,
              needles: set[str] | None) -> list[tuple[str, Outcome]]:
        config = self.workspace.config
        return read_files(paths, self.module_of, search, needles, self.workspace.max_bytes, self.jobs, self.cache,
                          whole_modules(config), watch_names(config), self._advance if self.counting else None,
                          self.pool.executor if self.pool is not None else None)

    def _advance(self, files: int) -> None:
        """``files`` more files read (called as they are read, see ``read_files``)."""
        self.done += files
        if self.progress:
            self.progress(self.done, len(self.module_of))

    def _read_rounds(self, needles: set[str] | None, first: list[tuple[str, Outcome]] | None = None,
                     first_hits_before: int = 0) -> None:
        """Read, widen the needles with what the analysed files bind, read what can use the new ones;
        ``first``: the first round's outcomes, when read already (``_read_while_walking``), and the
        cache's hits before it was read."""
        pending = list(self.module_of)
        search = needles
        self.everywhere = set(needles or ())
        first_round = True
        while pending:
            hits_before = self.cache.hits if self.cache is not None else 0
            if first is not None:
                hits_before = first_hits_before
            # progress counts each file once: later rounds read again files the first one skipped
            self.counting, done_before = first_round, self.done
            if first is not None:
                outcomes, first, done_before = first, None, -1
            else:
                outcomes = self._read(pending, search, needles)
            if self.counting and self.done == done_before and outcomes:
                self._advance(len(outcomes))  # a reader that does not report as it reads (``_read`` overridden)
            self._sort_outcomes(outcomes)
            # nothing read afresh: the analysed files are exactly those of the run that recorded
            # these needles, so a discovery round could not find a new name
            unchanged = (first_round and self.cache is not None and bool(self.cache.needles)
                         and self.cache.hits - hits_before == len(pending))
            first_round = False
            if needles is None or unchanged:
                return
            new, search, keys = self._discover(needles)
            if not search:
                return
            needles |= new
            # skipped files lack every older needle, but for names now reachable through a new module
            pending = self._pending_for(search, keys)
            self._reparse_stale(search, keys, needles)

    def _sort_outcomes(self, outcomes: list[tuple[str, Outcome]]) -> None:
        result = self.result
        for path, outcome in outcomes:
            if isinstance(outcome, FileError):
                if outcome.message.startswith(reading.TOO_LARGE):
                    result.skipped_large.append(path)
                result.errors.append(outcome)
            elif isinstance(outcome, str):
                self.skipped[path] = outcome
            else:
                self.loaded[path] = outcome

    def _discover(self, needles: set[str]) -> tuple[set[str], set[str], set[str]]:
        """New needles; the needles to search the skipped files for; the words a file must import
        to use one (the names, and the last components of the modules binding them).

        A known name bound by a module read in the last round is searched for again: a file can use
        it through that module (``from app import b_user`` ... ``b_user.Thing()``) without
        importing anything an earlier round searched for, so only the new module's component is a key.
        """
        discovered, importers = self._discovered_names()
        new = reduce_needles({n for n in discovered - needles if not any(old in n for old in needles)})
        search = set(new)
        keys = {n[len(WORD):] for n in new if n.startswith(WORD)}
        everywhere = self.everywhere
        everywhere |= {n for n in new if not n.startswith(WORD)}  # plain: every skipped file is searched
        plain = [n for n in everywhere if not n.startswith(WORD)]
        for name, tails in importers.items():
            if WORD + name in everywhere or any(p in name for p in plain):
                continue  # no skipped file holds it (a configured class imported by 800 modules)
            seen = self.keyed.setdefault(name, set())
            fresh = tails if name in keys else tails - seen
            if fresh:
                keys |= fresh
                search.add(WORD + name)
                seen |= fresh
        return new, search, keys

    def _discovered_names(self) -> tuple[set[str], dict[str, set[str]]]:
        """``prefilter.discovered_needles`` over the files analysed so far: after the first round,
        only the questions whose answers the last round's files can change are asked again
        (``core/discovered.py``)."""
        if self.discovered is None:
            self.discovered = DiscoveredNames(self.workspace.config, self.modules)
        return self.discovered.update(self.loaded)

    def _pending_for(self, new: set[str], keys: set[str]) -> list[str]:
        """Skipped files that could use a new needle: any, for a plain one; else those whose import
        lines name one of ``keys`` (a file can only use a new name by importing it or its module)."""
        plain_new = any(not n.startswith(WORD) for n in new)
        imports_one_of = word_matcher(keys)
        pending = sorted(p for p, lines in self.skipped.items() if plain_new or imports_one_of(lines))
        for path in pending:
            del self.skipped[path]
        return pending

    def _reparse_stale(self, new: set[str], keys: set[str], needles: set[str]) -> None:
        """Files parsed only in part, for fewer needles, whose imports reach the new names: the
        statements using those names were not selected, so parse them again."""
        plain_new = any(not n.startswith(WORD) for n in new)
        stale = sorted(p for p, f in self.loaded.items() if f.partial_needles is not None
                       and (plain_new or not f.import_words.isdisjoint(keys)))
        if not stale:
            return
        self.counting = False
        for path, outcome in self._read(stale, None, needles):
            if isinstance(outcome, FileFacts):
                self.loaded[path] = outcome
            else:
                self.loaded.pop(path, None)

    def _settle_partial_parses(self, needles: set[str]) -> None:
        """Every partial parse is now valid for the final needles: files whose imports reached a
        later round's names were parsed again."""
        final = frozenset(needles)
        for facts in self.loaded.values():
            if facts.partial_needles is not None and facts.partial_needles != final:
                facts.partial_needles = final
                if self.cache is not None:
                    self.cache.dirty = True

    # -- the rules -----------------------------------------------------------------------------
    def _index(self) -> WorkspaceIndex:
        """An index over the analysed files only.

        No lazy loading: by the prefilter's induction (see ``discovered_needles``) a module the
        prefilter skipped cannot bind a name to a group symbol, so resolution never needs it;
        loading it anyway would parse every module any analysed file imports.
        """
        index = WorkspaceIndex(known_modules=self.modules)
        index.facts_by_module = indexed_facts(self.loaded, self.modules)
        return index

    def _analyse(self, severity_overrides: dict[str, str] | None) -> None:
        config, result = self.workspace.config, self.result
        index = self._index()
        classifier = Classifier(config, index)
        analysed = 0
        for path, facts in self.loaded.items():
            if self.requested is not None and path not in self.requested:
                continue
            analysed += 1
            result.violations.extend(analyze(facts, index, config, classifier, severity_overrides))
        result.violations.sort(key=Violation.sort_key)
        result.files_analysed = analysed  # of ``files_total``: the requested files, or all
        result.index = index
        result.facts = self.loaded


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection during a scan run from the main thread (the command line).

    A scan allocates millions of container objects that die by reference counting (syntax trees)
    or live to the end (facts): a collection finds next to nothing, yet each traversed the live
    trees of the file being read — 50-60 ms CPU of a cold check of the realistic corpus, with the
    same peak RSS without it (72 MB, -j 1). A scan in another thread (the language server's) leaves the
    collector, which is process-wide, to the server."""
    if threading.current_thread() is not threading.main_thread() or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        # what the scan built lives on (facts, index, findings) or is garbage already freed: the
        # first collection after it would traverse all of it for nothing (60-70 ms). Frozen
        # objects are still freed by reference counting, only never traversed by the collector
        gc.freeze()
        gc.enable()


def requested_files(found: list[str], paths: Iterable[Path]) -> set[str]:
    """The files of the explicit ``paths`` as the workspace walk names them: a directory's files are
    walked from its resolved path, as the root's are; a file named on the command line is resolved
    (``./a/../b.py``, a link) — string comparisons, where resolving every file cost a system call
    per path component."""
    named = {str(Path(p).absolute()) for p in paths}
    return {os.path.realpath(p) if p in named else p for p in found}


def scan(workspace: Workspace, paths: Iterable[Path] | None = None, jobs: int | None = None,
         cache: FactsCache | None = None, progress: Progress | None = None, prefilter: bool = True,
         severity_overrides: dict[str, str] | None = None, walked: list[str] | None = None) -> ScanResult:
    """``walked``: the files of the workspace (``discover_files()``), when the caller has them."""
    state = Scan(workspace, cache, jobs or os.cpu_count() or 1, progress, walked=walked)
    return state.run(paths, prefilter, severity_overrides)
