"""SSOT002 and SSOT003: a construction becomes the group's factory call (unsafe by design).

``ExecutionEngine(registry, bridge, user_context=ctx)`` (a legacy class, SSOT002) or
``UserExecutionEngine(ctx, agent_factory, emitter)`` (the canonical class outside its factory,
SSOT003) inside ``async def`` becomes ``await (await get_execution_engine_factory()).create_for_user(ctx)``;
``async with Legacy(...)`` uses the factory's scope template; an awaited compatibility constructor
is replaced whole so the ``await`` is not doubled. Where the context is passed comes from the
finding (``context-args``, else the constructor's signature in the index: ``core/signatures.py``),
never from a guess; the other arguments are dropped only when the parameter they fill is one the
factory supplies (``supplied-args``) and they cannot have side effects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from ssot_lsp.config.model import ContextArg, Group
from ssot_lsp.core.rules.factory_bypass import BypassPayload
from ssot_lsp.core.rules.legacy_construction import ConstructionPayload
from ssot_lsp.core.violations import Violation
from ssot_lsp.fixes.api import FixEdit
from ssot_lsp.fixes.document import Doc, NotFixable, group_of, group_words, payload_of
from ssot_lsp.fixes.import_edits import drop_if_unused, ensure_import
from ssot_lsp.fixes.transform import Plan, Target

_AWAIT_BEFORE = re.compile(r"await\s*$")


def _simple(expr: cst.BaseExpression) -> bool:
    if isinstance(expr, (cst.Name, cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary, cst.ConcatenatedString)):
        return True
    if isinstance(expr, cst.Attribute):
        return _simple(expr.value) and isinstance(expr.value, (cst.Name, cst.Attribute))
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        return isinstance(expr.expression, (cst.Integer, cst.Float))
    return False


def _last_name(expr: cst.BaseExpression) -> str | None:
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        return expr.attr.value
    return None


def _context_arg(call: cst.Call, context: ContextArg) -> cst.Arg:
    """The argument passing the user context."""
    ctx_arg = None
    for arg in call.args:
        if arg.star:
            raise NotFixable("the call passes *args or **kwargs; the context argument cannot be located")
    if context.keyword:
        ctx_arg = next((a for a in call.args if a.keyword is not None and a.keyword.value == context.keyword), None)
    if ctx_arg is None and context.position is not None:
        positional = [a for a in call.args if a.keyword is None]
        if len(positional) > context.position:
            ctx_arg = positional[context.position]
    if ctx_arg is None:
        where = " or ".join(filter(None, [
            f"`{context.keyword}=`" if context.keyword else "",
            f"argument {context.position + 1}" if context.position is not None else ""]))
        raise NotFixable(f"the call passes no user context ({where}); pass it by hand")
    if isinstance(ctx_arg.value, cst.Name) and ctx_arg.value.value == "None":
        raise NotFixable("None is not a user context: pass the request's context to the factory by hand")
    return ctx_arg


def _dropped(module: cst.Module, call: cst.Call, ctx_arg: cst.Arg, supplied: set[str],
             params: tuple[str, ...]) -> list[str]:
    """The other arguments, each of which the factory must supply and dropping must not lose effects."""
    dropped = []
    positional_index = 0
    for arg in call.args:
        position = positional_index if arg.keyword is None else None
        positional_index += arg.keyword is None
        if arg is ctx_arg:
            continue
        code = module.code_for_node(arg.value)
        if not _simple(arg.value):
            raise NotFixable(f"argument `{code}` may have side effects; dropping it could lose them")
        name = _parameter_name(arg, position, params)
        if name not in supplied:
            if arg.keyword is not None:
                shown = f"`{arg.keyword.value}={code}`"
            else:
                shown = f"`{code}`" if name is None or name == code else f"`{code}` (parameter `{name}`)"
            raise NotFixable(f"argument {shown} is not one the factory supplies (supplied-args: "
                             f"{', '.join(sorted(supplied)) or 'none'}); migrate this call by hand")
        dropped.append(f"{arg.keyword.value}={code}" if arg.keyword is not None else code)
    return dropped


def _parameter_name(arg: cst.Arg, position: int | None, params: tuple[str, ...]) -> str | None:
    """The parameter an argument fills: its keyword, else the constructor's parameter at its
    position (from the index), else — signature unknown — the last name of the value passed."""
    if arg.keyword is not None:
        return arg.keyword.value
    if params:
        return params[position] if position is not None and position < len(params) else None
    return _last_name(arg.value)


@dataclass
class Rewrite:
    """Filled in when the transform ran: the arguments dropped and the replacement expression."""

    dropped: list[str] = field(default_factory=list)
    replacement: str = ""
    context: str = ""  # the context argument as written (whitespace collapsed)


def _site(violation: Violation) -> ConstructionPayload | BypassPayload:
    if isinstance(violation.payload, BypassPayload):
        return violation.payload
    return payload_of(violation, ConstructionPayload)


def construction_target(doc: Doc, violation: Violation,
                        info: Rewrite | None = None) -> tuple[Target, list[tuple[str, str]]]:
    """The libcst target replacing one construction (of a legacy class, or of the canonical class
    outside its factory), and the imports the replacement needs.

    ``info`` receives the dropped arguments and the replacement once the transform ran.
    """
    data = _site(violation)
    compat = isinstance(data, ConstructionPayload) and data.compat
    info = info if info is not None else Rewrite()
    group = group_of(doc.config, violation)
    factory = group.factory
    if factory is None or not data.fixable:
        raise NotFixable(data.manual or "no factory is configured for this group")
    context = data.context
    if context is None:
        raise NotFixable(data.manual or "no context argument is configured")
    if data.async_with:
        template = factory.scope
        if not template:
            raise NotFixable("the group's factory has no scope template for `async with`")
    else:
        template = factory.create
    call_range = data.call_range
    if call_range is None:
        raise NotFixable("the finding carries no call position (the document changed?)")
    line, col, end_line, end_col = call_range.line, call_range.col, call_range.end_line, call_range.end_col
    kind = "call"
    start = (line, col)
    if compat:
        if not data.awaited:
            raise NotFixable("the compatibility constructor is not awaited here; rewrite it by hand")
        before = doc.lines[line][:col]
        match = _AWAIT_BEFORE.search(before)
        if match is None:
            raise NotFixable("the awaited call has an unusual form (parenthesised); rewrite it by hand")
        kind, start = "await", (line, match.start())
    elif data.awaited:
        raise NotFixable("the legacy constructor is awaited; rewrite it by hand")
    supplied = set(factory.supplied_args)
    positional_params = data.positional

    def build(module: cst.Module, original: cst.CSTNode, updated: cst.BaseExpression) -> cst.BaseExpression:
        call = updated.expression if isinstance(updated, cst.Await) else updated
        if not isinstance(call, cst.Call):
            raise NotFixable("the construction has an unusual form")
        ctx_arg = _context_arg(call, context)
        dropped = _dropped(module, call, ctx_arg, supplied, positional_params)
        ctx_code = module.code_for_node(ctx_arg.value)
        try:
            new = cst.parse_expression(template.replace("{context}", ctx_code))
        except cst.ParserSyntaxError:
            new = cst.parse_expression(template.replace("{context}", f"({ctx_code})"))
        info.dropped = dropped
        info.context = " ".join(ctx_code.split())
        info.replacement = template.replace("{context}", info.context)
        return new

    target = Target(kind, start, (end_line, end_col), build)
    imports = [(module, name) for module, _, name in (spec.partition(":") for spec in factory.imports)]
    return target, imports


def fix_construction(doc: Doc, violation: Violation) -> tuple[Plan, Rewrite]:
    """The factory call in place of the construction, the factory's import, and no import left
    unused: the name the construction called through goes when that was its only use."""
    info = Rewrite()
    target, imports = construction_target(doc, violation, info)
    plan = Plan(targets=[target])
    span = _site(violation).call_range
    callee = _callee_name(doc, violation)
    if callee is not None and span is not None:
        drop_if_unused(doc, plan, callee, (span.line, span.col))
    for module, name in imports:
        ensure_import(doc, plan, module, name)
    return plan, info


_NAME = re.compile(r"[^\d\W]\w*")


def _callee_name(doc: Doc, violation: Violation) -> str | None:
    """The name the construction starts with (``ExecutionEngine``, ``eem`` of ``eem.ExecutionEngine``)."""
    span = _site(violation).call_range
    if span is None:
        return None
    match = _NAME.match(doc.lines[span.line], span.col)
    return match.group(0) if match else None


def construction_title(info: Rewrite, group: Group) -> str:
    """'Use factory create_for_user(ctx) (drops registry, bridge)': what changes, short."""
    template = group.factory.create if group.factory else ""
    method = re.search(r"\.(\w+)\(\{context\}\)", template)
    context = info.context if 0 < len(info.context) <= 24 else "..."
    title = (f"Use factory {method.group(1)}({context})" if method
             else f"Create {group.canonical_name} through the factory")
    return title + (f" (drops {', '.join(info.dropped)})" if info.dropped else "")


class FactoryCallFix:
    """SSOT002's and SSOT003's fix (``Rule.fix.entry``): a legacy construction or a direct
    construction of the canonical class becomes the same factory call."""

    def words(self, doc: Doc, violation: Violation) -> set[str] | None:
        return group_words(doc, violation, _callee_name(doc, violation))

    def compute(self, doc: Doc, violation: Violation) -> FixEdit:
        plan, info = fix_construction(doc, violation)
        group = group_of(doc.config, violation)
        return FixEdit(plan, lambda: construction_title(info, group))


CONSTRUCTION_FIX = BYPASS_FIX = FactoryCallFix()
