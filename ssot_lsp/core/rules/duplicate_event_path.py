"""SSOT006 duplicate-event-path: a class other than the canonical one defining the group's methods."""

from __future__ import annotations

from ssot_lsp.core.rules.base import RuleContext
from ssot_lsp.core.rules.definitions import canonical_related, discoveries

CODE = "SSOT006"


def check(ctx: RuleContext) -> None:
    for cls, discovery in discoveries(ctx, CODE):
        group = discovery.group
        ctx.report(CODE, cls.span,
                   f"{cls.name} delivers events itself ({discovery.reason}); route them through "
                   f"{group.canonical_name} ({group.canonical_module})",
                   group=group, stmt_line=cls.stmt_line, symbol=f"{ctx.facts.module}:{cls.name}",
                   related=canonical_related(ctx, group),
                   data={"kind": "definition", "canonical": group.canonical})
