"""Per-file results kept across the states of a history, with what each one looked at.

A file's findings (and the names it makes the prefilter look for) depend on its facts and on what
the index answered while the rules ran: the facts of the modules they resolved through, whether a
module exists, which classes bear a name, the set of modules. ``RecordingIndex`` notes every such
question under a *token* (a module name, ``class_token(name)``, ``KNOWN_SET``) while a file is
analysed — with the index's memo emptied first, so no answer comes from a memo another file
filled. Between two states of the workspace (the rounds of one commit, then the next commit),
``Reuse.sync`` finds the tokens whose answer changed; a file's result is reused when its facts are
the same object and none of its tokens changed since it was computed. A history of fifty commits
that each touch 2 % of the files then analyses a few hundred files per commit instead of thousands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ssot_lsp.config.model import Config
from ssot_lsp.core.classify import Classifier
from ssot_lsp.core.facts import ClassFact, FileFacts
from ssot_lsp.core.index import WorkspaceIndex

KNOWN_SET = "\0known"  # the set of module names as a whole (its size, an iteration over it)
T = TypeVar("T")


def class_token(name: str) -> str:
    return "\0class\0" + name


class Recorder:
    """The tokens read while ``deps`` is a set (one file's analysis); nothing otherwise."""

    def __init__(self) -> None:
        self.deps: set[str] | None = None

    def touch(self, token: str) -> None:
        if self.deps is not None:
            self.deps.add(token)


class RecordingKnown(dict[str, str]):
    """``known_modules`` (module -> path) that notes which modules are asked about."""

    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self.recorder = recorder

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        self.recorder.touch(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.recorder.touch(key)
        return super().__contains__(key)

    def __getitem__(self, key: str) -> str:
        self.recorder.touch(key)
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
    """The workspace index, noting each module, class name and module-set question it answers."""

    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self.recorder = recorder
        self.known_modules = RecordingKnown(recorder)

    def get(self, module: str) -> FileFacts | None:
        self.recorder.touch(module)
        return super().get(module)

    def is_module(self, module: str) -> bool:
        self.recorder.touch(module)
        return super().is_module(module)

    def classes_named(self, name: str) -> list[tuple[str, ClassFact]]:
        self.recorder.touch(class_token(name))
        return super().classes_named(name)

    def start_file(self) -> None:
        """Forget memoised resolutions (another file's questions) and make the classifier forget its
        own (it clears them when the generation moves); the class table stays, it is recorded by name."""
        self._memo.clear()
        self.generation += 1


@dataclass
class Memo(Generic[T]):
    facts: FileFacts
    epoch: int
    deps: frozenset[str]
    value: T


class Reuse:
    """The persistent index, the stamps of changed tokens, and the per-file results of one history."""

    def __init__(self) -> None:
        self.recorder = Recorder()
        self.config: Config | None = None
        self.index = RecordingIndex(self.recorder)
        self.classifier: Classifier | None = None
        self.epoch = 0
        self.stamps: dict[str, int] = {}
        self.computed = 0
        self.reused = 0
        self.tables: dict[str, dict[str, Memo[Any]]] = {}

    def sync(self, config: Config, loaded: Iterable[FileFacts], modules: dict[str, str]) -> WorkspaceIndex:
        """Bring the index to a new state of the workspace; stamp every token whose answer changed."""
        if config != self.config:
            self.config, self.index = config, RecordingIndex(self.recorder)
            self.classifier = Classifier(config, self.index)
            self.tables.clear()
        index = self.index
        wanted = {facts.module: facts for facts in loaded if modules.get(facts.module) == facts.path}
        changed: set[str] = set()
        for module in set(index.facts_by_module) | set(wanted):
            old, new = index.facts_by_module.get(module), wanted.get(module)
            if old is not new:
                changed.add(module)
                changed.update(class_token(c.name) for facts in (old, new) if facts is not None for c in facts.classes)
        known = dict.copy(index.known_modules)  # without recording
        if known.keys() != modules.keys():
            changed.add(KNOWN_SET)
        changed.update(m for m in set(known) | set(modules) if known.get(m) != modules.get(m))
        if changed:
            index.facts_by_module = wanted
            dict.clear(index.known_modules)
            dict.update(index.known_modules, modules)
            index.invalidate()
            self.epoch += 1
            for token in changed:
                self.stamps[token] = self.epoch
        return index

    def result(self, table: str, path: str, facts: FileFacts, compute: Callable[[], T]) -> T:
        """``compute()`` for the file, or its result from a state in which everything it read was the same."""
        memos = self.tables.setdefault(table, {})
        memo = memos.get(path)
        if memo is not None and memo.facts is facts and all(self.stamps.get(t, 0) <= memo.epoch for t in memo.deps):
            self.reused += 1
            return memo.value  # type: ignore[no-any-return]
        self.index.start_file()
        deps: set[str] = set()
        self.recorder.deps = deps
        try:
            value = compute()
        finally:
            self.recorder.deps = None
        memos[path] = Memo(facts, self.epoch, frozenset(deps), value)
        self.computed += 1
        return value

    def forget(self, paths: set[str]) -> None:
        """Drop the results of files that are gone (they cannot be reused)."""
        for memos in self.tables.values():
            for path in [p for p in memos if p not in paths]:
                del memos[path]
