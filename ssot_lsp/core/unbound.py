"""Uses of watched names that no enclosing scope binds, found during facts extraction.

A half-done migration renames an import and leaves the calls (``from m import Canonical as Legacy``
then ``Canonical(...)``), or migrates the import and forgets a call of the legacy name: a NameError
when the line runs. SSOT011 reports such uses of a group's class names
(the *watched* names, ``prefilter.watch_names``); the extractor tells this module every binding and
every use of a watched name it meets, and at the end keeps the uses no scope in their chain binds.

What binds: imports (any scope), ``def``/``class`` names, parameters (also of lambdas), assignment,
``for``/``with``/``except``/``match`` targets, comprehension targets, ``del``, ``global`` (counted in
the module too) and ``nonlocal``, and any module-level binding of the file (``FileFacts.bindings``,
under ``if TYPE_CHECKING`` too). Flow is not followed: a binding anywhere in a scope counts for
every use in it. What is a use: a load in an expression the extractor walks (which includes
decorators, defaults, base classes) and evaluated annotations (parameters and returns, and module-
or class-level variable annotations, unless ``from __future__ import annotations``); string
annotations and function-local variable annotations are never evaluated, nor is anything under
``if TYPE_CHECKING`` (its ``else`` runs). Star imports are decided
by the rule, which knows the index (``from unreadable import *`` makes every name unknown).

Sound under statement selection: every statement that binds or uses a watched name spells it, and
every watched name spells a prefilter needle, so such statements are always parsed.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Container, Iterable, Iterator

from ssot_lsp.core.text import Span

MODULE_SCOPE = 0


def target_names(target: ast.AST) -> Iterator[str]:
    """Every name an assignment, ``for``/``with``/``del`` target binds (not ``a.b`` or ``a[b]``)."""
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from target_names(element)
    elif isinstance(target, ast.Starred):
        yield from target_names(target.value)


class WatchedNames:
    def __init__(self, names: frozenset[str]) -> None:
        self.names = names
        self.bound: dict[int, set[str]] = {}
        self.uses: list[tuple[ast.Name, int, int, bool]] = []  # (node, scope, statement line, called)
        self.never_run: list[tuple[int, int]] = []  # statement lines (first, last) under `if TYPE_CHECKING`

    def __bool__(self) -> bool:
        return bool(self.names)

    def bind(self, scope: int, name: str) -> None:
        if name in self.names:
            self.bound.setdefault(scope, set()).add(name)

    def bind_target(self, scope: int, target: ast.AST) -> None:
        for name in target_names(target):
            self.bind(scope, name)

    def bind_pattern(self, scope: int, pattern: ast.pattern) -> None:
        for node in ast.walk(pattern):
            name = getattr(node, "name", None) or getattr(node, "rest", None)
            if isinstance(name, str):
                self.bind(scope, name)

    def skip(self, first: int, last: int) -> None:
        """Statement lines that never run (an ``if TYPE_CHECKING`` body): what they use is no use."""
        self.never_run.append((first, last))

    def use(self, node: ast.Name, scope: int, line: int, called: bool) -> None:
        self.uses.append((node, scope, line, called))

    def uses_in(self, node: ast.AST, scope: int, line: int) -> None:
        """The loads of watched names in an evaluated annotation."""
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and sub.id in self.names and isinstance(sub.ctx, ast.Load):
                self.use(sub, scope, line, called=False)

    def unbound(self, chain: Callable[[int], Iterable[int]], module_bindings: Container[str],
                span: Callable[[ast.Name], Span]) -> list[tuple[str, Span, int, int, bool]]:
        """(name, span, statement line, scope, called) of every use no scope of its chain binds."""
        found = []
        for node, scope, line, called in self.uses:
            name = node.id
            if name in module_bindings:
                continue
            if any(name in self.bound.get(s, ()) for s in chain(scope)):
                continue
            if any(first <= line <= last for first, last in self.never_run):
                continue
            found.append((name, span(node), line, scope, called))
        return found
