"""SSOT004 duplicate-definition: a class discovery assigns to a group, outside the canonical module."""

from __future__ import annotations

from ssot_lsp.core.rules.base import RuleContext
from ssot_lsp.core.rules.definitions import report_definitions

CODE = "SSOT004"


def check(ctx: RuleContext) -> None:
    report_definitions(ctx, CODE, lambda cls, discovery: (
        f"{cls.name} duplicates the {discovery.group.name} SSOT ({discovery.reason}); "
        f"consolidate into {discovery.group.canonical_name} ({discovery.group.canonical_module})"))
