"""Shared by the three duplicate-definition rules: their payload, and walking class definitions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from ssot_lsp.config.model import Group
from ssot_lsp.core.classify import Discovery, Duplicate
from ssot_lsp.core.facts import ClassFact
from ssot_lsp.core.payload import Payload
from ssot_lsp.core.rules.context import RuleContext
from ssot_lsp.core.rules.rule import Rule
from ssot_lsp.core.violations import Related


@dataclass(frozen=True)
class DefinitionPayload(Payload):
    KIND: ClassVar[str] = "definition"
    canonical: str


def discoveries(ctx: RuleContext, kind: Duplicate) -> Iterator[tuple[ClassFact, Discovery]]:
    for cls in ctx.facts.classes:
        for discovery in ctx.classifier.discover(ctx.facts.module, cls):
            if discovery.kind is kind:
                yield cls, discovery


def canonical_related(ctx: RuleContext, group: Group) -> tuple[Related, ...]:
    path = ctx.index.known_modules.get(group.canonical_module)
    if path is None:
        return ()
    cls = ctx.index.class_fact(group.canonical_module, group.canonical_name)
    if cls is None:
        return ()
    return (Related(path, cls.span, f"canonical {group.canonical_name}"),)


def report_definitions(ctx: RuleContext, rule: Rule, kind: Duplicate,
                       message: Callable[[ClassFact, Discovery], str]) -> None:
    """Report every class discovery finds to be a duplicate of ``kind``; ``message(cls, discovery)``
    says what is wrong with it (the payload and related places are the same for every such rule)."""
    for cls, discovery in discoveries(ctx, kind):
        group = discovery.group
        ctx.report(rule, cls.span, message(cls, discovery), DefinitionPayload(canonical=group.canonical),
                   group=group, stmt_line=cls.stmt_line, symbol=f"{ctx.facts.module}:{cls.name}",
                   related=canonical_related(ctx, group))
