"""What kind of class a definition is, before asking whether it duplicates a group's concept.

A duplicate implementation is a class that does the canonical class's work a second time. Three
kinds of class look like one and are not: *test doubles* (they stand in for the real thing in
tests), *interfaces* (they declare the methods and implement nothing), and *fallback stubs* (the
stand-in of an import that failed, ``FileFacts`` marks them). Discovery (``core/classify.py``) asks
here, and SSOT011 asks whether a class still defines an attribute.
"""

from __future__ import annotations

from ssot_lsp.config.model import Config
from ssot_lsp.core.facts import ClassFact
from ssot_lsp.core.globs import matches_any, relpath_of
from ssot_lsp.core.index import Ref, WorkspaceIndex
from ssot_lsp.core.method_bodies import DECLARED

TEST_DOUBLE_PREFIXES = ("Mock", "Fake", "Stub", "Dummy", "Spy")
MOCK_CLASSES = frozenset({"Mock", "MagicMock", "AsyncMock", "NonCallableMock", "NonCallableMagicMock"})
_MOCK_MODULES = frozenset({"unittest.mock", "mock"})
_PROTOCOL_MODULES = frozenset({"typing", "typing_extensions"})
# bases that define none of a project's attributes (what a class inherits from them is known)
_PLAIN_BASES = frozenset({"object", "abc:ABC", "typing:Generic", "typing:Protocol", "typing_extensions:Protocol"})


def test_double_by_name(name: str) -> str:
    """Why a class name says test double ('' when it does not): a prefix followed by a word."""
    bare = name.lstrip("_")
    for prefix in TEST_DOUBLE_PREFIXES:
        if bare.startswith(prefix):
            rest = bare[len(prefix):]
            if not rest or rest[0].isupper() or rest[0].isdigit() or rest[0] == "_":
                return f"its name starts with {prefix}"
    return ""


class ClassNature:
    """Answers about classes of one index (memoised until the index changes)."""

    def __init__(self, config: Config, index: WorkspaceIndex, group_modules: frozenset[str]) -> None:
        self.config = config
        self.index = index
        self.group_modules = group_modules  # parsed whole in every scan: what they define is known
        self._test_doubles: dict[tuple[str, str, int], str] = {}

    def clear(self) -> None:
        self._test_doubles.clear()

    # -- test doubles --------------------------------------------------------------------------
    def test_double(self, module: str, cls: ClassFact) -> str:
        """Why the class is a test double ('' when it is not)."""
        key = (module, cls.name, cls.span.line)
        found = self._test_doubles.get(key)
        if found is None:
            self._test_doubles[key] = ""  # cycle guard: a class extending itself is no test double
            found = self._test_doubles[key] = self._why_test_double(module, cls)
        return found

    def _why_test_double(self, module: str, cls: ClassFact) -> str:
        by_name = test_double_by_name(cls.name)
        if by_name:
            return by_name
        for text, base in zip(cls.bases, self._bases(module, cls)):
            if base is None:
                if text.rpartition(".")[2] in MOCK_CLASSES:
                    return f"it extends {text}"
                continue
            if base.name in MOCK_CLASSES and base.module in _MOCK_MODULES:
                return f"it extends {base.name}"
            if base.attr in MOCK_CLASSES and f"{base.module}.{base.name}" in _MOCK_MODULES:
                return f"it extends {text}"  # `from unittest import mock`, then `mock.AsyncMock`
            if base.kind == "class" and not base.attr:
                base_cls = self.index.class_fact(base.module, base.name or "")
                if base_cls is not None and self.test_double(base.module, base_cls):
                    return f"it extends the test double {base.name}"
        path = self.index.known_modules.get(module)
        if path is not None and self.config.test_paths and matches_any(relpath_of(self.config, path),
                                                                       self.config.test_paths):
            return "it is defined in a test file (test-paths)"
        return ""

    def _bases(self, module: str, cls: ClassFact) -> list[Ref | None]:
        """The resolved base of each entry of ``cls.bases`` (None where it cannot be resolved)."""
        facts = self.index.get(module)
        if facts is None:
            return [None] * len(cls.bases)
        return [self.index.resolve_expr(facts, cls.scope, text) if text else None for text in cls.bases]

    # -- interfaces ----------------------------------------------------------------------------
    def is_protocol(self, module: str, cls: ClassFact) -> bool:
        for text, base in zip(cls.bases, self._bases(module, cls)):
            if base is not None and base.name == "Protocol" and base.module in _PROTOCOL_MODULES:
                return True
            if base is None and text.rpartition(".")[2] == "Protocol":
                return True
        return False

    def declares_only(self, cls: ClassFact, methods: list[str]) -> bool:
        """Whether every one of ``methods`` (at least one) is abstract or a stub."""
        return bool(methods) and all(cls.method_kind(m) in DECLARED for m in methods)

    # -- attributes ----------------------------------------------------------------------------
    def defines(self, module: str, cls: ClassFact, attribute: str, _seen: frozenset = frozenset()) -> bool | None:
        """Whether the class (or a base) defines ``attribute``; None when that cannot be known.

        Known only through classes of the group modules (parsed whole in every scan, so the answer
        does not depend on the prefilter) and bases that define nothing of the project (``object``,
        ``ABC``, ``Generic``, ``Protocol``)."""
        if attribute in cls.methods or attribute in cls.attributes:
            return True
        key = (module, cls.name)
        if module not in self.group_modules or key in _seen:
            return None
        answer: bool | None = False
        for text, base in zip(cls.bases, self._bases(module, cls)):
            if base is None:
                if text == "object":
                    continue
                return None
            if base.symbol in _PLAIN_BASES:
                continue
            base_cls = self.index.class_fact(base.module, base.name or "") if base.kind == "class" else None
            if base_cls is None:
                return None
            inherited = self.defines(base.module, base_cls, attribute, _seen | {key})
            if inherited is None or inherited:
                return inherited
        return answer
