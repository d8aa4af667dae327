"""SSOT003 factory-bypass: the canonical class constructed directly outside its factory modules."""

from __future__ import annotations

from ssot_lsp.core.classify import CANONICAL
from ssot_lsp.core.rules.base import RuleContext

CODE = "SSOT003"


def check(ctx: RuleContext) -> None:
    if ctx.in_legacy_module:
        return
    facts, index, classifier = ctx.facts, ctx.index, ctx.classifier
    for call in facts.calls:
        ref = index.resolve_expr(facts, call.scope, call.callee)
        if ref is None or ref.is_module or ref.attr:
            continue
        role = classifier.role(ref)
        if role is None or role.role != CANONICAL:
            continue
        group = role.group
        if facts.module in group.factory_modules or facts.module == group.canonical_module or not group.factory_modules:
            continue
        how = group.factory.create.replace("{context}", "context") if group.factory else group.factory_modules[0]
        ctx.report(CODE, call.span, f"{group.canonical_name} constructed directly; create it through {how}",
                   group=group, stmt_line=call.stmt_line, symbol=ref.qualname,
                   data={"kind": "bypass", "canonical": group.canonical, "asyncScope": call.async_scope})
