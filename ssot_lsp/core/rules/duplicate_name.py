"""SSOT005 duplicate-name: another class with the canonical class's name, or one extending it."""

from __future__ import annotations

from ssot_lsp.core.rules.base import RuleContext
from ssot_lsp.core.violations import Related
from ssot_lsp.core.rules.definitions import discoveries

CODE = "SSOT005"


def check(ctx: RuleContext) -> None:
    for cls, discovery in discoveries(ctx, CODE):
        group = discovery.group
        related = []
        for module, other in ctx.classifier.definitions_of(group):
            if module == ctx.facts.module and other.span == cls.span:
                continue
            path = ctx.index.known_modules.get(module, module)
            role = "canonical" if f"{module}:{other.name}" == group.canonical else "other"
            related.append(Related(path, other.span, f"{role} definition of {other.name} in {module}"))
        ctx.report(CODE, cls.span,
                   f"{cls.name}: {discovery.reason}; the SSOT is {group.canonical_name} in {group.canonical_module}",
                   group=group, stmt_line=cls.stmt_line, symbol=f"{ctx.facts.module}:{cls.name}",
                   related=tuple(related), data={"kind": "definition", "canonical": group.canonical})
