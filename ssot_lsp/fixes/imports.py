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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

import libcst as cst

from ssot_lsp.config.model import REPLACEMENT_NONE, Group
from ssot_lsp.core.classify import LEGACY, Classifier
from ssot_lsp.core.facts import dotted as _dotted
from ssot_lsp.core.patch_targets import counterpart
from ssot_lsp.core.rules.legacy_construction import ConstructionPayload
from ssot_lsp.core.rules.legacy_import import ImportPayload
from ssot_lsp.core.rules.obscuring_alias import AliasPayload
from ssot_lsp.core.text import Span
from ssot_lsp.core.violations import Violation
from ssot_lsp.fixes.api import FixEdit
from ssot_lsp.fixes.construction import construction_target
from ssot_lsp.fixes.document import Doc, NotFixable, ReexportNotFixable, group_of, group_words, payload_of
from ssot_lsp.fixes.import_edits import (
    add_alias,
    alias_name,
    ensure_import,
    importers_of,
    new_from_import,
    remove_aliases,
    top_level_imports,
)
from ssot_lsp.fixes.transform import Plan, Target

if TYPE_CHECKING:
    from ssot_lsp.core.facts import Positioned

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
        if isinstance(node, ast.Name):
            if node.id in names:
                if isinstance(node.ctx, ast.Load):
                    out.uses.append((node, ancestors))
                else:
                    out.bindings.setdefault(node.id, []).append(node)
            continue
        if ann and isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.strings.append((node, ancestors))
            continue
        for bound in _bound_names(node):
            if bound in names:
                out.bindings.setdefault(bound, []).append(node)
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and node.targets[0].id == "__all__" and isinstance(node.value, (ast.List, ast.Tuple)) and \
                len(ancestors) == 1 and isinstance(ancestors[0], ast.Module):
            out.all_entries.extend(e for e in node.value.elts if isinstance(e, ast.Constant))
        chain = ancestors + [node]
        annotation = _annotation_of(node)
        for child in ast.iter_child_nodes(node):
            stack.append((child, chain, ann or child is annotation))
    return out


def _bound_names(node: ast.AST) -> list[str]:
    """The names a definition, parameter, import, global/nonlocal or except clause binds."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [alias.asname or alias.name.partition(".")[0] for alias in node.names]
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return list(node.names)
    if isinstance(node, ast.ExceptHandler) and node.name:
        return [node.name]
    return []


def _annotation_of(node: ast.AST) -> ast.expr | None:
    """The child of ``node`` that is an annotation (return, parameter or variable annotation)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return node.returns
    if isinstance(node, (ast.arg, ast.AnnAssign)):
        return node.annotation
    return None


Scope = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]


def _find_import(doc: Doc, violation: Violation) -> tuple[ast.Import | ast.ImportFrom, Scope | None, bool]:
    """The import statement of a violation, its enclosing function (or None) and whether it is in a class."""
    line = violation.stmt_line
    span = violation.span
    stack: list[tuple[ast.AST, Scope | None]] = [(doc.tree, None)]
    while stack:
        node, func = stack.pop()
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.stmt):
                continue
            last_line = (child.end_lineno or child.lineno) - 1
            if isinstance(child, (ast.Import, ast.ImportFrom)) and child.lineno - 1 == line and \
                    child.lineno - 1 <= span.line <= last_line:
                first, col, last, end_col = doc.node_range(child)
                if (span.line, span.col) >= (first, col) and (span.end_line, span.end_col) <= (last, end_col):
                    return child, func, isinstance(node, ast.ClassDef)
            if child.lineno - 1 <= span.line <= last_line:
                inner = child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) else func
                stack.append((child, inner))
    raise NotFixable("the import statement was not found (the document changed?)")


def _stmt_start(doc: Doc, node: ast.stmt) -> tuple[int, int]:
    return doc.node_range(node)[:2]


@dataclass
class ImportEdit:
    plan: Plan
    notes: list[str]
    safe: bool
    constructions: int = 0
    renames: int = 0
    uses_canonical: bool = False  # the file goes on using the canonical class (the import is not just dropped)
    reexported: str | None = None  # the name other modules import from here, which this edit removes


