"""SSOT002 legacy-construction: a call that creates a legacy instance, through any binding."""

from __future__ import annotations

from ssot_lsp.core.classify import COMPAT, LEGACY
from ssot_lsp.core.rules.base import RuleContext, canonical_hint, short

CODE = "SSOT002"


def check(ctx: RuleContext) -> None:
    if ctx.in_legacy_module:
        return
    facts, index, classifier = ctx.facts, ctx.index, ctx.classifier
    for call in facts.calls:
        ref = index.resolve_expr(facts, call.scope, call.callee)
        if ref is None or ref.is_module:
            continue
        role = classifier.role(ref if not ref.attr else _owner(ref))
        if ref.attr:
            full_role = classifier.role(ref)
            if full_role is not None and full_role.role == COMPAT:
                role = full_role
            elif role is None or role.role != LEGACY or not classifier.is_constructor_attr(ref):
                continue
        elif role is None or role.role != LEGACY or ref.kind not in ("class", "external"):
            continue
        if ref.kind == "external" and ref.symbol not in role.group.legacy_symbols:
            continue
        group = role.group
        context = group.context_args.get(ref.qualname) or group.context_args.get(ref.symbol) if not ref.attr \
            else group.context_args.get(ref.qualname)
        what = f"{short(ref.symbol)}.{ref.attr}" if ref.attr else short(ref.symbol)
        fixable = group.factory is not None and context is not None and call.async_scope
        if group.factory is None:
            manual = canonical_hint(group)
        elif context is None:
            manual = (f"no context argument is configured for {ref.qualname}: pass the user context to "
                      f"{group.factory.create.replace('{context}', 'user_context')} by hand")
        elif not call.async_scope:
            manual = ("not inside an async def: move the construction into async code and use "
                      f"{group.factory.create.replace('{context}', 'user_context')}")
        else:
            manual = ""
        message = f"construction of legacy {what}; {canonical_hint(group)}"
        ctx.report(CODE, call.span, message, group=group, stmt_line=call.stmt_line, symbol=ref.qualname, data={
            "kind": "construction", "legacy": ref.qualname, "canonical": group.canonical,
            "compat": role.role == COMPAT, "callee": call.callee,
            "context": {"position": context.position, "keyword": context.keyword} if context else None,
            "asyncScope": call.async_scope, "asyncWith": call.async_with, "awaited": call.awaited,
            "fixable": fixable, "manual": manual,
            "callRange": [call.call_span.line, call.call_span.col, call.call_span.end_line, call.call_span.end_col],
        })


def _owner(ref):
    from ssot_lsp.core.index import Ref

    return Ref(ref.module, ref.name, None, ref.kind)
