"""One `ast` pass per file into small, picklable facts.

Fact classes are plain dataclasses without ``__slots__``: slotted dataclasses unpickle through a
Python-level ``__setstate__``, which made loading the cache the largest part of a warm run.


Facts are what the cache stores, what worker processes send back and what the workspace index
and the rules query; nothing downstream looks at the syntax tree again. Only what a rule can use
is recorded (imports, module-level bindings, classes, calls through imported names, string
targets of import/patch helpers, suppression comments), which keeps facts small.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, cast

from ssot_lsp.core.fstrings import masked_tree
from ssot_lsp.core.method_bodies import class_attributes, method_kind
from ssot_lsp.core.signatures import ParamFact, params_of
from ssot_lsp.core.suppressions import read_suppressions
from ssot_lsp.core.text import Span, byte_to_cp, split_lines
from ssot_lsp.core.unbound import WatchedNames, target_names
from ssot_lsp.core.wordsearch import find_all, line_numbers

MODULE_SCOPE = 0
_TRY: tuple[type[ast.stmt], ...] = (ast.Try, getattr(ast, "TryStar", ast.Try))  # TryStar: Python 3.11+


if TYPE_CHECKING:
    class Positioned(Protocol):
        """A syntax node with a position (statements, expressions, aliases, arguments...)."""

        @property
        def lineno(self) -> int: ...
        @property
        def col_offset(self) -> int: ...
        @property
        def end_lineno(self) -> int | None: ...
        @property
        def end_col_offset(self) -> int | None: ...

_HELPER_ROOTS = ("patch", "mock", "importlib", "import_module", "__import__", "mocker", "monkeypatch", "unittest")

# scope kinds
K_MODULE, K_FUNCTION, K_ASYNC, K_CLASS, K_LAMBDA, K_COMPREHENSION = range(6)


@dataclass
class ImportFact:
    module: str  # absolute module imported (from-import: the source module); '' if unresolvable
    name: str | None  # from-import: the imported name ('*' for star); None for `import a.b`
    asname: str | None
    bound: str | None  # the local name bound; None for star imports
    span: Span  # the offending name
    stmt_line: int
    scope: int
    type_checking: bool = False
    in_try: bool = False
    level: int = 0
    stmt_span: Span | None = None
    # an ``except`` handler's import of a name the ``try`` body of the same function imports too:
    # the body's is what runs while it works, so names resolve through that one
    fallback: bool = False


@dataclass
class AliasFact:
    """A module-level ``Name = dotted.expr`` (or an annotated one)."""

    name: str
    target: str
    span: Span
    stmt_line: int


@dataclass
class ClassFact:
    name: str
    span: Span  # the class name
    stmt_line: int
    bases: tuple[str, ...]  # dotted text of each base ('' where not a dotted name)
    methods: tuple[str, ...]
    classmethods: tuple[str, ...]
    scope: int  # scope the class statement lives in
    stmt_span: Span | None = None
    method_kinds: tuple[str, ...] = ()  # per method: ``method_bodies`` ABSTRACT, STUB, DELEGATE or OWN
    attributes: tuple[str, ...] = ()  # names the class body binds other than by ``def``
    # the stand-in of a name a sibling branch imports (``except ImportError: class X: ...``)
    fallback: bool = False
    # (method, parameters a caller passes) of ``__init__`` and the class/static methods (``signatures``)
    signatures: tuple[tuple[str, tuple[ParamFact, ...]], ...] = ()

    def method_kind(self, method: str) -> str:
        """The kind of the method's last definition (the one Python keeps)."""
        try:
            return self.method_kinds[len(self.methods) - 1 - self.methods[::-1].index(method)]
        except (ValueError, IndexError):
            return ""


@dataclass
class NameRefFact:
    """A use of a watched name (a group's class name) that no enclosing scope binds: a NameError
    when it runs (``Canonical(...)`` after ``from m import Canonical as Legacy``)."""

    name: str
    span: Span
    stmt_line: int
    scope: int
    called: bool  # the name is called, or an attribute of it is (``Name.create(...)``)


@dataclass
class CallFact:
    callee: str  # dotted text of the callee
    span: Span  # the callee's last name
    call_span: Span
    stmt_line: int
    scope: int
    async_scope: bool  # nearest enclosing scope is an `async def`
    async_with: bool = False  # the call is an `async with` item's context expression
    awaited: bool = False