def fix_legacy_import(doc: Doc, violation: Violation, *, reexport_ok: bool = False) -> ImportEdit:
    """The plan that replaces a legacy import with the canonical one and rewrites every use of it.
    ``reexport_ok``: a re-exported name is removed (and its ``__all__`` entries) instead of refused;
    the caller rewrites the importers (``ImportEdit.reexported``)."""
    return _ImportRewrite(doc, violation, reexport_ok).plan_edit()


class _ImportRewrite:
    """One SSOT001 fix: what the import binds, each use rewritten in turn, then the import itself."""

    def __init__(self, doc: Doc, violation: Violation, reexport_ok: bool = False) -> None:
        self.doc = doc
        self.reexport_ok = reexport_ok
        self.reexported: str | None = None
        self.data = payload_of(violation, ImportPayload)
        group = self.group = group_of(doc.config, violation)
        if self.data.replacement == REPLACEMENT_NONE:
            raise NotFixable(f"nothing replaces {self.data.legacy} automatically (the group's replacements say "
                             '"none"): migrate it by hand')
        if self.data.replacement and self.data.replacement != group.canonical:
            raise NotFixable(f"{self.data.legacy} is replaced by {self.data.replacement}, not by the canonical "
                             f"{group.canonical_name}: migrate it by hand")
        self.canonical, self.canonical_module = group.canonical_name, group.canonical_module
        self.stmt, self.func, in_class = _find_import(doc, violation)
        if in_class:
            raise NotFixable("the import is inside a class body")
        if not self.data.bound:
            raise NotFixable("a star import from a legacy module cannot be rewritten automatically")
        self.bound: str = self.data.bound
        self.classifier = Classifier(doc.config, doc.index)
        self.prefix, self.module_ref = self._what_is_bound()
        names = {self.bound} | ({self.canonical} if self.canonical != self.bound else set())
        self.found = walk(doc.tree, names, within=self.func)
        self.plan = Plan()
        self.notes: list[str] = []
        self.safe = True
        self.needs_canonical = False
        self.constructions = self.renames = 0

    def plan_edit(self) -> ImportEdit:
        self._check_bindings()
        self._rewrite_uses()
        self._rewrite_string_annotations()
        if self.func is None:
            self._rewrite_reexports()
        self._rewrite_import()
        return ImportEdit(self.plan, self.notes, self.safe, self.constructions, self.renames, self.needs_canonical,
                          self.reexported)

    def _what_is_bound(self) -> tuple[list[str] | None, str | None]:
        """(the prefix uses go through, the module) when the binding is a legacy module (``m.X`` uses);
        (None, None) when it is the legacy class itself."""
        module, name, index = self.data.module, self.data.name, self.doc.index
        if name is None:
            prefix = [self.bound] if self.data.asname else module.split(".")
            if len(prefix) > 1:
                raise NotFixable(f"`import {module}` without an alias: add `as` or migrate its uses by hand")
            return prefix, module
        ref = index.resolve_name(module, name)
        if ref is not None and ref.is_module:
            return [self.bound], ref.module
        if index.is_module(f"{module}.{name}"):
            return [self.bound], f"{module}.{name}"
        return None, None

    def _check_bindings(self) -> None:
        """The fix renames one binding: neither name may be bound to something else in its scope."""
        others = [b for b in self.found.bindings.get(self.bound, []) if b is not self.stmt]
        if others:
            raise NotFixable(f"`{self.bound}` is also bound at line {_line(others[0])}; rename it by hand")
        for binding in self.found.bindings.get(self.canonical, []):
            if binding is self.stmt or (isinstance(binding, ast.ImportFrom) and binding.module == self.canonical_module
                                        and binding.level == 0
                                        and any(a.name == self.canonical and a.asname is None for a in binding.names)):
                continue
            raise NotFixable(f"`{self.canonical}` is already bound at line {_line(binding)} to something else")

    # -- uses of the binding -------------------------------------------------------------------
    def _rewrite_uses(self) -> None:
        calls_by_range = {_range(v.payload.call_range): v for v in self.doc.violations
                          if isinstance(v.payload, ConstructionPayload)}
        handled_calls: set[int] = set()
        for name_node, ancestors in self.found.uses:
            if name_node.id != self.bound:
                continue
            expr, parents = self._through_prefix(name_node, ancestors)
            parent = parents[-1] if parents else None
            grand = parents[-2] if len(parents) > 1 else None
            call = _called(expr, parent, grand)
            if call is not None:
                if id(call) not in handled_calls:
                    handled_calls.add(id(call))
                    self._rewrite_construction(call, expr.lineno, calls_by_range)
                continue
            kind = _use_kind(expr, parents, parent, grand)
            if kind == "patch.object" and isinstance(parent, ast.Call):
                self._retarget_patch_object(expr, parent)
            if kind != "annotation":
                self.safe = False
                self.notes.append(kind)
            self.needs_canonical = True
            if _dotted(expr) != self.canonical:
                start_line, start_col, end_line, end_col = self.doc.node_range(expr)
                self.plan.targets.append(Target("rename", (start_line, start_col), (end_line, end_col),
                                                self.canonical))
                self.renames += 1

    def _retarget_patch_object(self, expr: ast.expr, call: ast.Call) -> None:
        """``patch.object(Legacy, "method")`` moves to the canonical class only when it defines the
        method (``core/patch_targets.py``); verification checks the new target resolves there."""
        attribute = call.args[1] if len(call.args) > 1 else None
        if not (isinstance(attribute, ast.Constant) and isinstance(attribute.value, str)):
            raise NotFixable(f"the attribute patch.object patches at line {call.lineno} is not a string literal; "
                             "its counterpart cannot be checked")
        ref = (self.doc.index.resolve_name(self.data.module, self.data.name or "") if self.prefix is None
               else self.doc.index.resolve_name(self.module_ref or "", getattr(expr, "attr", "")))
        if ref is None or ref.is_module:
            raise NotFixable(f"`{_dotted(expr)}` at line {call.lineno} does not resolve to a class")
        old = f"{ref.module}.{ref.name}.{attribute.value}"
        found = counterpart(self.classifier, self.group, old)
        if not found.found:
            raise NotFixable(f"patch.object at line {call.lineno}: {found.reason}")
        self.plan.retargets.append((self.group.name, old,
                                    f"{self.canonical_module}.{self.canonical}.{attribute.value}"))

    def _through_prefix(self, name_node: ast.Name, ancestors: list[ast.AST]) -> tuple[ast.expr, list[ast.AST]]:
        """For a module binding, the ``m.X`` attribute a use stands for (it must name a legacy class)."""
        if self.prefix is None:
            return name_node, ancestors
        parent = ancestors[-1] if ancestors else None
        if not isinstance(parent, ast.Attribute) or parent.value is not name_node:
            raise NotFixable(f"`{self.bound}` is used at line {name_node.lineno} other than as `{self.bound}.<class>`")
        attr_ref = self.doc.index.resolve_name(self.module_ref or "", parent.attr)
        role = self.classifier.role(attr_ref)
        if role is None or role.role != LEGACY or attr_ref is None or attr_ref.is_module:
            raise NotFixable(f"`{self.bound}.{parent.attr}` (line {name_node.lineno}) is not a legacy class; "
                             "migrate it by hand")
        return parent, ancestors[:-1]

    def _rewrite_construction(self, call: ast.Call, line: int,
                              calls_by_range: dict[tuple[int, int, int, int], Violation]) -> None:
        violation_of_call = calls_by_range.get(self.doc.node_range(call))
        if violation_of_call is None:
            raise NotFixable(f"the use of `{self.bound}` at line {line} cannot be rewritten")
        try:
            target, imports = construction_target(self.doc, violation_of_call)
        except NotFixable as exc:
            raise NotFixable(f"the construction at line {line} cannot be rewritten: {exc}") from None
        self.plan.targets.append(target)
        for module, name in imports:
            ensure_import(self.doc, self.plan, module, name)
        self.constructions += 1
        self.safe = False

    def _rewrite_string_annotations(self) -> None:
        pattern = re.compile(r"\b" + re.escape(self.bound) + (r"\.(\w+)\b" if self.prefix is not None else r"\b"))
        canonical = self.canonical
        for const, _ in self.found.strings:
            if self.func is not None and not _inside(const, self.func):
                continue
            if not pattern.search(str(const.value)):
                continue
            if self.prefix is not None:
                for match in pattern.finditer(str(const.value)):
                    role = self.classifier.role(self.doc.index.resolve_name(self.module_ref or "", match.group(1)))
                    if role is None or role.role != LEGACY:
                        raise NotFixable(f"string annotation at line {const.lineno} names `{match.group(0)}`")
            start_line, start_col, end_line, end_col = self.doc.node_range(const)
            self.plan.targets.append(Target("string", (start_line, start_col), (end_line, end_col),
                                            lambda code, p=pattern: p.sub(canonical, code)))
            self.needs_canonical = True
            self.renames += 1

    def _rewrite_reexports(self) -> None:
        """A module-level binding other modules import is never removed alone; ``__all__`` entries follow."""
        bound, canonical = self.bound, self.canonical
        importers = importers_of(self.doc, bound)
        entries = [e for e in self.found.all_entries if e.value == bound]
        if importers and not self.reexport_ok:
            shown = ", ".join(importers[:3]) + (" …" if len(importers) > 3 else "")
            raise ReexportNotFixable(f"`{bound}` is imported from this module by {shown}; it is a re-export: "
                                     "the cross-file fix rewrites those importers with it")
        if entries and bound != canonical and not self.reexport_ok:
            # issue 15 §4: a compatibility re-export is never renamed alone — its importers (which
            # the index may not see: `module.Name` uses, code outside the workspace) would break
            raise ReexportNotFixable(f"`{bound}` is listed in __all__ of this module: a compatibility re-export is "
                                     f"never renamed alone (importers of `{bound}` would break); the cross-file "
                                     f"fix removes it and rewrites its importers to {canonical}")
        if importers or (entries and bound != canonical):
            self._remove_reexport(entries)
            return
        if not entries:
            return
        self.needs_canonical = True
        self.safe = False
        self.notes.append("__all__")

    def _remove_reexport(self, entries: list[ast.Constant]) -> None:
        """The cross-file fix: the re-exported name goes, with its ``__all__`` entries."""
        facts = self.doc.index.facts_by_module.get(self.doc.module)
        if facts is not None and facts.all_names is not None and self.bound in facts.all_names and not entries:
            raise NotFixable(f"`{self.bound}` is added to __all__ in a way the fix cannot edit (not a literal "
                             "`__all__ = [...]`); remove it by hand")
        self.reexported = self.bound
        self.safe = False
        self.notes.append("re-export")
        statements = {id(stmt): stmt for stmt in self.doc.tree.body if isinstance(stmt, ast.Assign)
                      and any(e in getattr(stmt.value, "elts", ()) for e in entries)}
        for stmt in statements.values():
            line, col = _stmt_start(self.doc, stmt)
            self.plan.targets.append(Target("replace-stmt", (line, col), (line, col),
                                            lambda node, name=self.bound: _without_all_entry(node, name)))

    # -- the import statement ------------------------------------------------------------------
    def _existing_canonical_import(self) -> ast.ImportFrom | str | None:
        """"bound" when the canonical name is already imported; an import of its module to extend;
        None when the canonical import must be added in place of the legacy one."""
        found: ast.ImportFrom | str | None = None
        in_place = self.func is None and not self.data.type_checking
        if not in_place and self.func is None:
            return None
        for _, _, node in top_level_imports(self.doc):
            if node is self.stmt or not isinstance(node, ast.ImportFrom) or node.module != self.canonical_module:
                continue
            if in_place and node.level != 0:
                continue
            if any(a.name == self.canonical and a.asname is None for a in node.names):
                return "bound"
            if in_place and found is None and not any(a.name == "*" for a in node.names):
                found = node
        return found

    def _rewrite_import(self) -> None:
        plan, canonical = self.plan, self.canonical
        plan.removed_bindings.add(self.bound)
        existing = None
        if self.needs_canonical:
            plan.introduced_names.add(canonical)
            existing = self._existing_canonical_import()
            if isinstance(existing, ast.ImportFrom):
                line, col = _stmt_start(self.doc, existing)
                plan.targets.append(Target("extend-import", (line, col), (line, col),
                                           lambda s: add_alias(s, canonical)))
        add_in_place = self.needs_canonical and existing is None
        line, col = _stmt_start(self.doc, self.stmt)
        plan.targets.append(Target("import", (line, col), (line, col), self._import_edit(add_in_place)))

    def _import_edit(self, add_in_place: bool) -> Callable[[cst.CSTNode], cst.CSTNode | cst.RemovalSentinel
                                                            | cst.FlattenSentinel[cst.BaseSmallStatement]]:
        """The libcst edit of the import statement: drop the legacy alias, maybe add the canonical import."""
        bound, imported_name = self.bound, self.data.name
        imported_full = self.data.module if imported_name is None else None
        canonical, canonical_module = self.canonical, self.canonical_module

        def edit(node: cst.CSTNode) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.BaseSmallStatement]:
            def drop(alias: cst.ImportAlias) -> bool:
                as_ = _alias_as(alias)
                if isinstance(node, cst.Import):
                    return alias_name(alias) == imported_full and (as_ is None or as_ == bound)
                return alias_name(alias) == imported_name and (as_ or imported_name) == bound

            if not isinstance(node, (cst.Import, cst.ImportFrom)):
                raise NotFixable("the import to rewrite has changed")
            kept = remove_aliases(node, drop)
            if not add_in_place:
                return kept if kept is not None else cst.RemovalSentinel.REMOVE
            new = new_from_import(canonical_module, canonical)
            return new if kept is None else cst.FlattenSentinel([kept, new])

        return edit


