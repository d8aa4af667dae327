"""SSOT004 duplicate-definition: a class discovery assigns to a group, outside the canonical module."""

from __future__ import annotations

from ssot_lsp.core.rules.base import RuleContext
from ssot_lsp.core.rules.definitions import canonical_related, discoveries

CODE = "SSOT004"


def check(ctx: RuleContext) -> None:
    for cls, discovery in discoveries(ctx, CODE):
        group = discovery.group
        ctx.report(CODE, cls.span,
                   f"{cls.name} duplicates the {group.name} SSOT ({discovery.reason}); "
                   f"consolidate into {group.canonical_name} ({group.canonical_module})",
                   group=group, stmt_line=cls.stmt_line, symbol=f"{ctx.facts.module}:{cls.name}",
                   related=canonical_related(ctx, group),
                   data={"kind": "definition", "canonical": group.canonical})
