"""Finding top-level imports and adding one (extend an existing ``from m import ...`` or insert a line)."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator

import libcst as cst

from ssot_lsp.fixes.document import Doc, NotFixable
from ssot_lsp.fixes.transform import Plan, Target

_IMPORT_LINE = re.compile(r"(?:from|import)[ \t\\(]")
_DEF_LINE = re.compile(r"(?:async[ \t]+def|def|class)[ \t]+(\w+)|(\w+)[ \t]*(?::[^=]*)?=[^=]")


def top_level_imports(doc: Doc) -> list[tuple[int, int, ast.Import | ast.ImportFrom]]:
    """(first line, last line, node) of every module-level import statement."""
    found: list[tuple[int, int, ast.Import | ast.ImportFrom]] = []
    if doc._tree is not None:
        for stmt in doc._tree.body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                found.append((stmt.lineno - 1, (stmt.end_lineno or stmt.lineno) - 1, stmt))
        return found
    lines = doc.lines
    index, count = 0, len(lines)
    while index < count:
        line = lines[index]
        if _IMPORT_LINE.match(line):
            for last in range(index, min(index + 200, count)):
                chunk = "\n".join(lines[index:last + 1])
                try:
                    tree = ast.parse(chunk)
                except SyntaxError:
                    continue
                node = tree.body[0] if tree.body else None
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    found.append((index, last, node))
                index = last
                break
        index += 1
    return found


def importers_of(doc: Doc, name: str) -> list[str]:
    """Other modules that import ``name`` from this module (explicitly, or by star when public)."""
    found = []
    facts_here = doc.index.facts_by_module.get(doc.module)
    public = facts_here.all_names if facts_here is not None and facts_here.all_names is not None else None
    for module, facts in doc.index.facts_by_module.items():
        if module == doc.module:
            continue
        for imp in facts.imports:
            if imp.module != doc.module:
                continue
            if imp.name == name or (imp.name == "*" and ((public is not None and name in public) or
                                                         (public is None and not name.startswith("_")))):
                found.append(module)
                break
    return sorted(found)


def module_level_names(doc: Doc) -> set[str]:
    """Names bound at module level by def/class/assignment (cheap line scan when no tree is parsed)."""
    names: set[str] = set()
    if doc._tree is not None:
        for stmt in doc._tree.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(stmt.name)
            elif isinstance(stmt, ast.Assign):
                names.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                names.add(stmt.target.id)
        return names
    for line in doc.lines:
        match = _DEF_LINE.match(line)
        if match:
            names.add(match.group(1) or match.group(2))
    return names


def ensure_import(doc: Doc, plan: Plan, module: str, name: str, *, extend_ok: bool = True) -> None:
    """Make ``name`` from ``module`` available at module level; record the edit in ``plan``.

    A plan asks again for every construction it rewrites (500 on a big file); once made available,
    a name stays so for the same plan (its removed bindings only grow, and its targets and inserts
    keep the edit), so a repeated request returns at once."""
    plan.introduced_names.add(name)
    if (module, name, extend_ok) in plan.ensured:
        return
    _ensure_import(doc, plan, module, name, extend_ok)
    plan.ensured.add((module, name, extend_ok))


def _ensure_import(doc: Doc, plan: Plan, module: str, name: str, extend_ok: bool) -> None:
    imports = top_level_imports(doc)
    existing = None
    for first, last, node in imports:
        for alias in node.names:
            bound = alias.asname or alias.name.partition(".")[0]
            if bound != name:
                continue
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == module and alias.name == name:
                return  # already there
            if name not in plan.removed_bindings:
                raise NotFixable(f"`{name}` is already imported from elsewhere in this file")
        if (existing is None and isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == module
                and not any(a.name == "*" for a in node.names)):
            existing = (first, node)
    if name in module_level_names(doc) and name not in plan.removed_bindings:
        raise NotFixable(f"`{name}` is already defined in this file")
    for target in plan.targets:
        if target.kind == "extend-import" and target.adds == (module, name):
            return
    if existing is not None and extend_ok:
        first, node = existing
        line = doc.lines[first]
        col = len(line) - len(line.lstrip())
        plan.targets.append(Target("extend-import", (first, col), (first, col), lambda stmt: add_alias(stmt, name),
                                   adds=(module, name)))
        return
    for _, inserted in plan.inserts:
        if inserted.strip() == f"from {module} import {name}":
            return
    statement = f"from {module} import {name}{doc.newline}"
    if imports:
        at = imports[-1][1] + 1
    else:
        at = _after_header(doc)
        if 0 < at < len(doc.lines) + 1 and doc.lines[at - 1].strip() and not doc.lines[at - 1].lstrip().startswith("#"):
            statement = doc.newline + statement  # a blank line between the module docstring and the imports
    plan.inserts.append((at, statement))


def _after_header(doc: Doc) -> int:
    """First line after the shebang/comments and the module docstring."""
    lines = doc.lines
    index = 0
    while index < len(lines) and (not lines[index].strip() or lines[index].lstrip().startswith("#")):
        index += 1
    if index < len(lines) and lines[index].lstrip()[:1] in ("'", '"') or (
            index < len(lines) and lines[index][:2].lower() in ('r"', "r'", 'u"', "u'")):
        for last in range(index, min(index + 400, len(lines))):
            try:
                tree = ast.parse("\n".join(lines[index:last + 1]))
            except SyntaxError:
                continue
            if tree.body and isinstance(tree.body[0], ast.Expr):
                return last + 1
            break
    return index


def add_alias(stmt: cst.CSTNode, name: str) -> cst.ImportFrom:
    """``from m import a`` -> ``from m import a, name`` keeping parentheses, comments and commas."""
    if not isinstance(stmt, cst.ImportFrom) or isinstance(stmt.names, cst.ImportStar):
        raise NotFixable("cannot extend the existing import")
    names = list(stmt.names)
    if any(isinstance(a.name, cst.Name) and a.name.value == name and a.asname is None for a in names):
        return stmt
    last = names[-1]
    new_alias = cst.ImportAlias(name=cst.Name(name))
    if isinstance(last.comma, cst.Comma):  # trailing comma (parenthesised): keep the style
        between = names[-2].comma if len(names) > 1 and isinstance(names[-2].comma, cst.Comma) else \
            cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        names[-1] = last.with_changes(comma=strip_comment(between))
        new_alias = new_alias.with_changes(comma=last.comma)
    else:
        names[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    names.append(new_alias)
    return stmt.with_changes(names=names)


def strip_comment(comma: cst.Comma) -> cst.Comma:
    ws = comma.whitespace_after
    if isinstance(ws, cst.ParenthesizedWhitespace) and ws.first_line.comment is not None:
        ws = ws.with_changes(first_line=cst.TrailingWhitespace())
    return comma.with_changes(whitespace_after=ws)


def remove_aliases(stmt: cst.Import | cst.ImportFrom,
                   drop: Callable[[cst.ImportAlias], bool]) -> cst.Import | cst.ImportFrom | None:
    """Remove the aliases ``drop(alias)`` selects; None when nothing is left."""
    if isinstance(stmt.names, cst.ImportStar):
        raise NotFixable("the import to rewrite has changed")
    names = list(stmt.names)
    kept = [a for a in names if not drop(a)]
    if len(kept) == len(names):
        raise NotFixable("the import to rewrite has changed")
    if not kept:
        return None
    parenthesised = isinstance(stmt, cst.ImportFrom) and stmt.lpar is not None
    if not parenthesised and isinstance(kept[-1].comma, cst.Comma):
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    elif parenthesised and names[-1] not in kept and not isinstance(names[-1].comma, cst.Comma):
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return stmt.with_changes(names=kept)


def alias_name(alias: cst.ImportAlias) -> str:
    node: cst.BaseExpression = alias.name
    parts = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    parts.append(cst.ensure_type(node, cst.Name).value)
    return ".".join(reversed(parts))


def new_from_import(module: str, name: str) -> cst.ImportFrom:
    line = cst.ensure_type(cst.parse_statement(f"from {module} import {name}\n"), cst.SimpleStatementLine)
    return cst.ensure_type(line.body[0], cst.ImportFrom)


def _depth_first(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node of ``tree``, as ``ast.walk`` gives them, depth first: ``ast.walk`` goes level by
    level, so finding a name used inside every function of a big file meant walking all of it."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def drop_if_unused(doc: Doc, plan: Plan, name: str, use: tuple[int, int]) -> None:
    """Remove the import binding ``name`` when the use at ``use`` (line, col), which the plan
    rewrites away, was its only one: the same edit leaves no unused import behind. Kept when the
    name is used anywhere else (a string included: annotations, ``__all__``), bound more than once,
    or imported from this module by others."""
    tree = doc.tree
    word = re.compile(r"\b" + re.escape(name) + r"\b")
    bindings: list[ast.Import | ast.ImportFrom] = []
    for node in _depth_first(tree):  # the first other use ends the search: look deep first
        if isinstance(node, ast.Name) and node.id == name:
            if not isinstance(node.ctx, ast.Load) or doc.node_range(node)[:2] != use:
                return
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and word.search(node.value):
            return
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            if any((a.asname or a.name.partition(".")[0]) == name for a in node.names):
                bindings.append(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.arg, ast.Global)) and \
                name in ((node.name,) if not isinstance(node, (ast.arg, ast.Global)) else
                         (node.arg,) if isinstance(node, ast.arg) else tuple(node.names)):
            return
    if len(bindings) != 1 or importers_of(doc, name) or any(isinstance(a.name, str) and a.name == "*"
                                                             for a in bindings[0].names):
        return
    stmt = bindings[0]
    first, col = doc.node_range(stmt)[:2]

    def drop(alias: cst.ImportAlias) -> bool:
        bound: cst.BaseExpression = alias.asname.name if alias.asname is not None else alias.name
        while isinstance(bound, cst.Attribute):
            bound = bound.value
        return isinstance(bound, cst.Name) and bound.value == name

    def edit(node: cst.CSTNode) -> cst.CSTNode | cst.RemovalSentinel:
        if not isinstance(node, (cst.Import, cst.ImportFrom)):
            raise NotFixable("the import to remove has changed")
        kept = remove_aliases(node, drop)
        return kept if kept is not None else cst.RemovalSentinel.REMOVE

    plan.targets.append(Target("import", (first, col), (first, col), edit))
    plan.removed_bindings.add(name)