def _without_all_entry(node: cst.CSTNode, name: str) -> cst.CSTNode:
    """``__all__ = [..., "name", ...]`` without the entry (the comma layout of the rest kept)."""
    assign = cst.ensure_type(node, cst.Assign)
    value = assign.value
    if not isinstance(value, (cst.List, cst.Tuple)):
        raise NotFixable("__all__ changed: it is no longer a literal list")
    elements = list(value.elements)
    kept = [e for e in elements if not (isinstance(e.value, cst.SimpleString) and e.value.evaluated_value == name)]
    if kept and kept[-1] is not elements[-1]:
        kept[-1] = kept[-1].with_changes(comma=elements[-1].comma)
    if isinstance(value, cst.Tuple) and len(kept) == 1 and isinstance(kept[0].comma, cst.MaybeSentinel):
        kept[0] = kept[0].with_changes(comma=cst.Comma())
    return assign.with_changes(value=value.with_changes(elements=kept))


def _alias_as(alias: cst.ImportAlias) -> str | None:
    """The ``as`` name of an import alias (None without one)."""
    if alias.asname is None:
        return None
    return cst.ensure_type(alias.asname.name, cst.Name).value


def _line(node: ast.AST) -> int:
    return int(getattr(node, "lineno", 0))


def _called(expr: ast.expr, parent: ast.AST | None, grand: ast.AST | None) -> ast.Call | None:
    """The call ``expr`` is the callee of (``X(...)``), or whose callee is an attribute of it (``X.create(...)``)."""
    if isinstance(parent, ast.Call) and parent.func is expr:
        return parent
    if isinstance(parent, ast.Attribute) and isinstance(grand, ast.Call) and grand.func is parent:
        return grand
    return None