@dataclass
class StringRefFact:
    kind: str  # 'import_module' | '__import__' | 'patch' | 'patch.object'
    value: str  # dotted target ('a.b.C'); for patch.object the attribute name
    span: Span  # the string literal
    stmt_line: int
    scope: int
    target_expr: str | None = None  # patch.object: dotted text of the object
    package: str | None = None  # import_module(name, package) for relative names
    create: bool = False  # patch(..., create=True): the attribute need not exist


@dataclass
class Suppression:
    line: int  # 0-based line of the comment
    codes: frozenset[str] | None  # None: every code
    span: Span
    kind: str  # 'ssot' | 'noqa'


@dataclass
class ParseProblem:
    message: str
    span: Span
    newer_syntax: bool = False  # parsed by libcst; analysed with 3.12 f-strings masked


@dataclass
class FileFacts:
    path: str
    module: str
    is_package: bool
    imports: list[ImportFact] = field(default_factory=list)
    aliases: list[AliasFact] = field(default_factory=list)
    classes: list[ClassFact] = field(default_factory=list)
    calls: list[CallFact] = field(default_factory=list)
    string_refs: list[StringRefFact] = field(default_factory=list)
    unbound_refs: list[NameRefFact] = field(default_factory=list)  # of the watched names only
    scopes: list[tuple[int, int]] = field(default_factory=lambda: [(-1, K_MODULE)])  # (parent, kind)
    # module-level bindings in source order: name -> ('class'|'def'|'import'|'alias'|'other', payload)
    bindings: dict[str, tuple[str, object]] = field(default_factory=dict)
    # names a function scope binds itself (parameters, assignments, loop/with targets): scope -> names;
    # they hide module-level bindings of the same name inside that function
    local_names: dict[int, frozenset[str]] = field(default_factory=dict)
    all_names: tuple[str, ...] | None = None
    all_spans: tuple[Span, ...] = ()
    star_imports: tuple[str, ...] = ()
    suppressions: list[Suppression] = field(default_factory=list)
    ignore_file: bool = False
    problem: ParseProblem | None = None
    parsed: bool = True
    # set when only the statements that matter were parsed (workspace scans): the needles used
    partial_needles: frozenset[str] | None = None
    import_words: frozenset[str] = frozenset()  # with partial_needles: words of every import statement

    def scope_chain(self, scope: int) -> Iterator[int]:
        """Scopes a name in ``scope`` can see: itself, enclosing functions, the module (not class bodies)."""
        first = True
        while scope >= 0:
            parent, kind = self.scopes[scope]
            if first or kind != K_CLASS:
                yield scope
            first = False
            scope = parent




def resolve_relative(module: str, is_package: bool, level: int, target: str | None) -> str:
    """Absolute module for a relative import, or '' when it climbs above the top package."""
    if level == 0:
        return target or ""
    parts = module.split(".") if module else []
    if not is_package:
        parts = parts[:-1]
    if level - 1 > len(parts):
        return ""
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    base = ".".join(parts)
    if target:
        return f"{base}.{target}" if base else target
    return base


def dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


# how a deferred expression is walked
WALK, ASYNC_WITH_ITEM, ANNOTATION = range(3)


