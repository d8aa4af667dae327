"""Shared by the three duplicate-definition rules: walk class definitions once per rule code."""

from __future__ import annotations

from ssot_lsp.core.rules.base import RuleContext
from ssot_lsp.core.violations import Related


def discoveries(ctx: RuleContext, code: str):
    for cls in ctx.facts.classes:
        for discovery in ctx.classifier.discover(ctx.facts.module, cls):
            if discovery.code == code:
                yield cls, discovery


def canonical_related(ctx: RuleContext, group) -> tuple[Related, ...]:
    path = ctx.index.known_modules.get(group.canonical_module)
    if path is None:
        return ()
    cls = ctx.index.class_fact(group.canonical_module, group.canonical_name)
    if cls is None:
        return ()
    return (Related(path, cls.span, f"canonical {group.canonical_name}"),)


def report_definitions(ctx: RuleContext, code: str, message) -> None:
    """Report every class ``code`` discovers as a separate definition of its group's concept;
    ``message(cls, discovery)`` says what is wrong with it (the fix data and related places are the
    same for every such rule)."""
    for cls, discovery in discoveries(ctx, code):
        group = discovery.group
        ctx.report(code, cls.span, message(cls, discovery),
                   group=group, stmt_line=cls.stmt_line, symbol=f"{ctx.facts.module}:{cls.name}",
                   related=canonical_related(ctx, group),
                   data={"kind": "definition", "canonical": group.canonical})
