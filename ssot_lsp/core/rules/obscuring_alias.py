"""SSOT008 obscuring-alias: a legacy symbol under the canonical name, or the canonical under a legacy name."""

from __future__ import annotations

from ssot_lsp.config.regex_safety import search_identifier
from ssot_lsp.core.classify import CANONICAL, LEGACY
from ssot_lsp.core.rules.base import RuleContext, short

CODE = "SSOT008"


def _legacy_names(group) -> set[str]:
    return {short(s) for s in group.legacy_symbols}


def _looks_legacy(group, name: str) -> bool:
    if name == group.canonical_name:
        return False
    if name in _legacy_names(group):
        return True
    return group.class_pattern is not None and search_identifier(group.class_pattern, name)


def check(ctx: RuleContext) -> None:
    if ctx.in_legacy_module:
        return
    facts, index, classifier = ctx.facts, ctx.index, ctx.classifier
    candidates = []
    for imp in facts.imports:
        if imp.asname and imp.name not in (None, "*"):
            candidates.append((imp.asname, index.resolve_name(imp.module, imp.name), imp.span, imp.stmt_line,
                               imp.name))
    for alias in facts.aliases:
        candidates.append((alias.name, index.resolve_expr(facts, 0, alias.target), alias.span, alias.stmt_line,
                           alias.target.rpartition(".")[2]))
    for bound, ref, span, stmt_line, original in candidates:
        role = classifier.role(ref)
        if role is None:
            continue
        group = role.group
        if role.role == LEGACY and bound == group.canonical_name:
            message = (f"legacy {ref.qualname} is bound to the canonical name {bound}; "
                       f"use the honest name {original} until it is migrated")
            honest = original
        elif role.role == CANONICAL and _looks_legacy(group, bound):
            message = f"canonical {group.canonical_name} is bound to the legacy name {bound}; call it {group.canonical_name}"
            honest = group.canonical_name
        else:
            continue
        ctx.report(CODE, span, message, group=group, stmt_line=stmt_line, symbol=f"{ref.qualname} as {bound}",
                   data={"kind": "alias", "bound": bound, "honest": honest, "target": ref.qualname})
