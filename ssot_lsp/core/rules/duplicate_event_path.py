"""SSOT006 duplicate-event-path: a class other than the canonical one defining the group's methods."""

from __future__ import annotations

from ssot_lsp.core.rules.base import RuleContext
from ssot_lsp.core.rules.definitions import report_definitions

CODE = "SSOT006"


def check(ctx: RuleContext) -> None:
    report_definitions(ctx, CODE, lambda cls, discovery: (
        f"{cls.name} delivers events itself ({discovery.reason}); route them through "
        f"{discovery.group.canonical_name} ({discovery.group.canonical_module})"))
