"""SSOT001 legacy import -> canonical import, and SSOT008 obscuring alias -> honest name.

The import fix rewrites every remaining use of the legacy binding in the same action: type
references (annotations, string annotations, ``isinstance``/``issubclass``, ``Mock(spec=...)``,
``patch.object(...)`` targets) become the canonical class, constructions go through the factory
fix, ``__all__`` entries follow. When any use cannot be rewritten, no fix is offered and the
reason names the use. A module-level name other modules import from this file is never removed.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

import libcst as cst

from ssot_lsp.config.model import Group
from ssot_lsp.core.classify import LEGACY, Classifier
from ssot_lsp.core.facts import dotted as _dotted
from ssot_lsp.core.rules.legacy_construction import ConstructionPayload
from ssot_lsp.core.rules.legacy_import import ImportPayload
from ssot_lsp.core.rules.obscuring_alias import AliasPayload
from ssot_lsp.core.text import Span
from ssot_lsp.core.violations import Violation
from ssot_lsp.fixes.api import FixEdit
from ssot_lsp.fixes.construction import construction_target
from ssot_lsp.fixes.document import Doc, NotFixable, group_of, group_words, payload_of
from ssot_lsp.fixes.import_edits import (
    add_alias,
    alias_name,
    ensure_import,
    new_from_import,
    remove_aliases,
    top_level_imports,
)
from ssot_lsp.fixes.transform import Plan, Target

_MOCKS = ("Mock", "MagicMock", "AsyncMock", "NonCallableMock", "NonCallableMagicMock", "create_autospec")
_PATCH_OBJECT = ("patch.object", "patch.multiple")


@dataclass
class Walk:
    """One pass over the tree: uses of some names, with parents, annotation context and bindings."""

    uses: list[tuple[ast.Name, list[ast.AST]]] = field(default_factory=list)  # (node, ancestors)
    bindings: dict[str, list[ast.AST]] = field(default_factory=dict)
    strings: list[tuple[ast.Constant, list[ast.AST]]] = field(default_factory=list)  # string annotations
    all_entries: list[ast.Constant] = field(default_factory=list)


def walk(tree: ast.AST, names: set[str], within: ast.AST | None = None) -> Walk:
    out = Walk()
    stack: list[tuple[ast.AST, list[ast.AST], bool]] = [(within or tree, [], False)]
    while stack:
        node, ancestors, ann = stack.pop()
        kind = type(node)
        if kind is ast.Name:
            if node.id in names:
                if isinstance(node.ctx, ast.Load):
                    out.uses.append((node, ancestors))
                else:
                    out.bindings.setdefault(node.id, []).append(node)
            continue
        if ann and kind is ast.Constant and isinstance(node.value, str):
            out.strings.append((node, ancestors))
            continue
        if kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            if node.name in names:
                out.bindings.setdefault(node.name, []).append(node)
        elif kind is ast.arg:
            if node.arg in names:
                out.bindings.setdefault(node.arg, []).append(node)
        elif kind in (ast.Import, ast.ImportFrom):
            for alias in node.names:
                bound = alias.asname or alias.name.partition(".")[0]
                if bound in names:
                    out.bindings.setdefault(bound, []).append(node)
        elif kind in (ast.Global, ast.Nonlocal):
            for name in node.names:
                if name in names:
                    out.bindings.setdefault(name, []).append(node)
        elif kind is ast.ExceptHandler and node.name in names:
            out.bindings.setdefault(node.name, []).append(node)
        elif kind is ast.Assign and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and node.targets[0].id == "__all__" and isinstance(node.value, (ast.List, ast.Tuple)) and \
                len(ancestors) == 1 and isinstance(ancestors[0], ast.Module):
            out.all_entries.extend(e for e in node.value.elts if isinstance(e, ast.Constant))
        chain = ancestors + [node]
        annotation_children = set()
        if kind in (ast.FunctionDef, ast.AsyncFunctionDef):
            if node.returns is not None:
                annotation_children.add(id(node.returns))
        elif kind is ast.arg and node.annotation is not None:
            annotation_children.add(id(node.annotation))
        elif kind is ast.AnnAssign:
            annotation_children.add(id(node.annotation))
        for child in ast.iter_child_nodes(node):
            stack.append((child, chain, ann or id(child) in annotation_children))
    return out


def _find_import(doc: Doc, violation: Violation) -> tuple[ast.stmt, ast.AST | None, bool]:
    """The import statement of a violation, its enclosing function (or None) and whether it is in a class."""
    line = violation.stmt_line
    span = violation.span
    stack = [(doc.tree, None)]
    while stack:
        node, func = stack.pop()
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.stmt):
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)) and child.lineno - 1 == line and \
                    child.lineno - 1 <= span.line <= child.end_lineno - 1:
                first, col, last, end_col = doc.node_range(child)
                if (span.line, span.col) >= (first, col) and (span.end_line, span.end_col) <= (last, end_col):
                    return child, func, isinstance(node, ast.ClassDef)
            if child.lineno - 1 <= span.line <= child.end_lineno - 1:
                inner = child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) else func
                stack.append((child, inner))
    raise NotFixable("the import statement was not found (the document changed?)")


def _importers(doc: Doc, name: str) -> list[str]:
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


def _stmt_start(doc: Doc, node: ast.stmt) -> tuple[int, int]:
    return doc.node_range(node)[:2]


@dataclass
class ImportEdit:
    plan: Plan
    notes: list[str]
    safe: bool
    constructions: int = 0
    renames: int = 0


def fix_legacy_import(doc: Doc, violation: Violation) -> ImportEdit:
    data = payload_of(violation, ImportPayload)
    group = group_of(doc.config, violation)
    canonical = group.canonical_name
    canonical_module = group.canonical_module
    stmt, func, in_class = _find_import(doc, violation)
    if in_class:
        raise NotFixable("the import is inside a class body")
    bound = data.bound
    if not bound:
        raise NotFixable("a star import from a legacy module cannot be rewritten automatically")
    imported_module, imported_name = data.module, data.name
    classifier = Classifier(doc.config, doc.index)

    # what the binding stands for: the legacy class itself, or a legacy module (prefix.X uses)
    if imported_name is None:
        prefix = [bound] if data.asname else imported_module.split(".")
        module_ref = imported_module
    else:
        ref = doc.index.resolve_name(imported_module, imported_name)
        is_module = (ref is not None and ref.is_module) or doc.index.is_module(f"{imported_module}.{imported_name}")
        if is_module:
            prefix = [bound]
            module_ref = ref.module if ref is not None and ref.is_module else f"{imported_module}.{imported_name}"
        else:
            prefix = None
            module_ref = None
    if prefix is not None and len(prefix) > 1:
        raise NotFixable(f"`import {imported_module}` without an alias: add `as` or migrate its uses by hand")

    scope_node = func if func is not None else doc.tree
    names = {bound} | ({canonical} if canonical != bound else set())
    found = walk(doc.tree, names, within=scope_node if func is not None else None)
    others = [b for b in found.bindings.get(bound, []) if b is not stmt]
    if others:
        raise NotFixable(f"`{bound}` is also bound at line {others[0].lineno}; rename it by hand")
    for binding in found.bindings.get(canonical, []):
        if binding is stmt:
            continue
        if isinstance(binding, ast.ImportFrom) and binding.module == canonical_module and binding.level == 0 and any(
                a.name == canonical and a.asname is None for a in binding.names):
            continue
        raise NotFixable(f"`{canonical}` is already bound at line {binding.lineno} to something else")

    plan = Plan()
    notes: list[str] = []
    safe = True
    runtime_refs = 0
    needs_canonical = False
    constructions = 0
    renames = 0
    calls_by_range = {_range(v.payload.call_range): v for v in doc.violations
                      if isinstance(v.payload, ConstructionPayload)}
    handled_calls: set[int] = set()
    for name_node, ancestors in found.uses:
        if name_node.id != bound:
            continue
        expr, parents = name_node, ancestors
        if prefix is not None:  # m.X
            parent = parents[-1] if parents else None
            if not isinstance(parent, ast.Attribute) or parent.value is not name_node:
                raise NotFixable(f"`{bound}` is used at line {name_node.lineno} other than as `{bound}.<class>`")
            attr_ref = doc.index.resolve_name(module_ref, parent.attr)
            role = classifier.role(attr_ref)
            if role is None or role.role != LEGACY or attr_ref.is_module:
                raise NotFixable(f"`{bound}.{parent.attr}` (line {name_node.lineno}) is not a legacy class; "
                                 "migrate it by hand")
            expr, parents = parent, parents[:-1]
        parent = parents[-1] if parents else None
        grand = parents[-2] if len(parents) > 1 else None
        line = expr.lineno
        call = None
        if isinstance(parent, ast.Call) and parent.func is expr:
            call = parent
        elif isinstance(parent, ast.Attribute) and isinstance(grand, ast.Call) and grand.func is parent:
            call = grand
        if call is not None:
            key = doc.node_range(call)
            violation_of_call = calls_by_range.get(tuple(key))
            if violation_of_call is None:
                raise NotFixable(f"the use of `{bound}` at line {line} cannot be rewritten")
            try:
                target, imports = construction_target(doc, violation_of_call)
            except NotFixable as exc:
                raise NotFixable(f"the construction at line {line} cannot be rewritten: {exc}") from None
            if id(call) in handled_calls:
                continue
            handled_calls.add(id(call))
            plan.targets.append(target)
            for module, name in imports:
                ensure_import(doc, plan, module, name)
            constructions += 1
            safe = False
            continue
        in_annotation = _in_annotation(expr, parents)
        if in_annotation:
            kind = "annotation"
        elif isinstance(parent, ast.Call) and _dotted(parent.func) in ("isinstance", "issubclass") and \
                len(parent.args) == 2 and (parent.args[1] is expr or (
                    isinstance(parent.args[1], ast.Tuple) and expr in parent.args[1].elts)):
            kind = "isinstance"
        elif isinstance(parent, ast.Tuple) and isinstance(grand, ast.Call) and \
                _dotted(grand.func) in ("isinstance", "issubclass") and len(grand.args) == 2 and grand.args[1] is parent:
            kind = "isinstance"
        elif isinstance(parent, ast.keyword) and parent.arg in ("spec", "spec_set") and isinstance(grand, ast.Call):
            kind = "spec"
        elif isinstance(parent, ast.Call) and parent.args and parent.args[0] is expr and \
                (_dotted(parent.func) or "").rpartition(".")[2] in _MOCKS:
            kind = "spec"
        elif isinstance(parent, ast.Call) and parent.args and parent.args[0] is expr and \
                (_dotted(parent.func) or "").endswith(_PATCH_OBJECT):
            kind = "patch.object"
        else:
            raise NotFixable(f"`{_dotted(expr)}` at line {line} is used as a value; it cannot be rewritten "
                             "automatically")
        if kind != "annotation":
            runtime_refs += 1
            safe = False
            notes.append(kind)
        needs_canonical = True
        if _dotted(expr) != canonical:
            start_line, start_col, end_line, end_col = doc.node_range(expr)
            plan.targets.append(Target("rename", (start_line, start_col), (end_line, end_col), canonical))
            renames += 1
    # string annotations naming the binding
    pattern = re.compile(r"\b" + re.escape(bound) + (r"\.(\w+)\b" if prefix is not None else r"\b"))
    for const, parents in found.strings:
        if func is not None and not _inside(const, scope_node):
            continue
        if not pattern.search(const.value):
            continue
        if prefix is not None:
            for match in pattern.finditer(const.value):
                role = classifier.role(doc.index.resolve_name(module_ref, match.group(1)))
                if role is None or role.role != LEGACY:
                    raise NotFixable(f"string annotation at line {const.lineno} names `{match.group(0)}`")
        start_line, start_col, end_line, end_col = doc.node_range(const)

        def rewrite(code, pattern=pattern):
            return pattern.sub(canonical, code)

        plan.targets.append(Target("string", (start_line, start_col), (end_line, end_col), rewrite))
        needs_canonical = True
        renames += 1
    # module-level re-exports
    at_module = func is None
    if at_module:
        importers = _importers(doc, bound)
        if importers:
            shown = ", ".join(importers[:3]) + (" …" if len(importers) > 3 else "")
            raise NotFixable(f"`{bound}` is imported from this module by {shown}; migrate those imports first")
        entries = [e for e in found.all_entries if e.value == bound]
        if entries:
            if any(e.value == canonical for e in found.all_entries) and bound != canonical:
                raise NotFixable(f"__all__ lists both `{bound}` and `{canonical}`; edit it by hand")
            for entry in entries:
                if bound == canonical:
                    break
                start_line, start_col, end_line, end_col = doc.node_range(entry)
                plan.targets.append(Target("string", (start_line, start_col), (end_line, end_col),
                                           lambda code: code[0] + canonical + code[-1] if code[:1] in "'\"" else
                                           repr(canonical)))
            needs_canonical = True
            safe = False
            notes.append("__all__")

    # the import statement itself
    plan.removed_bindings.add(bound)
    type_checking = data.type_checking
    existing_canonical = None
    if needs_canonical:
        plan.introduced_names.add(canonical)
        if at_module and not type_checking:
            for first, last, node in top_level_imports(doc):
                if node is stmt:
                    continue
                if isinstance(node, ast.ImportFrom) and node.module == canonical_module and node.level == 0:
                    if any(a.name == canonical and a.asname is None for a in node.names):
                        existing_canonical = "bound"
                        break
                    if existing_canonical is None and not any(a.name == "*" for a in node.names):
                        existing_canonical = node
        elif func is not None:
            for node in ast.walk(doc.tree):
                pass
            for first, last, node in top_level_imports(doc):
                if isinstance(node, ast.ImportFrom) and node.module == canonical_module and any(
                        a.name == canonical and a.asname is None for a in node.names):
                    existing_canonical = "bound"
        if isinstance(existing_canonical, ast.ImportFrom):
            line, col = _stmt_start(doc, existing_canonical)
            plan.targets.append(Target("extend-import", (line, col), (line, col),
                                       lambda s: add_alias(s, canonical)))
    add_in_place = needs_canonical and existing_canonical is None and not (bound == canonical and needs_canonical
                                                                             and False)
    imported_full = imported_module if imported_name is None else None

    def edit(node):
        def drop(alias):
            if isinstance(node, cst.Import):
                return alias_name(alias) == imported_full and (
                    (alias.asname is not None and alias.asname.name.value == bound) or alias.asname is None)
            name = alias_name(alias)
            as_ = alias.asname.name.value if alias.asname is not None else None
            return name == imported_name and (as_ or name) == bound

        kept = remove_aliases(node, drop)
        if not add_in_place:
            return kept if kept is not None else cst.RemovalSentinel.REMOVE
        new = new_from_import(canonical_module, canonical)
        if kept is None:
            return new
        return cst.FlattenSentinel([kept, new])

    line, col = _stmt_start(doc, stmt)
    plan.targets.append(Target("import", (line, col), (line, col), edit))
    return ImportEdit(plan, notes, safe, constructions, renames)


def _inside(node: ast.AST, scope: ast.AST) -> bool:
    return scope.lineno <= node.lineno <= scope.end_lineno


def _in_annotation(expr: ast.AST, parents: list[ast.AST]) -> bool:
    child = expr
    for parent in reversed(parents):
        if isinstance(parent, ast.arg) and parent.annotation is child:
            return True
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)) and parent.returns is child:
            return True
        if isinstance(parent, ast.AnnAssign) and parent.annotation is child:
            return True
        if isinstance(parent, (ast.stmt, ast.Call, ast.Lambda)):
            return False
        child = parent
    return False


def import_title(edit: ImportEdit, violation: Violation, group: Group) -> str:
    data = payload_of(violation, ImportPayload)
    what = data.name or data.module
    parts = [f"Import {group.canonical_name} from {group.canonical_module} instead of legacy {what}"]
    if edit.renames:
        parts.append(f"rename {edit.renames} reference(s) to {group.canonical_name}")
    if edit.constructions:
        parts.append(f"create {edit.constructions} instance(s) through the factory")
    title = "; ".join(parts)
    if not edit.safe:
        why = []
        if edit.constructions:
            why.append("constructions now go through the factory")
        kinds = [k for k in dict.fromkeys(edit.notes)]
        if "isinstance" in kinds:
            why.append("isinstance/issubclass checks now test the canonical class")
        if "spec" in kinds:
            why.append("mocks now use the canonical class as spec")
        if "patch.object" in kinds:
            why.append("patch.object now patches the canonical class")
        if "__all__" in kinds:
            why.append("__all__ now exports the canonical name")
        title += f" (unsafe: {', '.join(why)})"
    return title


# -- SSOT008 ------------------------------------------------------------------------------------

def fix_alias(doc: Doc, violation: Violation) -> tuple[Plan, str]:
    data = payload_of(violation, AliasPayload)
    bound, honest = data.bound, data.honest
    line = violation.stmt_line
    stmt = None
    for node in doc.tree.body:
        if node.lineno - 1 == line:
            stmt = node
            break
    func = None
    if stmt is None:
        try:
            stmt, func, in_class = _find_import(doc, violation)
        except NotFixable:
            raise NotFixable("the aliased statement was not found") from None
        if in_class:
            raise NotFixable("the alias is inside a class body")
    plan = Plan()
    if isinstance(stmt, ast.ImportFrom):
        alias = next((a for a in stmt.names if a.asname == bound), None)
        if alias is None:
            raise NotFixable("the alias was not found")
        if alias.name != honest:
            raise NotFixable(f"the honest name {honest} is not the imported name")
        replacement = honest

        def edit(node):
            names = [a.with_changes(asname=None)
                     if a.asname is not None and a.asname.name.value == bound else a for a in node.names]
            return node.with_changes(names=names)

        start = _stmt_start(doc, stmt)
        plan.targets.append(Target("import", start, start, edit))
    elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
        replacement = _dotted(stmt.value)
        if replacement is None:
            raise NotFixable("the alias target is not a dotted name")
        start = _stmt_start(doc, stmt)
        plan.targets.append(Target("replace-stmt", start, start, lambda node: cst.RemovalSentinel.REMOVE))
    else:
        raise NotFixable("only `from m import X as Y` and `Y = X` aliases are rewritten automatically")
    root = replacement.partition(".")[0]
    found = walk(doc.tree, {bound, root}, within=func)
    others = [b for b in found.bindings.get(bound, []) if b is not stmt and not (
        isinstance(stmt, ast.Assign) and b is stmt.targets[0])]
    if others:
        raise NotFixable(f"`{bound}` is also bound at line {others[0].lineno}; rename it by hand")
    if isinstance(stmt, ast.ImportFrom) and found.bindings.get(root):
        raise NotFixable(f"`{root}` is already bound at line {found.bindings[root][0].lineno}")
    if func is None:
        importers = _importers(doc, bound)
        if importers:
            raise NotFixable(f"`{bound}` is imported from this module by {', '.join(importers[:3])}; "
                             "renaming it would break them")
        if any(e.value == bound for e in found.all_entries):
            raise NotFixable(f"`{bound}` is listed in __all__; renaming it changes the module's interface")
    for node, _ in found.uses:
        if node.id != bound:
            continue
        start_line, start_col, end_line, end_col = doc.node_range(node)
        plan.targets.append(Target("rename", (start_line, start_col), (end_line, end_col), replacement))
    pattern = re.compile(r"\b" + re.escape(bound) + r"\b")
    for const, _ in found.strings:
        if pattern.search(const.value):
            start_line, start_col, end_line, end_col = doc.node_range(const)
            plan.targets.append(Target("string", (start_line, start_col), (end_line, end_col),
                                       lambda code, p=pattern: p.sub(replacement, code)))
    plan.removed_bindings.add(bound)
    plan.introduced_names.add(root)
    return plan, replacement


def _range(span: Span) -> tuple[int, int, int, int]:
    return (span.line, span.col, span.end_line, span.end_col)


class LegacyImportFix:
    """SSOT001's fix (``Rule.fix.entry``); safe or not per site (``ImportEdit.safe``)."""

    def words(self, doc: Doc, violation: Violation) -> set[str] | None:
        bound = violation.payload.bound if isinstance(violation.payload, ImportPayload) else None
        return group_words(doc, violation, bound) if bound else None

    def compute(self, doc: Doc, violation: Violation) -> FixEdit:
        edit = fix_legacy_import(doc, violation)
        return FixEdit(edit.plan, import_title(edit, violation, group_of(doc.config, violation)), edit.safe)


class AliasFix:
    """SSOT008's fix (``Rule.fix.entry``)."""

    def words(self, doc: Doc, violation: Violation) -> set[str] | None:
        data = violation.payload
        if not isinstance(data, AliasPayload) or not (data.bound and data.honest):
            return None
        return group_words(doc, violation, data.bound, data.honest)

    def compute(self, doc: Doc, violation: Violation) -> FixEdit:
        plan, replacement = fix_alias(doc, violation)
        bound = payload_of(violation, AliasPayload).bound
        return FixEdit(plan, f"Rename {bound} to its honest name {replacement}", True)


LEGACY_IMPORT_FIX = LegacyImportFix()
ALIAS_FIX = AliasFix()