def _use_kind(expr: ast.expr, parents: list[ast.AST], parent: ast.AST | None, grand: ast.AST | None) -> str:
    """What a use of the class is ('annotation', 'isinstance', 'spec', 'patch.object'); NotFixable otherwise."""
    if _in_annotation(expr, parents):
        return "annotation"
    if isinstance(parent, ast.Call) and _dotted(parent.func) in ("isinstance", "issubclass") and \
            len(parent.args) == 2 and (parent.args[1] is expr or (
                isinstance(parent.args[1], ast.Tuple) and expr in parent.args[1].elts)):
        return "isinstance"
    if isinstance(parent, ast.Tuple) and isinstance(grand, ast.Call) and \
            _dotted(grand.func) in ("isinstance", "issubclass") and len(grand.args) == 2 and grand.args[1] is parent:
        return "isinstance"
    if isinstance(parent, ast.keyword) and parent.arg in ("spec", "spec_set") and isinstance(grand, ast.Call):
        return "spec"
    if isinstance(parent, ast.Call) and parent.args and parent.args[0] is expr:
        callee = _dotted(parent.func) or ""
        if callee.rpartition(".")[2] in _MOCKS:
            return "spec"
        if callee.endswith(_PATCH_OBJECT):
            return "patch.object"
    raise NotFixable(f"`{_dotted(expr)}` at line {expr.lineno} is used as a value; it cannot be rewritten "
                     "automatically")


