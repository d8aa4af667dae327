"""SSOT007: string targets of patch / import helpers -> the canonical target (unsafe by design)."""

from __future__ import annotations

import ast

import libcst as cst

from ssot_lsp.config.model import REPLACEMENT_NONE
from ssot_lsp.core.patch_targets import split_target
from ssot_lsp.core.rules.string_reference import StringPayload
from ssot_lsp.core.text import Span
from ssot_lsp.core.violations import Violation
from ssot_lsp.fixes.api import FixEdit
from ssot_lsp.fixes.document import Doc, NotFixable, group_of, payload_of
from ssot_lsp.fixes.import_edits import drop_if_unused
from ssot_lsp.fixes.transform import Plan, Target


def _literal(code: str, value: str) -> str:
    """A string literal for ``value`` in the quote style of ``code``."""
    prefix = ""
    while code and code[0] in "rRuUbB":
        prefix += code[0]
        code = code[1:]
    for quote in ('"""', "'''", '"', "'"):
        if code.startswith(quote) and quote not in value and "\\" not in value:
            return prefix.replace("u", "").replace("U", "") + quote + value + quote if "b" not in prefix.lower() \
                else repr(value)
    return repr(value)


def fix_string(doc: Doc, violation: Violation) -> tuple[Plan, str]:
    """The rewrite of a string target, and the action's title. A patch target moves only to its
    counterpart (``core/patch_targets.py``); the plan records the move for verification."""
    data = payload_of(violation, StringPayload)
    group = group_of(doc.config, violation)
    replacement = data.replacement
    if data.withheld:
        raise NotFixable(data.withheld)
    if not replacement and data.replaces == REPLACEMENT_NONE:
        raise NotFixable('nothing replaces this target automatically (the group\'s replacements say "none")')
    if not replacement:
        raise NotFixable("no canonical replacement is known for this target")
    kind = data.patch_kind
    span = violation.span
    plan = Plan()
    if kind in ("patch", "patch.object"):
        if not data.target:
            raise NotFixable("the finding does not say what the patch targets (the document changed?)")
        plan.retargets.append((group.name, data.target, replacement))
    if kind == "patch.object":
        # patch.object(module_object, "Legacy") -> patch("canonical.module.Canonical")
        def build(module: cst.Module, original: cst.CSTNode, updated: cst.Call) -> cst.Call:
            call = updated
            func = call.func
            args = list(call.args)
            if len(args) < 2 or args[0].keyword is not None or args[1].keyword is not None or \
                    not isinstance(args[1].value, (cst.SimpleString,)):
                raise NotFixable("patch.object call with an unusual argument list")
            if isinstance(func, cst.Attribute) and func.attr.value == "object":
                new_func = func.value
            elif isinstance(func, cst.Attribute) and func.attr.value in ("setattr", "delattr"):
                new_func = func
            else:
                raise NotFixable("unknown patch helper")
            string = cst.SimpleString(_literal(module.code_for_node(args[1].value), replacement))
            first = args[1].with_changes(value=string)
            return call.with_changes(func=new_func, args=[first, *args[2:]])

        call = _enclosing_call(doc, span)
        call_range = doc.node_range(call)
        plan.targets.append(Target("call", call_range[:2], call_range[2:], build))
        if isinstance(call.args[0], ast.Name):  # the module object is no longer named: its import may go
            drop_if_unused(doc, plan, call.args[0].id, doc.node_range(call.args[0])[:2])
        return plan, patch_title(doc, data)
    if kind not in ("patch", "import_module", "__import__"):
        raise NotFixable(f"{kind} targets are not rewritten automatically")
    plan.targets.append(Target("string", (span.line, span.col), (span.end_line, span.end_col),
                               lambda code: _literal(code, replacement)))
    if kind == "patch":
        return plan, patch_title(doc, data)
    return plan, f"Import {replacement.rpartition('.')[2]} instead (its names differ)"


def patch_title(doc: Doc, data: StringPayload) -> str:
    """'Patch UserExecutionEngine.method instead'; an attribute moved to the canonical module says it
    is another module's object."""
    split = split_target(doc.index, data.replacement)
    if split is not None and split[1]:
        module, shown = split[0], ".".join(split[1])
    else:
        module, _, shown = data.replacement.rpartition(".")
    if data.moved:
        return f"Patch the canonical module's {shown} instead"
    return f"Patch {shown} instead"


def _enclosing_call(doc: Doc, span: Span) -> ast.Call:
    """The call whose second argument is the string at ``span`` (from the ast tree)."""
    for node in ast.walk(doc.tree):
        if isinstance(node, ast.Call) and len(node.args) >= 2:
            arg = node.args[1]
            if arg.lineno - 1 == span.line and doc.node_range(arg)[:2] == (span.line, span.col):
                return node
    raise NotFixable("the patch.object call was not found")


class StringFix:
    """SSOT007's fix (``Rule.fix.entry``)."""

    def words(self, doc: Doc, violation: Violation) -> set[str] | None:
        return None

    def compute(self, doc: Doc, violation: Violation) -> FixEdit:
        plan, title = fix_string(doc, violation)
        return FixEdit(plan, title)


STRING_FIX = StringFix()
