"""The scan of one commit: ``core/scan.Scan`` with its files named from the commit's tree and read
from git blobs, its facts kept across commits (``blobs.BlobFacts``).

Everything else — the prefilter's rounds, discovered needles, partial parses, the rules — is the
scan ``check`` runs, so a point of the history is what ``check`` reports on a checkout of that
commit. Like a warm cache, a commit starts from the needles the previous one ended with (more
needles only ever analyse more files).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from ssot_lsp.audit.history.blobs import BlobFacts, BlobSource, Item
from ssot_lsp.audit.history.reuse import Reuse
from ssot_lsp.core.engine import analyze
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.pool import Outcome
from ssot_lsp.core.prefilter import discovered_needles, watch_names, whole_modules
from ssot_lsp.core.scan import Scan
from ssot_lsp.core.violations import Violation


def walk_order(path: str) -> tuple[tuple[int, str], ...]:
    """The order in which ``check``'s walk meets files: depth first, a directory's files before its
    subdirectories, names sorted (the first file of two with one module name wins)."""
    parts = path.split("/")
    return (*((1, part) for part in parts[:-1]), (0, parts[-1]))


@dataclass
class CommitScan(Scan):
    files: dict[str, str] = field(default_factory=dict)  # root-relative path -> blob
    order: list[str] = field(default_factory=list)  # ``files`` in walk order
    names: dict[str, tuple[str, bool]] = field(default_factory=dict)  # root-relative path -> (module, is_package)
    only: tuple[str, ...] = ()  # root-relative prefixes whose findings are reported (empty: all)
    source: BlobSource | None = None
    reuse: Reuse = field(default_factory=Reuse)

    @property
    def blob_facts(self) -> BlobFacts:
        assert isinstance(self.cache, BlobFacts)
        return self.cache

    def _name_files(self, paths: object) -> None:
        root = str(self.workspace.root).rstrip("/") + "/"
        blobs: dict[str, str] = {}
        for rel in self.order or sorted(self.files, key=walk_order):
            path = root + rel
            module, is_package = self.names[rel]
            self.module_of[path] = (module, is_package)
            self.modules.setdefault(module, path)
            blobs[path] = self.files[rel]
        config = self.workspace.config
        self.blob_facts.at_commit(blobs, (whole_modules(config), watch_names(config), self.workspace.max_bytes))
        if self.only:
            self.requested = {root + rel for rel in self.files
                              if any(rel == p or rel.startswith(p.rstrip("/") + "/") for p in self.only)}
        self.result.files_total = len(self.module_of) if self.requested is None else len(self.requested)

    def _read(self, paths: list[str], search: set[str] | None,
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
                cache.store(path, outcome, needles)
                results.append((path, outcome))
        return results

    # -- the index and the rules, file by file, reusing what is unchanged (``reuse.py``) ------------
    def _index(self) -> WorkspaceIndex:
        return self.reuse.sync(self.workspace.config, self.loaded.values(), self.modules)

    def _discovered_names(self) -> tuple[set[str], dict[str, set[str]]]:
        index = self._index()
        classifier = self.reuse.classifier
        assert classifier is not None
        names: set[str] = set()
        importers: dict[str, set[str]] = {}
        for path, facts in self.loaded.items():
            found, binders = self.reuse.result(
                "discover", path, facts, partial(discovered_needles, index, classifier, [facts], None))
            names |= found
            for name, tails in binders.items():
                importers.setdefault(name, set()).update(tails)
        return names, importers

    def _analyse(self, severity_overrides: dict[str, str] | None) -> None:
        config, result = self.workspace.config, self.result
        index = self._index()
        classifier = self.reuse.classifier
        analysed = 0
        for path, facts in self.loaded.items():
            if self.requested is not None and path not in self.requested:
                continue
            analysed += 1
            result.violations.extend(self.reuse.result(
                "analyse", path, facts, partial(analyze, facts, index, config, classifier, severity_overrides)))
        result.violations.sort(key=Violation.sort_key)
        result.files_analysed = analysed  # of ``files_total``: the requested files, or all
        result.index = index
        result.facts = self.loaded
        self.reuse.forget(set(self.loaded))