class _Extractor:
    def __init__(self, text: str, facts: FileFacts, call_roots: set[str] | None = None,
                 relevant_module: Callable[[str], bool] | None = None,
                 watch: frozenset[str] = frozenset()) -> None:
        self.call_roots = call_roots
        self.relevant_module = relevant_module
        self.text = text
        self.facts = facts
        self._lines: list[str] | None = None
        self.bound_roots: set[str] = set()
        self.record_all_calls = False
        self.deferred: list[tuple[ast.expr, int, int, int]] = []
        self.watched = WatchedNames(watch)
        self.future_annotations = False

    # -- positions ---------------------------------------------------------------------------
    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = split_lines(self.text)
        return self._lines

    def col(self, line1: int, byte_col: int) -> int:
        lines = self.lines
        index = line1 - 1
        return byte_to_cp(lines[index], byte_col) if 0 <= index < len(lines) else byte_col

    def span(self, node: Positioned) -> Span:
        end_line = node.end_lineno or node.lineno
        end_col = node.end_col_offset
        if end_col is None:
            end_col = node.col_offset
        return Span(node.lineno - 1, self.col(node.lineno, node.col_offset), end_line - 1, self.col(end_line, end_col))

    def name_span_in_line(self, line1: int, start_byte: int, name: str) -> Span:
        """Span of ``name`` at or after a byte column on a line (class names, import names)."""
        lines = self.lines
        text = lines[line1 - 1] if 0 < line1 <= len(lines) else ""
        start_cp = byte_to_cp(text, start_byte)
        found = text.find(name, start_cp)
        if found < 0:
            found = start_cp
        return Span(line1 - 1, found, line1 - 1, found + len(name))

    # -- walk --------------------------------------------------------------------------------
    def new_scope(self, parent: int, kind: int) -> int:
        self.facts.scopes.append((parent, kind))
        return len(self.facts.scopes) - 1

    def run(self, tree: ast.Module) -> None:
        """Statements first; then expressions, but only of statements whose lines mention a name
        an interesting call could start with (imported names, module-level aliases and classes).

        Expression walking is most of the cost of extraction, and most statements of a file
        never touch an imported name, so this keeps facts extraction close to `ast.parse`.
        """
        self.body(tree.body, MODULE_SCOPE, top=True, tc=False, in_try=False)
        facts = self.facts
        if self.call_roots is not None:  # the caller knows which names can matter (statement selection)
            roots = set(self.call_roots)
        else:
            roots = {imp.bound for imp in facts.imports if imp.bound}
            roots.update(name for name, (kind, _) in facts.bindings.items() if kind in ("class", "alias"))
        roots.update(_HELPER_ROOTS)
        self.bound_roots = roots
        self.record_all_calls = any(imp.name == "*" for imp in facts.imports)
        deferred, self.deferred = self.deferred, []
        if not deferred:
            return
        if self.record_all_calls:
            wanted = None
        else:
            # the helper names are the same in every file (an automaton built once), the file's own
            # names are few (one substring search each): two searches beat one over both sets
            found = find_all(self.text, _HELPER_ROOTS, whole_words=True)
            found += find_all(self.text, roots.difference(_HELPER_ROOTS), whole_words=True)
            if self.watched:
                found += find_all(self.text, self.watched.names.difference(roots), whole_words=True)
            wanted = line_numbers(self.text, sorted(found))
        for node, scope, line, mode in deferred:
            if wanted is not None:
                end = getattr(node, "end_lineno", None) or node.lineno
                if not any(number in wanted for number in range(node.lineno, end + 1)):
                    continue
            if mode == ASYNC_WITH_ITEM:  # always a call (see ``with_``)
                self.call(cast(ast.Call, node), scope, line, async_with=True)
            elif mode == ANNOTATION:
                self.watched.uses_in(node, scope, line)
            else:
                self.walk_expr(node, scope, line)
        if self.watched:
            facts.unbound_refs = [NameRefFact(*found) for found in self.watched.unbound(
                facts.scope_chain, facts.bindings, self.span)]

    def irrelevant_import(self, bound: str, module: str) -> bool:
        """With statement selection: an import whose bound name is not a call root and whose
        (absolute) module mentions no needle cannot reach a group — by the selection's own
        argument — so it gets no ImportFact (its binding is still recorded). Most imports of an
        analysed file are of this kind; their facts were most of what a scan pickled."""
        return (self.relevant_module is not None and self.call_roots is not None and bound not in self.call_roots
                and not self.relevant_module(module))

    def body(self, stmts: list[ast.stmt], scope: int, top: bool, tc: bool, in_try: bool) -> None:
        for stmt in stmts:
            self.stmt(stmt, scope, top, tc, in_try)

    def stmt(self, node: ast.stmt, scope: int, top: bool, tc: bool, in_try: bool) -> None:
        """Record what one statement binds, imports or defines; defer its expressions (see ``run``).

        ``top``: at module level; ``tc``: under ``if TYPE_CHECKING``; ``in_try``: inside ``try``."""
        line = node.lineno - 1
        if isinstance(node, ast.Import):
            self.import_(node, scope, top, tc, in_try)
        elif isinstance(node, ast.ImportFrom):
            self.import_from(node, scope, top, tc, in_try)
        elif isinstance(node, ast.ClassDef):
            self.classdef(node, scope, top, tc, in_try)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.function(node, scope, top, tc)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            self.assignment(node, scope, top, line)
        elif isinstance(node, ast.If):
            self.expr(node.test, scope, line)
            checking = _is_type_checking(node.test)
            if checking and self.watched:
                self.watched.skip(node.body[0].lineno - 1, (node.body[-1].end_lineno or node.body[-1].lineno) - 1)
            self.branches([(node.body, tc or checking, in_try), (node.orelse, tc, in_try)], scope, top)
        elif isinstance(node, _TRY):
            self.try_(cast(ast.Try, node), scope, top, tc, in_try)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            self.with_(node, scope, top, tc, in_try)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            if not isinstance(node, ast.While):
                self.watched.bind_target(scope, node.target)
                if not top:
                    self.bind_target(scope, node.target)
            self.expr(node.iter if not isinstance(node, ast.While) else node.test, scope, line)
            self.body(node.body, scope, top, tc, in_try)
            self.body(node.orelse, scope, top, tc, in_try)
        elif isinstance(node, ast.Match):
            self.expr(node.subject, scope, line)
            for case in node.cases:
                self.watched.bind_pattern(scope, case.pattern)
                self.body(case.body, scope, top, tc, in_try)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                self.watched.bind(scope, name)
                if isinstance(node, ast.Global):
                    self.watched.bind(MODULE_SCOPE, name)
        else:
            if isinstance(node, ast.Delete):
                for target in node.targets:
                    self.watched.bind_target(scope, target)
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.expr(child, scope, line)
                elif isinstance(child, ast.stmt):
                    self.stmt(child, scope, top, tc, in_try)

    def import_(self, node: ast.Import, scope: int, top: bool, tc: bool, in_try: bool) -> None:
        facts = self.facts
        for alias in node.names:
            bound = alias.asname or alias.name.partition(".")[0]
            self.watched.bind(scope, bound)
            if top:
                facts.bindings[bound] = ("import", (alias.asname is not None, alias.name, None))
            if self.irrelevant_import(bound, alias.name):
                continue
            facts.imports.append(ImportFact(
                module=alias.name, name=None, asname=alias.asname, bound=bound,
                span=self.name_span_in_line(alias.lineno, alias.col_offset, alias.name.split(".")[0])
                if "." not in alias.name else self._dotted_span(alias),
                stmt_line=node.lineno - 1, scope=scope, type_checking=tc, in_try=in_try, stmt_span=self.span(node)))

    def import_from(self, node: ast.ImportFrom, scope: int, top: bool, tc: bool, in_try: bool) -> None:
        facts = self.facts
        line = node.lineno - 1
        module = resolve_relative(facts.module, facts.is_package, node.level or 0, node.module)
        if module == "__future__" and any(alias.name == "annotations" for alias in node.names):
            self.future_annotations = True
        # whether the module can reach a group: asked once for all the names (see ``irrelevant_import``)
        relevant = self.relevant_module is None or self.call_roots is None or self.relevant_module(module)
        for alias in node.names:
            if alias.name == "*":
                facts.imports.append(ImportFact(
                    module=module, name="*", asname=None, bound=None,
                    span=self.name_span_in_line(alias.lineno, alias.col_offset, "*"),
                    stmt_line=line, scope=scope, type_checking=tc, in_try=in_try, level=node.level or 0,
                    stmt_span=self.span(node)))
                if top and module:
                    facts.star_imports = (*facts.star_imports, module)
                continue
            bound = alias.asname or alias.name
            self.watched.bind(scope, bound)
            if top:
                facts.bindings[bound] = ("import", (True, module, alias.name))
            if not relevant and bound not in (self.call_roots or ()):  # ``irrelevant_import``, the module asked once
                continue
            facts.imports.append(ImportFact(
                module=module, name=alias.name, asname=alias.asname, bound=bound,
                span=self.name_span_in_line(alias.lineno, alias.col_offset, alias.name),
                stmt_line=line, scope=scope, type_checking=tc, in_try=in_try, level=node.level or 0,
                stmt_span=self.span(node)))

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: int, top: bool, tc: bool) -> None:
        line = node.lineno - 1
        for expr in (*node.decorator_list, *node.args.defaults, *node.args.kw_defaults):
            if expr is not None:
                self.expr(expr, scope, line)
        if top:
            self.facts.bindings[node.name] = ("def", None)
        else:
            self.bind_local(scope, node.name)
        self.watched.bind(scope, node.name)
        inner = self.new_scope(scope, K_ASYNC if isinstance(node, ast.AsyncFunctionDef) else K_FUNCTION)
        args = node.args
        for arg in (*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg):
            if arg is not None:
                self.bind_local(inner, arg.arg)
                self.watched.bind(inner, arg.arg)
                if arg.annotation is not None:
                    self.annotation(arg.annotation, scope, line)
        if node.returns is not None:
            self.annotation(node.returns, scope, line)
        self.body(node.body, inner, top=False, tc=tc, in_try=False)

    def annotation(self, node: ast.expr, scope: int, line: int) -> None:
        """An annotation evaluated where it stands (not with ``from __future__ import annotations``):
        only its uses of watched names matter (see ``core/unbound.py``)."""
        if self.watched and not self.future_annotations:
            self.deferred.append((node, scope, line, ANNOTATION))

    def try_(self, node: ast.Try, scope: int, top: bool, tc: bool, in_try: bool) -> None:
        branches = [(node.body, tc, True)]
        for handler in node.handlers:
            if handler.type is not None:
                self.expr(handler.type, scope, handler.lineno - 1)
            if handler.name:
                self.watched.bind(scope, handler.name)
            branches.append((handler.body, tc, True))
        self.branches(branches, scope, top, first_wins=True)
        self.body(node.orelse, scope, top, tc, in_try)
        self.body(node.finalbody, scope, top, tc, in_try)

    def branches(self, branches: list[tuple[list[ast.stmt], bool, bool]], scope: int, top: bool,
                 first_wins: bool = False) -> None:
        """The alternatives of a module-level ``try``/``except`` or ``if``/``else``: a name one branch
        imports and another binds to a fallback (``X = None``, a stub ``class X``) still refers to
        what is imported — that is what the code is written for; the stub class is marked
        ``fallback`` (it is no second implementation). ``first_wins`` (``try``): what the ``try``
        body imports is what runs whenever that import works, whatever a handler imports instead
        (``except ImportError: from other import X``); in a function, where names resolve through
        the scope's imports, the handler's imports of such names are marked ``fallback``."""
        if not top:
            starts = []
            for body, tc, in_try in branches:
                starts.append(len(self.facts.imports))
                self.body(body, scope, top, tc, in_try)
            if first_wins and len(starts) > 1:
                imports = self.facts.imports
                first = {imp.bound for imp in imports[starts[0]:starts[1]] if imp.scope == scope and imp.bound}
                for imp in imports[starts[1]:]:
                    if imp.scope == scope and imp.bound in first:
                        imp.fallback = True
            return
        facts = self.facts
        changed: list[dict[str, tuple[str, object]]] = []
        first_class: list[int] = []
        for body, tc, in_try in branches:
            before = dict(facts.bindings)
            first_class.append(len(facts.classes))
            self.body(body, scope, top, tc, in_try)
            changed.append({name: binding for name, binding in facts.bindings.items() if before.get(name) is not binding})
        first_class.append(len(facts.classes))
        imported: dict[str, tuple[str, object]] = {}
        for number, bindings in enumerate(changed):
            for name, binding in bindings.items():
                if binding[0] == "import" and any(name in other and other[name][0] != "import"
                                                  for n, other in enumerate(changed) if n != number):
                    imported.setdefault(name, binding)
        if first_wins:
            imported.update((name, binding) for name, binding in changed[0].items() if binding[0] == "import")
        for name, binding in imported.items():
            facts.bindings[name] = binding
        for number in range(len(branches)):
            for cls in facts.classes[first_class[number]:first_class[number + 1]]:
                if cls.scope == scope and cls.name in imported:
                    cls.fallback = True

    def with_(self, node: ast.With | ast.AsyncWith, scope: int, top: bool, tc: bool, in_try: bool) -> None:
        line = node.lineno - 1
        is_async = isinstance(node, ast.AsyncWith)
        for item in node.items:
            if item.optional_vars is not None:
                self.watched.bind_target(scope, item.optional_vars)
                if not top:
                    self.bind_target(scope, item.optional_vars)
            if is_async and isinstance(item.context_expr, ast.Call):
                self.deferred.append((item.context_expr, scope, line, ASYNC_WITH_ITEM))
            else:
                self.expr(item.context_expr, scope, line)
        self.body(node.body, scope, top, tc, in_try)

    def bind_local(self, scope: int, name: str) -> None:
        """Record a name bound by a function scope itself (not by an import)."""
        if self.facts.scopes[scope][1] not in (K_FUNCTION, K_ASYNC, K_LAMBDA):
            return
        names = self.facts.local_names.get(scope, frozenset())
        if name not in names:
            self.facts.local_names[scope] = names | {name}

    def bind_target(self, scope: int, target: ast.expr) -> None:
        for name in target_names(target):
            self.bind_local(scope, name)

    def _dotted_span(self, alias: ast.alias) -> Span:
        return self.name_span_in_line(alias.lineno, alias.col_offset, alias.name)

    def classdef(self, node: ast.ClassDef, scope: int, top: bool, tc: bool, in_try: bool) -> None:
        line = node.lineno - 1
        for expr in (*node.decorator_list, *node.bases, *(k.value for k in node.keywords)):
            self.expr(expr, scope, line)
        methods, classmethods, kinds = [], [], []
        signatures: list[tuple[str, tuple[ParamFact, ...]]] = []
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                methods.append(item.name)
                kinds.append(method_kind(item))
                decorators = {dotted(d) for d in item.decorator_list}
                if decorators & {"classmethod", "staticmethod"}:
                    classmethods.append(item.name)
                    signatures.append((item.name, params_of(item, bound="staticmethod" not in decorators)))
                elif item.name == "__init__":
                    signatures.append((item.name, params_of(item, bound=True)))
        self.facts.classes.append(ClassFact(
            name=node.name,
            span=self.name_span_in_line(node.lineno, node.col_offset + 5, node.name),
            stmt_line=line,
            # ``Base[T]`` (a generic base, ``Protocol[T]``) extends ``Base``
            bases=tuple(dotted(b.value if isinstance(b, ast.Subscript) else b) or "" for b in node.bases),
            methods=tuple(methods),
            classmethods=tuple(classmethods),
            scope=scope,
            stmt_span=self.span(node),
            method_kinds=tuple(kinds),
            attributes=class_attributes(node),
            signatures=tuple(signatures),
        ))
        self.watched.bind(scope, node.name)
        if top:
            self.facts.bindings[node.name] = ("class", None)
        inner = self.new_scope(scope, K_CLASS)
        self.body(node.body, inner, top=False, tc=tc, in_try=False)

    def assignment(self, node: ast.Assign | ast.AnnAssign | ast.AugAssign, scope: int, top: bool, line: int) -> None:
        facts = self.facts
        value = node.value
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            self.watched.bind_target(scope, target)
        if isinstance(node, ast.AnnAssign) and self.facts.scopes[scope][1] in (K_MODULE, K_CLASS):
            self.annotation(node.annotation, scope, line)  # evaluated at module and class level only
        if not top:
            for target in targets:
                self.bind_target(scope, target)
        if top:
            for target in targets:
                if isinstance(target, ast.Name):
                    name = target.id
                    if name == "__all__" and value is not None:
                        self._record_all(value, isinstance(node, ast.AugAssign))
                        continue
                    target_dotted = dotted(value) if value is not None and not isinstance(node, ast.AugAssign) else None
                    if target_dotted:
                        facts.aliases.append(AliasFact(name, target_dotted, self.span(target), line))
                        facts.bindings[name] = ("alias", target_dotted)
                    elif not isinstance(node, ast.AugAssign):
                        facts.bindings[name] = ("other", None)
        if value is not None:
            self.expr(value, scope, line)

    def _record_all(self, value: ast.expr, augment: bool) -> None:
        if not isinstance(value, (ast.List, ast.Tuple)):
            return
        names, spans = [], []
        for element in value.elts:
            if isinstance(element, ast.Constant) and isinstance(element.value, str):
                names.append(element.value)
                spans.append(self.span(element))
        if augment and self.facts.all_names is not None:
            self.facts.all_names = (*self.facts.all_names, *names)
            self.facts.all_spans = (*self.facts.all_spans, *spans)
        else:
            self.facts.all_names = tuple(names)
            self.facts.all_spans = tuple(spans)

    # -- expressions -------------------------------------------------------------------------
    def expr(self, node: ast.expr, scope: int, line: int) -> None:
        self.deferred.append((node, scope, line, WALK))

    def walk_expr(self, node: ast.expr, scope: int, line: int) -> None:
        stack = [(node, scope, False)]
        watched = self.watched
        called: set[int] = set()  # ids of watched names that are called (or an attribute of them is)
        while stack:
            current, current_scope, is_awaited = stack.pop()
            if isinstance(current, ast.Call):
                self.call(current, current_scope, line, awaited=is_awaited, recurse=False)
                if watched:
                    root = current.func
                    while isinstance(root, ast.Attribute):
                        root = root.value
                    if isinstance(root, ast.Name):
                        called.add(id(root))
                for operand in reversed([current.func, *current.args, *(k.value for k in current.keywords)]):
                    stack.append((operand, current_scope, False))
                continue
            if isinstance(current, ast.Await):
                stack.append((current.value, current_scope, True))
                continue
            if isinstance(current, ast.Lambda):
                inner = self.new_scope(current_scope, K_LAMBDA)
                for arg in (*current.args.posonlyargs, *current.args.args, current.args.vararg,
                            *current.args.kwonlyargs, current.args.kwarg):
                    if arg is not None:
                        self.bind_local(inner, arg.arg)
                        watched.bind(inner, arg.arg)
                stack.append((current.body, inner, False))
                continue
            if isinstance(current, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
                inner = self.new_scope(current_scope, K_COMPREHENSION)
                for child in ast.iter_child_nodes(current):
                    if isinstance(child, ast.expr):
                        stack.append((child, inner, False))
                    elif isinstance(child, ast.comprehension):
                        for sub in (child.iter, child.target, *child.ifs):
                            stack.append((sub, inner, False))
                continue
            if isinstance(current, ast.Name):
                if current.id in watched.names:
                    if isinstance(current.ctx, ast.Load):
                        watched.use(current, current_scope, line, id(current) in called)
                    else:  # a walrus or comprehension target
                        watched.bind(current_scope, current.id)
                continue
            if isinstance(current, ast.Constant):
                continue
            if isinstance(current, ast.Attribute):
                stack.append((current.value, current_scope, False))
                continue
            for child in ast.iter_child_nodes(current):
                if isinstance(child, ast.expr):
                    stack.append((child, current_scope, False))
                elif isinstance(child, ast.comprehension):
                    stack.append((child.iter, current_scope, False))
                elif isinstance(child, ast.keyword):
                    stack.append((child.value, current_scope, False))
                elif isinstance(child, (ast.arguments,)):
                    continue

    def call(self, node: ast.Call, scope: int, line: int, async_with: bool = False, awaited: bool = False,
             recurse: bool = True) -> None:
        callee = dotted(node.func)
        if callee is not None:
            root = callee.partition(".")[0]
            if self.record_all_calls or root in self.bound_roots:
                self._record_call(node, callee, scope, line, async_with, awaited)
        if recurse:
            for child in (node.func, *node.args, *(k.value for k in node.keywords)):
                self.walk_expr(child, scope, line)

    def _record_call(self, node: ast.Call, callee: str, scope: int, line: int, async_with: bool,
                     awaited: bool) -> None:
        facts = self.facts
        func = node.func
        if isinstance(func, ast.Attribute):
            end_line = func.end_lineno or func.lineno
            end_byte = func.end_col_offset or 0
            start_byte = end_byte - len(func.attr.encode("utf-8"))
            span = Span(end_line - 1, self.col(end_line, start_byte), end_line - 1, self.col(end_line, end_byte))
        else:
            span = self.span(func)
        kind = facts.scopes[scope][1]
        facts.calls.append(CallFact(
            callee=callee, span=span, call_span=self.span(node), stmt_line=line, scope=scope,
            async_scope=kind == K_ASYNC, async_with=async_with, awaited=awaited))
        last = callee.rpartition(".")[2]
        args = node.args
        # patch(..., create=True) and monkeypatch.setattr(..., raising=False) accept a missing attribute
        create = any(isinstance(k.value, ast.Constant) and (k.arg, k.value.value) in (("create", True), ("raising", False))
                     for k in node.keywords)
        if last in ("patch", "import_module", "__import__", "multiple") or callee.endswith(
                ("patch.object", "monkeypatch.setattr", "monkeypatch.delattr")):
            if callee.endswith("patch.object") or callee.endswith(("monkeypatch.setattr", "monkeypatch.delattr")) \
                    and len(args) >= 2 and _string(args[0]) is None:
                attribute = _string(args[1]) if len(args) >= 2 else None
                target = dotted(args[0]) if attribute is not None else None
                if attribute is not None and target:
                    facts.string_refs.append(StringRefFact(
                        "patch.object", attribute, self.span(args[1]), line, scope, target_expr=target, create=create))
                return
            target_node = args[0] if args else None
            if target_node is None:
                for keyword in node.keywords:
                    if keyword.arg in ("target", "name"):
                        target_node = keyword.value
            value = _string(target_node)
            if value is not None and target_node is not None:
                kind_name = "patch" if last in ("patch", "multiple", "setattr", "delattr") else last
                package = None
                for keyword in node.keywords:
                    if keyword.arg == "package" and _string(keyword.value) is not None:
                        package = _string(keyword.value)
                if package is None and kind_name == "import_module" and len(args) >= 2:
                    package = _string(args[1])
                facts.string_refs.append(StringRefFact(
                    kind_name, value, self.span(target_node), line, scope, package=package, create=create))


def _string(node: ast.AST | None) -> str | None:
    """The value of a string literal node (None for anything else)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _is_type_checking(test: ast.expr) -> bool:
    name = dotted(test)
    return name is not None and name.rpartition(".")[2] == "TYPE_CHECKING"


def extract_facts(text: str, path: str, module: str, is_package: bool = False,
                  tree: ast.Module | None = None, call_roots: set[str] | None = None,
                  relevant_module: Callable[[str], bool] | None = None,
                  watch: frozenset[str] = frozenset(), tree_text: str | None = None) -> FileFacts:
    """Facts of one file. Never raises for bad source: a parse failure becomes ``facts.problem``.

    ``tree``: an ``ast.parse`` result of ``text`` the caller already has (fix verification), to
    avoid parsing twice. ``call_roots`` and ``relevant_module`` come with statement selection
    (``core/partial/scan.py``): the names calls can start from, and whether a module name mentions a
    needle. ``watch``: the names whose unbound uses are recorded (``prefilter.watch_names`` of the
    configuration; see ``core/unbound.py``). ``tree_text``: the text ``tree`` was parsed from
    when it is not ``text`` but holds the same lines where the tree has statements (statement
    selection: the selected statements, other lines blank); the extractor only reads those lines,
    and searching the smaller text is most of what it saves.
    """
    facts = FileFacts(path=path, module=module, is_package=is_package)
    parses = False  # ``text`` itself was parsed here (a caller's tree may be of other text)
    try:
        if tree is None:
            tree = ast.parse(text, filename=path, type_comments=False)
            parses = True
    except SyntaxError as exc:
        if "\x00" in text:  # Python >= 3.11.4 raises SyntaxError (before: ValueError) for NUL bytes
            facts.problem = ParseProblem("cannot parse: source contains NUL bytes", _nul_span(text))
            facts.parsed = False
            return facts
        masked = masked_tree(text) if ("f'" in text or 'f"' in text or "F'" in text or 'F"' in text) else None
        if masked is not None:
            version = ".".join(map(str, sys.version_info[:2]))
            facts.problem = ParseProblem(
                f"uses syntax newer than Python {version} (PEP 701 f-strings); analysed through libcst",
                _error_span(text, exc), newer_syntax=True)
            text, tree = masked
        if tree is None:
            facts.problem = ParseProblem(f"syntax error: {exc.msg}", _error_span(text, exc))
            facts.parsed = False
    except (ValueError, RecursionError, MemoryError) as exc:
        if "\x00" in text:
            facts.problem = ParseProblem("cannot parse: source contains NUL bytes", _nul_span(text))
        else:
            facts.problem = ParseProblem(f"cannot parse: {type(exc).__name__}: {exc}", Span(0, 0, 0, 0))
        facts.parsed = False
    if tree is not None:
        try:
            _Extractor(tree_text if tree_text is not None else text, facts, call_roots, relevant_module,
                       watch).run(tree)
        except RecursionError:
            facts.problem = ParseProblem("cannot analyse: nesting too deep", Span(0, 0, 0, 0))
            facts.parsed = False
    if "\x00" not in text:
        found, facts.ignore_file = read_suppressions(text, parses)
        facts.suppressions = [Suppression(*item) for item in found]
    return facts


def _nul_span(text: str) -> Span:
    """Position of the first NUL character (the one thing to fix)."""
    before = split_lines(text[: text.index("\x00")]) or [""]
    line, col = len(before) - 1, len(before[-1])
    return Span(line, col, line, col + 1)


def _error_span(text: str, exc: SyntaxError) -> Span:
    lines = split_lines(text)
    line = max((exc.lineno or 1) - 1, 0)
    if line >= len(lines):
        line = len(lines) - 1
    content = lines[line] if lines else ""
    col = max((exc.offset or 1) - 1, 0)
    col = min(col, len(content))
    end = col + 1 if col < len(content) else col
    return Span(line, col, line, end)