def _inside(node: Positioned, scope: Positioned) -> bool:
    return scope.lineno <= node.lineno <= (scope.end_lineno or scope.lineno)


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


_WHY_UNSAFE = {"isinstance": "isinstance checks", "spec": "mock specs", "patch.object": "patch.object targets",
               "__all__": "__all__", "re-export": "re-export removed"}


def import_title(edit: ImportEdit, violation: Violation, group: Group) -> str:
    """'Use UserExecutionEngine instead of ExecutionEngine (+2 factory calls, isinstance checks)':
    the uses that make it unsafe in the detail."""
    data = payload_of(violation, ImportPayload)
    what = data.name or data.module.rpartition(".")[2]
    if not (edit.renames or edit.constructions or edit.notes or edit.uses_canonical):
        return f"Remove the unused legacy import {what}"
    title = f"Use {group.canonical_name} instead of {what}"
    changes = [f"+{edit.constructions} factory call{'s' if edit.constructions > 1 else ''}"] \
        if edit.constructions else []
    changes += [_WHY_UNSAFE[kind] for kind in dict.fromkeys(edit.notes) if kind in _WHY_UNSAFE]
    return title + (f" ({', '.join(changes)})" if changes else "")


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

        def edit(node: cst.CSTNode) -> cst.CSTNode:
            statement = cst.ensure_type(node, cst.ImportFrom)
            if isinstance(statement.names, cst.ImportStar):
                raise NotFixable("the aliased import has changed")
            names = [a.with_changes(asname=None) if _alias_as(a) == bound else a for a in statement.names]
            return statement.with_changes(names=names)

        start = _stmt_start(doc, stmt)
        plan.targets.append(Target("import", start, start, edit))
    elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
        target = _dotted(stmt.value)
        if target is None:
            raise NotFixable("the alias target is not a dotted name")
        replacement = target
        start = _stmt_start(doc, stmt)
        plan.targets.append(Target("replace-stmt", start, start, lambda node: cst.RemovalSentinel.REMOVE))
    else:
        raise NotFixable("only `from m import X as Y` and `Y = X` aliases are rewritten automatically")
    root = replacement.partition(".")[0]
    found = walk(doc.tree, {bound, root}, within=func)
    others = [b for b in found.bindings.get(bound, []) if b is not stmt and not (
        isinstance(stmt, ast.Assign) and b is stmt.targets[0])]
    if others:
        raise NotFixable(f"`{bound}` is also bound at line {_line(others[0])}; rename it by hand")
    if isinstance(stmt, ast.ImportFrom) and found.bindings.get(root):
        raise NotFixable(f"`{root}` is already bound at line {_line(found.bindings[root][0])}")
    if func is None:
        importers = importers_of(doc, bound)
        if importers:
            raise NotFixable(f"`{bound}` is imported from this module by {', '.join(importers[:3])}; "
                             "renaming it would break them")
        if any(e.value == bound for e in found.all_entries):
            raise NotFixable(f"`{bound}` is listed in __all__; renaming it changes the module's interface")
    for use, _ in found.uses:
        if use.id != bound:
            continue
        start_line, start_col, end_line, end_col = doc.node_range(use)
        plan.targets.append(Target("rename", (start_line, start_col), (end_line, end_col), replacement))
    pattern = re.compile(r"\b" + re.escape(bound) + r"\b")
    for const, _ in found.strings:
        if pattern.search(str(const.value)):
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
        return FixEdit(plan, f"Drop the alias {bound}: use {replacement}", True)


LEGACY_IMPORT_FIX = LegacyImportFix()
ALIAS_FIX = AliasFix()
