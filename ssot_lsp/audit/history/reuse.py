"""Per-file results kept across the states of a history, with what each one looked at.

A file's findings (and the names it makes the prefilter look for) depend on its facts and on what
the index answered while the rules ran. ``RecordingIndex`` notes every question under a *token*
while one file is analysed — with the index's memo emptied first, so that no answer comes from a
memo another file filled. Another module's facts are handed out as a ``FactsView`` that notes
which part is read: one binding (``from X import Name`` only looks at ``Name``), the bindings as a
whole, the classes, the imports and scopes, anything else. Tokens:

* ``(X, "?")``       whether module X exists (is analysed, is in the workspace) and where — every
                     question about X notes it;
* ``(X, "b:Name")``  X's binding of ``Name``; ``(X, "b*")`` its bindings as a whole;
* ``(X, "classes")``, ``(X, "star")``, ``(X, "all")``;
* ``(X, "imports")`` its module-level imports and its plain ``import a.b`` anywhere — what another
  file's resolution reads of them (``index._attribute``); ``(X, "scopes")`` its scopes, local names
  and function-level imports, read only when resolving inside one of its functions or classes;
* ``(X, "")``        any other part of X's facts;
* ``(X, "package")``  whether X is a package of some module (``Classifier.module_exists``);
* ``("", "class:Name")`` the classes of that name anywhere; ``("", "known")`` the set of modules.

Between two states of the workspace (the rounds of one commit, then the next commit) ``Reuse.sync``
compares each replaced module's facts part by part and invalidates the results that read a token
whose answer changed (found through ``dependents``, token -> results, not by asking every result).
A file's result is reused when its own facts are the same object and none of its tokens changed:
editing a module that thousands of files import recomputes only those that read what changed.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from ssot_lsp.audit.history.collected import Change, DiscoveredNameCounts, OrderedFindings
from ssot_lsp.config.model import Config
from ssot_lsp.core.classify import Classifier, package_prefixes
from ssot_lsp.core.facts import ClassFact, FileFacts, ImportFact
from ssot_lsp.core.index import WorkspaceIndex

Token = tuple[str, str]
KNOWN_SET: Token = ("", "known")
PRESENT, ANY, ALL_BINDINGS = "?", "", "b*"
PACKAGE = "package"  # whether the module is a package of a module of the workspace (``RecordingClassifier``)
# the parts of a module's facts other files read, each with its own token; the rest is ANY
TRACKED = {"classes": "classes", "star_imports": "star", "all_names": "all", "imports": "imports",
           "scopes": "scopes", "local_names": "scopes", "scope_chain": "scopes"}
# parts that never change what another file's analysis sees (the module's identity is PRESENT)
UNSEEN = {"path", "module", "is_package", "partial_needles", "import_words", "bindings", "classes", "imports",
          "scopes", "local_names"}
T = TypeVar("T")


def class_token(name: str) -> Token:
    return ("", "class:" + name)


class Recorder:
    """The tokens read while ``deps`` is a set (one file's analysis); nothing otherwise."""

    def __init__(self) -> None:
        self.deps: set[Token] | None = None

    def touch(self, token: Token) -> None:
        if self.deps is not None:
            self.deps.add(token)


class RecordingBindings(Mapping[str, Any]):
    """A module's bindings, noting which names are looked up."""

    __slots__ = ("_bindings", "_module", "_recorder")

    def __init__(self, bindings: dict[str, Any], module: str, recorder: Recorder) -> None:
        self._bindings, self._module, self._recorder = bindings, module, recorder

    def __getitem__(self, name: str) -> Any:
        self._recorder.touch((self._module, "b:" + name))
        return self._bindings[name]

    def get(self, name: str, default: Any = None) -> Any:
        self._recorder.touch((self._module, "b:" + name))
        return self._bindings.get(name, default)

    def __contains__(self, name: object) -> bool:
        self._recorder.touch((self._module, "b:" + str(name)))
        return name in self._bindings

    def __iter__(self) -> Iterator[str]:
        self._recorder.touch((self._module, ALL_BINDINGS))
        return iter(self._bindings)

    def __len__(self) -> int:
        self._recorder.touch((self._module, ALL_BINDINGS))
        return len(self._bindings)


class FactsView:
    """Another module's facts as the rules see them through the index, noting what they read."""

    def __init__(self, facts: FileFacts, recorder: Recorder) -> None:
        self._facts = facts
        self._recorder = recorder
        self.bindings = RecordingBindings(facts.bindings, facts.module, recorder)
        self.module, self.path, self.is_package = facts.module, facts.path, facts.is_package

    def __getattr__(self, name: str) -> Any:
        self._recorder.touch((self._facts.module, TRACKED.get(name, ANY)))
        return getattr(self._facts, name)

    def scope_chain(self, scope: int) -> Iterator[int]:
        if scope != 0:  # the module scope's chain is itself, whatever the scopes are
            self._recorder.touch((self._facts.module, "scopes"))
        return self._facts.scope_chain(scope)


class RecordingKnown(dict[str, str]):
    """``known_modules`` (module -> path) that notes which modules are asked about."""

    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self.recorder = recorder

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        self.recorder.touch((key, PRESENT))
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self.recorder.touch((str(key), PRESENT))
        return super().__contains__(key)

    def __getitem__(self, key: str) -> str:
        self.recorder.touch((key, PRESENT))
        return super().__getitem__(key)

    def __iter__(self) -> Iterator[str]:
        self.recorder.touch(KNOWN_SET)
        return super().__iter__()

    def __len__(self) -> int:
        self.recorder.touch(KNOWN_SET)
        return super().__len__()

    def keys(self) -> Any:
        self.recorder.touch(KNOWN_SET)
        return super().keys()

    def items(self) -> Any:
        self.recorder.touch(KNOWN_SET)
        return super().items()

    def values(self) -> Any:
        self.recorder.touch(KNOWN_SET)
        return super().values()


class RecordingIndex(WorkspaceIndex):
    """The workspace index, noting each question it answers (see the module's docstring)."""

    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self.recorder = recorder
        self.known_modules = RecordingKnown(recorder)
        self.views: dict[str, FactsView] = {}
        # answers every file of this state of the index may ask for, with the tokens each read (``shared``)
        self.answers: dict[Hashable, tuple[Any, frozenset[Token]]] = {}

    def get(self, module: str) -> FileFacts | None:
        self.recorder.touch((module, PRESENT))
        facts = super().get(module)
        if facts is None:
            return None
        view = self.views.get(module)
        if view is None or view._facts is not facts:
            view = self.views[module] = FactsView(facts, self.recorder)
        return view  # type: ignore[return-value]  # a FileFacts to every reader

    # ``is_module`` asks ``known_modules`` first, which notes ``(module, PRESENT)`` (the question
    # asked most: ~58,000 times over the realistic history)

    def holds(self, facts: FileFacts) -> bool:
        # the facts themselves, not the view ``get`` hands out: which file defines the module is
        # what is read (``(module, PRESENT)`` changes when it moves to another file)
        self.recorder.touch((facts.module, PRESENT))
        return WorkspaceIndex.get(self, facts.module) is facts

    def classes_named(self, name: str) -> list[tuple[str, ClassFact]]:
        self.recorder.touch(class_token(name))
        return super().classes_named(name)

    def invalidate(self) -> None:
        super().invalidate()
        self.answers.clear()

    def shared(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, computed once for every file that asks while the index stays as it is
        (``invalidate`` forgets it): the tokens it read are noted for each file that asks, as if that
        file had computed it. Computed as at the start of a file — the memo emptied, the
        classifier's forgotten (``start_file``) — so that its tokens are everything it depends on,
        whichever file asks first. For a question a file's analysis asks at its top level, never
        from inside a resolution (whose cycle guard the emptied memo would lose).

        The first commit of the realistic history: its 2,357 analysed files hold ~30,000 imports
        of their own, ~1,100 distinct ones, each resolved for every file that held it."""
        recorder = self.recorder
        found = self.answers.get(key)
        if found is None:
            outer, memo = recorder.deps, self._memo
            recorder.deps, self._memo = set(), {}
            self.generation += 1
            try:
                value = compute()
                found = self.answers[key] = (value, frozenset(recorder.deps))
            finally:
                # what the classifier remembers from it stays: the file that asked reads its tokens now
                recorder.deps, self._memo = outer, memo
        if recorder.deps is not None:
            recorder.deps |= found[1]
        return found[0]  # type: ignore[no-any-return]

    def start_file(self) -> None:
        """Forget memoised resolutions (another file's questions) and make the classifier forget its
        own (it clears them when the generation moves); the class table stays, it is recorded by name."""
        self._memo.clear()
        self.generation += 1


class RecordingClassifier(Classifier):
    """The classifier, noting of ``module_exists`` which package it asks about rather than the whole
    set of modules (``KNOWN_SET``): nearly every commit adds or removes a module, while whether a
    module a migration removed is still a package of some module rarely changes (the realistic
    history: ~10 analyses a commit computed again, of files importing a legacy module gone)."""

    def module_exists(self, module: str) -> bool:
        index = self.index
        if index.is_module(module):
            return True
        count, packages = self._packages
        if count != dict.__len__(index.known_modules):  # not kept by ``Reuse.sync``: the whole set is read
            return super().module_exists(module)
        assert isinstance(index, RecordingIndex)
        index.recorder.touch((module, PACKAGE))
        return module in packages


def changed_parts(old: FileFacts, new: FileFacts) -> set[Token]:
    """The tokens of module ``new.module`` whose answer differs between two versions of its facts."""
    module = new.module
    out: set[Token] = set()
    if old.bindings != new.bindings:
        out.add((module, ALL_BINDINGS))
        out.update((module, "b:" + name) for name in set(old.bindings) | set(new.bindings)
                   if old.bindings.get(name) != new.bindings.get(name))
    if old.classes != new.classes:
        out.add((module, "classes"))
        before = {(c.name, c.scope): c for c in old.classes}
        after = {(c.name, c.scope): c for c in new.classes}
        out.update(class_token(key[0]) for key in set(before) | set(after) if before.get(key) != after.get(key))
    if _visible_imports(old) != _visible_imports(new):
        out.add((module, "imports"))
    if (old.scopes != new.scopes or old.local_names != new.local_names
            or [i for i in old.imports if i.scope] != [i for i in new.imports if i.scope]):
        out.add((module, "scopes"))
    for name in _COMPARED:
        token = (module, TRACKED.get(name, ANY))
        # a part whose token is noted already cannot add to ``out``: most parts share ANY, and the
        # lists of calls and references are the costly ones to compare when equal
        if token not in out and getattr(old, name) != getattr(new, name):
            out.add(token)
    return out


# the parts compared one by one in ``changed_parts``: the small ones first, so that a difference
# found there spares comparing the long lists that share its token
_CHEAP_FIRST = ("problem", "parsed", "ignore_file", "suppressions", "all_names", "star_imports", "all_spans")
_COMPARED = sorted((item.name for item in dataclasses.fields(FileFacts) if item.name not in UNSEEN),
                   key=lambda name: _CHEAP_FIRST.index(name) if name in _CHEAP_FIRST else len(_CHEAP_FIRST))


def _visible_imports(facts: FileFacts) -> list[ImportFact]:
    return [i for i in facts.imports if i.scope == 0 or i.name is None]


def _indexed(before: dict[str, FileFacts], loaded: Mapping[str, FileFacts], modules: dict[str, str],
             candidates: set[str] | None) -> tuple[dict[str, FileFacts], Iterable[str], set[str]]:
    """(the facts the index should hold by module, the modules whose facts may differ from
    ``before``'s, the modules gone). ``candidates``: the modules that moved or whose file was read
    again, the only ones that can have other facts (a commit's few hundred instead of the 4,000
    analysed modules of the realistic history); None: every module."""
    if candidates is None:
        wanted = {facts.module: facts for facts in loaded.values() if modules.get(facts.module) == facts.path}
        return wanted, wanted, set(before.keys() - wanted.keys())
    wanted = dict(before)
    for module in candidates:
        path = modules.get(module)
        facts = loaded.get(path) if path is not None else None
        if facts is not None and facts.module == module and facts.path == path:
            wanted[module] = facts
        else:
            wanted.pop(module, None)
    return wanted, candidates, {module for module in candidates if module in before and module not in wanted}


@dataclass
class Memo(Generic[T]):
    facts: FileFacts
    deps: frozenset[Token]
    value: T
    table: str
    path: str
    valid: bool = True  # no token it read has changed since it was computed


class PackageCounts:
    """The packages of a changing set of modules (``classify.package_prefixes``), each with the
    number of modules that imply it: a commit adds and removes a few modules of 25,000."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        # a module's packages by its parent (the first commit of the realistic history: 11,000
        # modules, 1,300 parents; finding a module's packages character by character cost 30 ms)
        self._of_parent: dict[str, list[str]] = {}

    def add(self, module: str) -> list[str]:
        """The module's packages that were none before."""
        counts = self.counts
        came = []
        for package in self._prefixes(module):
            count = counts[package] = counts.get(package, 0) + 1
            if count == 1:
                came.append(package)
        return came

    def _prefixes(self, module: str) -> list[str]:
        parent = module.rpartition(".")[0]
        found = self._of_parent.get(parent)
        if found is None:
            found = self._of_parent[parent] = package_prefixes(module)
        return found

    def remove(self, module: str) -> list[str]:
        """The module's packages that are none now."""
        counts = self.counts
        gone = []
        for package in self._prefixes(module):
            left = counts[package] - 1
            if left:
                counts[package] = left
            else:
                del counts[package]
                gone.append(package)
        return gone

    def packages(self) -> frozenset[str]:
        return frozenset(self.counts)


class Reuse:
    """The persistent index, the tokens changed by each state, and the per-file results of one history."""

    def __init__(self) -> None:
        self.recorder = Recorder()
        self.config: Config | None = None
        self.index = RecordingIndex(self.recorder)
        self.classifier: Classifier | None = None
        # token -> the results that read it: a state that changes a token invalidates those at once,
        # so that checking a file's result costs the same whatever the size of the workspace
        self.dependents: defaultdict[Token, list[Memo[Any]]] = defaultdict(list)
        self._listed = 0  # entries of ``dependents`` (some of results since replaced)
        self._live = 0  # those of valid results (kept as they change: summing them per commit cost)
        self.computed = 0
        self.reused = 0
        self.tables: dict[str, dict[str, Memo[Any]]] = {}
        # per table, the results last collected (``collect``), and the paths whose result may have
        # changed since: its memo retired, or its facts noted as read again (``note``); absent: any
        self.collected: dict[str, dict[str, Any]] = {}
        self.pending: dict[str, set[str]] = {}
        # the paths noted since the last ``forget`` (None: any): only these can have left the files
        self._noted: set[str] | None = None
        # their sums (``collected.py``), updated with every collection's changes
        self.discovered = DiscoveredNameCounts()
        self.ordered = OrderedFindings()
        self.tokens: dict[Token, Token] = {}
        self.packages = PackageCounts()  # of the index's modules, for each new classifier

    def sync(self, config: Config, loaded: Mapping[str, FileFacts], modules: dict[str, str],
             moved: set[str] | None = None, touched: set[str] | None = None) -> WorkspaceIndex:
        """Bring the index to a new state of the workspace (``loaded``: path -> facts); note every
        token whose answer changed. ``moved``: the modules whose path changed (added, gone, defined
        elsewhere) since the last sync, when the caller knows them; None compares every module.
        ``touched``: with ``moved``, the modules whose file's facts may have changed since (the
        others' are those the index holds); None compares every module's."""
        classifier = self.classifier
        if config != self.config:
            self.config, self.index = config, RecordingIndex(self.recorder)
            self.classifier = RecordingClassifier(config, self.index)
            self.packages = PackageCounts()
            self.tables.clear()
            self.pending.clear()
            self.dependents.clear()
            self._listed = self._live = 0
            moved = touched = None
        elif config is not self.config:
            # an equal configuration read again: results stay valid, but rules compare groups by
            # identity (``role.group is group``), so the classifier must hand out this one's groups
            self.config, self.classifier = config, RecordingClassifier(config, self.index)
        index = self.index
        before = index.facts_by_module
        wanted, candidates, gone = _indexed(before, loaded, modules, None if moved is None or touched is None
                                            else touched | moved)
        changed: set[Token] = set()
        replaced = False  # whether any module's facts are another object (one pass: it runs twice a commit)
        for module in candidates:
            new = wanted.get(module)
            if new is None:
                continue
            old = before.get(module)
            if old is new:
                continue
            replaced = True
            if old is None:
                changed.add((module, PRESENT))
                changed.update(class_token(c.name) for c in new.classes)
            else:
                changed |= changed_parts(old, new)
        for module in gone:
            replaced = True
            changed.add((module, PRESENT))
            changed.update(class_token(c.name) for c in before[module].classes)
        known = index.known_modules
        if moved is None:
            moved = {m for m in dict.keys(known) | modules.keys() if dict.get(known, m) != modules.get(m)}
        moved = {m for m in moved if dict.get(known, m) != modules.get(m)}
        if any(dict.__contains__(known, m) != (m in modules) for m in moved):
            changed.add(KNOWN_SET)
        changed.update((m, PRESENT) for m in moved)
        if replaced or moved:
            index.facts_by_module = wanted
            for module in moved:
                if module in modules:
                    if not dict.__contains__(known, module):
                        changed.update((package, PACKAGE) for package in self.packages.add(module))
                    dict.__setitem__(known, module, modules[module])
                elif dict.pop(known, module, None) is not None:
                    changed.update((package, PACKAGE) for package in self.packages.remove(module))
            if KNOWN_SET in changed:
                # the classifier memoises the packages of the module set by its size alone: a commit
                # that deletes one module and adds another would leave them stale
                self.classifier = RecordingClassifier(config, index)
            index.invalidate()
            self._invalidate(changed)
        if self.classifier is not classifier:
            assert self.classifier is not None
            self.classifier.know_packages(self.packages.packages())
        return index

    def _invalidate(self, changed: set[Token]) -> None:
        dependents = self.dependents
        for token in changed:
            memos = dependents.pop(token, None)
            if memos is not None:
                self._listed -= len(memos)
                for memo in memos:
                    self._retire(memo)

    def _retire(self, memo: Memo[Any]) -> None:
        """The result no longer counts (a token it read changed, it was replaced, its file is gone)."""
        if memo.valid:
            memo.valid = False
            self._live -= len(memo.deps)
            pending = self.pending.get(memo.table)
            if pending is not None:
                pending.add(memo.path)

    def note(self, paths: Iterable[str] | None) -> None:
        """The facts of ``paths`` may be other objects now (read again, carried over, gone); None:
        the facts of any path (a scan that did not start from the last commit's)."""
        if paths is None:
            self.pending.clear()
            self._noted = None
            return
        paths = list(paths)
        for pending in self.pending.values():
            pending.update(paths)
        if self._noted is not None:
            self._noted.update(paths)

    def collect(self, table: str, loaded: Mapping[str, FileFacts], compute: Callable[[FileFacts], Any],
                wanted: Callable[[str], bool] | None = None) -> list[Change]:
        """Bring the table's collected results (``self.collected[table]``: path -> ``result`` of
        every file of ``loaded`` that is ``wanted``) up to date, and say which changed.

        Only the pending paths are looked at — those whose memo was retired (a token it read
        changed, the file is gone) or whose facts were noted since the last collection — so that a
        commit costs its few dozen changed results, not a pass over the 2,000 analysed files of the
        realistic history: every other path holds a valid memo of the facts it was collected with."""
        values = self.collected.setdefault(table, {})
        pending = self.pending.get(table)
        self.pending[table] = set()
        paths: AbstractSet[str] = values.keys() | loaded.keys() if pending is None else pending
        memos = self.tables.setdefault(table, {})
        changes: list[Change] = []
        computed = self.computed
        for path in paths:
            facts = loaded.get(path)
            old = values.get(path)
            if facts is None or (wanted is not None and not wanted(path)):
                if old is not None:
                    del values[path]
                    changes.append((path, old, None))
                continue
            memo = memos.get(path)
            if memo is not None and memo.valid and memo.facts is facts:
                new = memo.value
            else:
                new = self.result(table, path, facts, partial(compute, facts))
            if new is not old:
                values[path] = new
                changes.append((path, old, new))
        self.pending[table] = set()  # the memos ``result`` replaced just now: collected already
        self.reused += len(values) - (self.computed - computed)
        return changes

    def result(self, table: str, path: str, facts: FileFacts, compute: Callable[[], T]) -> T:
        """``compute()`` for the file, or its result from a state in which everything it read was the same."""
        memos = self.tables.setdefault(table, {})
        memo = memos.get(path)
        if memo is not None and memo.valid and memo.facts is facts:
            self.reused += 1
            return memo.value  # type: ignore[no-any-return]
        self.index.start_file()
        deps: set[Token] = set()
        self.recorder.deps = deps
        try:
            value = compute()
        finally:
            self.recorder.deps = None
        if memo is not None:
            self._retire(memo)  # replaced: its entries in ``dependents`` no longer count
        tokens = self.tokens  # one object per distinct token: 25,000 files each keep ~100 of them
        memo = memos[path] = Memo(facts, frozenset(map(tokens.setdefault, deps, deps)), value, table, path)
        dependents = self.dependents
        for token in memo.deps:  # (~100 per result: a lookup each, the list made in C when new)
            dependents[token].append(memo)
        self._listed += len(memo.deps)
        self._live += len(memo.deps)
        self.computed += 1
        return value

    def forget(self, paths: AbstractSet[str]) -> None:
        """Drop the results of files that are gone (``paths``: the files now); list again the
        results that count when the replaced ones take more room than they do.

        Only the paths noted since the last call are looked at: a result is made for a file of
        the scan's files (``collect`` goes through them), and a file leaves them only by being read
        again, carried over as changed, or by a scan that reads every file — each noted
        (``note``), the last as None: every path."""
        noted, self._noted = self._noted, set()
        for memos in self.tables.values():
            gone = memos.keys() - paths if noted is None else [p for p in noted if p in memos and p not in paths]
            for path in gone:
                self._retire(memos.pop(path))
        if self._listed > 2 * self._live + 100_000:
            dependents: defaultdict[Token, list[Memo[Any]]] = defaultdict(list)
            for memos in self.tables.values():
                for memo in memos.values():
                    if memo.valid:
                        for token in memo.deps:
                            dependents[token].append(memo)
            self.dependents = dependents
            self._listed = self._live = sum(len(memos) for memos in dependents.values())
