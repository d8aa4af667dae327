"""The names a scan's rounds discover, kept up to date as each round adds files.

``prefilter.discovered_needles`` asks, for every analysed file, whether each name it imports or
aliases reaches a group symbol, and whether each class it defines is a discovered duplicate. Asked
again after every round, that was ~40,000 bindings each time (45-50 ms of CPU per round on the
realistic corpus) for the ~35 files a later round reads. Here each question is asked once and kept
with the modules it looked at; after a round only the questions that looked at a module whose facts
changed are asked again, with those of the files the round read or parsed again.

Why the kept answers are what asking everything again would answer:

1. A question is answered from empty memos (``_ask`` empties the index's, and moves its generation,
   which empties the classifier's and the class nature's), so its answer is a function of the
   question and of what the index hands out while it is answered. The index hands out facts only
   through ``get`` and tells whether a module exists through ``is_module``; ``_RecordingIndex``
   notes the module of every such call. Everything else it answers from — the configuration, the
   workspace's module names (``known_modules``) — stays the same for the whole scan. A question
   that lists classes by name (``classes_named`` reads every module) is asked every round.
2. Between two rounds the index changes only in the facts it holds for some modules: a file read,
   parsed again (new facts, never the old ones changed in place) or dropped. ``update`` builds the
   index's table as ``Scan._index`` does and compares it, module by module, by identity with the
   one it held: the modules whose facts changed.
3. A question none of whose noted modules changed would be asked of the same facts: its answer
   stands. Every other one is asked again (``dependents``: module -> the questions that noted it).
4. Which questions a file asks depends on its own facts and on whether the index holds them for
   its module (a shadowed duplicate module asks through the file the index holds): a file whose
   facts changed, or whose module's facts did, is taken apart again (``_take_apart``); a class's
   question reads the file's own class fact, so it is dropped with the file's facts.

So after every round the kept answers are those of every question asked afresh, and the names and
the modules binding them are gathered from the questions that reach a group (a few thousand
bindings, not 40,000).

Two differences from ``discovered_needles`` calling itself round after round, neither of which
drops a name: an answer never comes from a memo another question filled (with shared memos, a
resolution meeting its own cycle guard could answer by the order of the questions), and an import
of a shadowed duplicate module whose resolution stopped outside the analysed files is asked again
when the module the index holds changes (``discovered_needles`` skipped it as settled).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from ssot_lsp.config.model import Config
from ssot_lsp.core.classify import Classifier, Duplicate
from ssot_lsp.core.facts import ClassFact, FileFacts
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.prefilter import WORD, ImportPayload

# an import's payload (is_from, source, imported): an import of the file the index holds for its
# module, the same for every file holding it; (module, name): what the module the index holds binds
# to the name (an alias, or an import of a shadowed duplicate); (path, position): a class of the file.
# Plain tuples, told apart by length and type: the first round takes apart ~40,000 bindings
Question = ImportPayload | tuple[str, str] | tuple[str, int]
_DUPLICATES = (Duplicate.DEFINITION, Duplicate.NAME)


class _RecordingIndex(WorkspaceIndex):
    """The index, noting the modules it is asked about while ``reads`` is a set (see the module's
    docstring, point 1)."""

    def __init__(self, known_modules: dict[str, str]) -> None:
        super().__init__(known_modules=known_modules)
        self.reads: set[str] | None = None
        self.read_everything = False

    def get(self, module: str) -> FileFacts | None:
        reads = self.reads
        if reads is not None:
            reads.add(module)
        return self.facts_by_module.get(module)  # no loader: a scan's index never loads

    def is_module(self, module: str) -> bool:
        reads = self.reads
        if reads is not None:
            reads.add(module)
        return module in self.known_modules or module in self.facts_by_module

    def classes_named(self, name: str) -> list[tuple[str, ClassFact]]:
        self.read_everything = True
        return super().classes_named(name)


def indexed_facts(loaded: Mapping[str, FileFacts], modules: Mapping[str, str]) -> dict[str, FileFacts]:
    """module -> the facts a scan's index holds for it: of the analysed files, the one the module
    names (``modules``: module -> its first file); a shadowed duplicate (the same module in both
    the root and ``src/``) is left out."""
    table: dict[str, FileFacts] = {}
    for facts in loaded.values():
        first = modules.get(facts.module)
        if first is not None and first != facts.path:
            continue
        table[facts.module] = facts
    return table


class DiscoveredNames:
    """The questions of ``discovered_needles`` over the analysed files of one scan, with their
    answers and what each looked at, across the scan's rounds."""

    def __init__(self, config: Config, modules: dict[str, str]) -> None:
        self.modules = modules
        self.index = _RecordingIndex(modules)
        self.classifier = Classifier(config, self.index)
        self.files: dict[str, FileFacts] = {}  # path -> the facts taken apart
        # path -> its questions, each with the name it decides there (a legacy module's: its classes')
        self.asks: dict[str, dict[Question, str]] = {}
        # path -> (question, name) of every binding, for the rare file binding two names to one question
        self.shared: dict[str, list[tuple[Question, str]]] = {}
        self.answers: dict[Question, bool] = {}
        self.dependents: dict[str, set[Question]] = {}  # module -> the questions that noted it
        self.every_round: set[Question] = set()  # questions that read every module
        # path -> the names its reaching questions decide (files with none left out): looked up
        # again only for the files taken apart and those asking a question whose answer turned
        self.reached: dict[str, list[str]] = {}
        self.asked_count = 0  # questions asked so far (tests, benchmarks)

    def update(self, loaded: Mapping[str, FileFacts]) -> tuple[set[str], dict[str, set[str]]]:
        """``discovered_needles`` over ``loaded`` (path -> facts, the analysed files): the names that
        reach a group symbol, and per name the last components of the modules binding it."""
        files, answers, asks = self.files, self.answers, self.asks
        changed = self._sync(loaded)
        again = set(self.every_round)
        for module in changed:
            again |= self.dependents.pop(module, set())
        retake = {path for path in files.keys() | loaded.keys() if files.get(path) is not loaded.get(path)}
        if changed:
            retake.update(path for path, facts in files.items() if facts.module in changed)
        before = {question: answers.pop(question) for question in again if question in answers}
        for path in retake:
            self._drop(path)
        for path in retake:
            facts = loaded.get(path)
            if facts is not None:
                self._take_apart(path, facts)
        # asked again: those whose modules changed (a file that asked them may be gone: asking
        # costs less than knowing), then the questions of the files taken apart not answered yet
        for question in again:
            if not _is_class(question) or question[0] in files:
                answers[question] = self._ask(question)
        new: set[Question] = set().union(*[asks[path] for path in retake if path in asks])
        new.difference_update(answers)  # in C: the first round's files hold ~37,000 questions
        for question in new:
            answers[question] = self._ask(question)
        turned = {question for question, found in before.items() if answers.get(question, False) != found}
        if turned:
            retake.update(path for path, held in asks.items() if not turned.isdisjoint(held))
        return self._gather(retake)

    def _sync(self, loaded: Mapping[str, FileFacts]) -> set[str]:
        """Bring the index to ``loaded``; the modules whose facts it holds changed (point 2)."""
        index = self.index
        before, after = index.facts_by_module, indexed_facts(loaded, self.modules)
        changed = {module for module in before.keys() | after.keys() if before.get(module) is not after.get(module)}
        if changed:
            index.facts_by_module = after
            index.invalidate()
        return changed

    def _drop(self, path: str) -> None:
        self.files.pop(path, None)
        self.shared.pop(path, None)
        for question in self.asks.pop(path, ()):
            if _is_class(question):
                self.answers.pop(question, None)

    def _take_apart(self, path: str, facts: FileFacts) -> None:
        """The file's questions (point 4): its imports and aliases (a class, def or plain value
        binds itself: only the configured names, needles already, have a role), and its classes.
        Built in one comprehension (the first round takes apart ~37,000 imports, 17 ms); a dunder
        name's question is asked all the same, its name is left out when gathered."""
        module = facts.module
        if self.classifier.legacy_module_group(module) is not None:
            pairs = []
        elif self.index.facts_by_module.get(module) is facts:
            pairs = [(payload if kind == "import" else (module, name), name)
                     for name, (kind, payload) in facts.bindings.items() if kind == "import" or kind == "alias"]
        else:  # a shadowed duplicate: its names resolve through the file the index holds
            pairs = [((module, name), name) for name, (kind, _) in facts.bindings.items()
                     if kind == "import" or kind == "alias"]
        asks: dict[Question, str] = dict(pairs)  # type: ignore[arg-type]
        if len(asks) < len(pairs):  # `from a import X` and `from a import X as Y`
            self.shared[path] = pairs  # type: ignore[assignment]
        for position, cls in enumerate(facts.classes):
            asks[(path, position)] = cls.name
        self.files[path] = facts
        self.asks[path] = asks

    def _ask(self, question: Question) -> bool:
        """The question's answer from empty memos, noting the modules it looks at (point 1)."""
        index, classifier = self.index, self.classifier
        index._memo.clear()
        index.generation += 1  # the classifier's memos go with it
        reads: set[str] = set()
        index.reads, index.read_everything = reads, False
        try:
            if len(question) == 3:
                found = classifier.role(index.resolve_import(question, 1)) is not None
            elif _is_class(question):
                path, position = cast("tuple[str, int]", question)
                facts = self.files[path]
                found = any(d.kind in _DUPLICATES for d in classifier.discover(facts.module, facts.classes[position]))
            else:
                module, name = cast("tuple[str, str]", question)
                found = classifier.role(index.resolve_name(module, name)) is not None
        finally:
            index.reads = None
        self.asked_count += 1
        dependents = self.dependents
        for module in reads:
            noted = dependents.get(module)
            if noted is None:
                dependents[module] = {question}
            else:
                noted.add(question)
        if index.read_everything:
            self.every_round.add(question)
        else:
            self.every_round.discard(question)
        return found

    def _gather(self, paths: set[str]) -> tuple[set[str], dict[str, set[str]]]:
        """The names the reaching questions decide, looked up again in ``paths``; per name, the
        last components of the modules binding it."""
        reaching = {question for question, found in self.answers.items() if found}
        reached, asks = self.reached, self.asks
        for path in paths:
            reached.pop(path, None)
            held = asks.get(path)
            if held is None or reaching.isdisjoint(held):
                continue
            pairs = self.shared.get(path)
            # ``discovered_needles`` skips a dunder binding (``__version__``), not a class
            if pairs is None:
                bound = [held[question] for question in reaching.intersection(held)
                         if not held[question].startswith("__") or _is_class(question)]
            else:
                bound = [name for question, name in pairs if question in reaching and not name.startswith("__")]
                bound += [name for question, name in held.items() if _is_class(question) and question in reaching]
            if bound:
                reached[path] = bound
        names: set[str] = set()
        importers: dict[str, set[str]] = {}
        files = self.files
        for path, bound in reached.items():
            tail = files[path].module.rpartition(".")[2]
            for name in bound:
                names.add(WORD + name)
                importers.setdefault(name, set()).add(tail)
        return names, importers


def _is_class(question: Question) -> bool:
    return len(question) == 2 and type(question[1]) is int
