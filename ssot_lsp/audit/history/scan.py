"""The scan of one commit: ``core/scan.Scan`` with its files named from the commit's tree and read
from git blobs, its facts kept across commits (``blobs.BlobFacts``).

Everything else — the prefilter's rounds, discovered needles, partial parses, the rules — is the
scan ``check`` runs, so a point of the history is what ``check`` reports on a checkout of that
commit. Like a warm cache, a commit starts from the needles the previous one ended with (more
needles only ever analyse more files).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ssot_lsp.audit.history.blobs import BlobFacts, BlobSource, Item
from ssot_lsp.audit.history.named import NamedFiles, walk_order
from ssot_lsp.audit.history.reuse import Reuse
from ssot_lsp.core.engine import analyze
from ssot_lsp.core.facts import FileFacts
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.pool import Outcome
from ssot_lsp.core.prefilter import ImportPayload, discovered_needles, own_import_answer, watch_names, whole_modules
from ssot_lsp.core.scan import Scan, ScanResult
from ssot_lsp.core.violations import FileError, Violation

OWN_IMPORT = "own import"  # the key of an own import's answer among the index's shared ones


@dataclass
class LastScan:
    """What the previous commit's scan ended with: per file, the outcome the blob facts would give
    again for the same needles (facts, import words, or an error)."""

    needles: frozenset[str] | None
    loaded: dict[str, FileFacts]
    skipped: dict[str, str]
    errors: list[FileError]
    skipped_large: list[str]


@dataclass
class CommitScan(Scan):
    files: dict[str, str] = field(default_factory=dict)  # root-relative path -> blob
    named: NamedFiles | None = None  # the files, named; kept by the run across commits
    only: tuple[str, ...] = ()  # root-relative prefixes whose findings are reported (empty: all)
    source: BlobSource | None = None
    reuse: Reuse = field(default_factory=Reuse)
    last: LastScan | None = None  # the previous commit's, when its outcomes still hold (see ``_name_files``)
    finished: LastScan | None = None  # this commit's, once the scan is complete
    # told once the files are read (the needles final), before the rules run: ``run.HistoryRun._read_ahead``
    on_read: Callable[[CommitScan], None] | None = None
    _changed: set[str] = field(default_factory=set)
    _changed_modules: set[str] | None = None  # None: compare every module (first sync of a commit)
    _first_read: bool = True
    _needles: set[str] | None = None
    _synced: bool = False  # the index holds ``loaded`` as it is: no file was read since the last sync
    # paths whose facts may differ from those the index holds (changed or read since the last sync);
    # None: any (no commit before this one's scan, whose last sync left the index as ``last.loaded``)
    _touched: set[str] | None = None
    # the paths whose facts this commit's scan read or dropped, when it carried the others over from
    # the last commit's (None: it read every file)
    _read_paths: set[str] | None = None
    findings: dict[str, list[Violation]] = field(default_factory=dict)  # each analysed file's (``_analyse``)

    def run(self, paths: Iterable[Path] | None, prefilter: bool,
            severity_overrides: dict[str, str] | None) -> ScanResult:
        result = super().run(paths, prefilter, severity_overrides)
        self.finished = LastScan(self.final_needles, self.loaded, self.skipped, list(result.errors), list(result.skipped_large))
        return result

    @property
    def final_needles(self) -> frozenset[str] | None:
        """The needles the files were read with, once they are all read (None: no prefilter)."""
        return None if self._needles is None else frozenset(self._needles)

    def _first_needles(self) -> set[str] | None:
        self._needles = super()._first_needles()  # the set the rounds widen in place
        return self._needles

    @property
    def blob_facts(self) -> BlobFacts:
        assert isinstance(self.cache, BlobFacts)
        return self.cache

    def _name_files(self, paths: object) -> None:
        named = self.named
        assert named is not None
        # the run's own tables, not copies: the scan only reads them
        self.module_of, self.modules = named.module_of, named.modules
        self._changed, self._changed_modules = named.take()
        self._touched = set(self._changed) if self.last is not None else None
        config = self.workspace.config
        reading = (whole_modules(config), watch_names(config), self.workspace.max_bytes)
        if not self.blob_facts.at_commit(named.blobs, reading, self._changed if self.last else None):
            self.last = None  # facts are read differently now: nothing carries over
        if self.only:
            root = named.root
            self.requested = {root + rel for rel in self.files
                              if any(rel == p or rel.startswith(p.rstrip("/") + "/") for p in self.only)}
        self.result.files_total = len(self.module_of) if self.requested is None else len(self.requested)

    def _read(self, paths: list[str], search: set[str] | None,
              needles: set[str] | None) -> list[tuple[str, Outcome]]:
        first, self._first_read = self._first_read, False
        self._synced = False  # every change to ``loaded`` comes from a read
        last = self.last
        if first and last is not None and (None if needles is None else frozenset(needles)) == last.needles:
            # the first round with the needles the last commit ended with: an unchanged blob gives
            # what it gave then (``BlobFacts.lookup`` would answer so, one file at a time)
            paths = self._carry_over(last, paths)
        elif first:
            self._touched = None  # every file is read: the index compares every module
            self._read_paths = None
            self.reuse.note(None)  # and so do the results collected from the files' facts
        if self._touched is not None:
            self._touched.update(paths)
        if self._read_paths is not None:
            self._read_paths.update(paths)
        self.reuse.note(paths)
        return self._read_blobs(paths, search, needles)

    def _carry_over(self, last: LastScan, paths: list[str]) -> list[str]:
        """Take the unchanged files' outcomes from ``last`` (its tables themselves: it is used once,
        and copying 11,000 entries per commit cost more than the few hundred changes); the changed
        files of ``paths``, to read."""
        changed = self._changed
        self.loaded, self.skipped = last.loaded, last.skipped
        for path in changed:
            self.loaded.pop(path, None)
            self.skipped.pop(path, None)
        self.result.errors.extend(e for e in last.errors if e.path not in changed)
        self.result.skipped_large.extend(p for p in last.skipped_large if p not in changed)
        todo = [p for p in changed if p in self.module_of]
        self.blob_facts.hits += len(paths) - len(todo)
        self.reuse.note(changed)
        self._read_paths = set(changed)
        return sorted(todo, key=lambda p: walk_order(p[len(self.named.root):]))  # type: ignore[union-attr]

    def _read_blobs(self, paths: list[str], search: set[str] | None,
                    needles: set[str] | None) -> list[tuple[str, Outcome]]:
        cache = self.blob_facts
        results: list[tuple[str, Outcome]] = []
        items: list[Item] = []
        for path in paths:
            module, is_package = self.module_of[path]
            hit = cache.lookup(path, module, is_package, needles)
            if hit is not None:
                results.append((path, hit))
            else:
                items.append((path, cache.blobs[path], module, is_package))
        if items:
            assert self.source is not None
            config = self.workspace.config
            fresh = self.source.read(items, search, needles, whole_modules(config), watch_names(config),
                                     self.workspace.max_bytes)
            cache.reads += len(fresh)
            for path, outcome in fresh:
                results.append((path, cache.store(path, outcome, needles)))
        return results

    def _settle_partial_parses(self, needles: set[str]) -> None:
        """Only the files read by this commit's scan: those carried over from the last commit were
        settled for its final needles, when they are this one's too."""
        last = self.last
        if self._read_paths is None or last is None or last.needles != frozenset(needles):
            super()._settle_partial_parses(needles)
            return
        final, loaded = last.needles, self.loaded
        for path in self._read_paths:
            facts = loaded.get(path)
            if facts is not None and facts.partial_needles is not None and facts.partial_needles != final:
                facts.partial_needles = final
                self.blob_facts.dirty = True

    # -- the index and the rules, file by file, reusing what is unchanged (``reuse.py``) ------------
    def _index(self) -> WorkspaceIndex:
        # the modules that moved since the last commit's scan synced the index: known when it
        # completed (``last``), else every module is compared; later syncs of this commit: none
        if self._synced:
            # the analysis after a discovery round that read nothing: comparing the 4,000 facts of
            # the realistic history again would find nothing
            return self.reuse.index
        moved = self._changed_modules if self.last is not None else None
        touched = None
        if moved is not None and self._touched is not None:
            module_of = self.module_of
            touched = {module_of[path][0] for path in self._touched if path in module_of}
        self._changed_modules, self._touched, self._synced = set(), set(), True
        return self.reuse.sync(self.workspace.config, self.loaded, self.modules, moved, touched)

    def _discovered_names(self) -> tuple[set[str], dict[str, set[str]]]:
        index = self._index()
        classifier = self.reuse.classifier
        assert classifier is not None
        shared = self.reuse.index.shared

        def own_import(payload: ImportPayload) -> tuple[bool, bool | None]:
            # the same for every file that holds the import (as ``check`` resolves it once for all)
            return shared((OWN_IMPORT, payload), partial(own_import_answer, index, classifier, payload))

        compute = partial(discovered_needles, index, classifier, own_import=own_import)
        return self.reuse.discovered.update(self.reuse.collect("discover", self.loaded,
                                                               lambda facts: compute([facts], None)))

    def _analyse(self, severity_overrides: dict[str, str] | None) -> None:
        config, result = self.workspace.config, self.result
        if self.on_read is not None:
            self.on_read(self)
        index = self._index()
        classifier = self.reuse.classifier
        requested = self.requested
        changes = self.reuse.collect("analyse", self.loaded,
                                     partial(analyze, index=index, config=config, classifier=classifier,
                                             severity_overrides=severity_overrides),
                                     None if requested is None else requested.__contains__)
        findings = self.findings = self.reuse.collected["analyse"]
        # the findings are ``findings`` in the order of ``reuse.ordered.paths``: made one list only when
        # asked for (``points.FileLists``), ``result.violations`` stays empty
        self.reuse.ordered.update(changes)
        result.files_analysed = len(findings)  # of ``files_total``: the requested files, or all
        result.index = index
        result.facts = self.loaded
        if self._first_read:  # nothing was read, nor carried over: every file of the last commit is gone
            self.reuse.note(None)
        self.reuse.forget(self.loaded.keys())
