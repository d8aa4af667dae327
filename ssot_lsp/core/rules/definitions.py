"""Shared by the three duplicate-definition rules: their payload, and walking class definitions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from ssot_lsp.config.model import Group
from ssot_lsp.core.classify import Discovery, Duplicate
from ssot_lsp.core.facts import ClassFact
from ssot_lsp.core.payload import Payload
from ssot_lsp.core.rules.context import RuleContext, replacement_of
from ssot_lsp.core.rules.rule import Rule
from ssot_lsp.core.violations import Related


@dataclass(frozen=True)
class DefinitionPayload(Payload):
    KIND: ClassVar[str] = "definition"
    canonical: str
    test_double: str = ""  # why the class is a test double ('' when it is not): then at most information
    replacement: str = ""  # what replaces the class: ``module:Name`` (the canonical by default) or "none"

    def max_severity(self) -> str | None:
        return "information" if self.test_double else None

    def migrates_to(self) -> str | None:
        return self.replacement or None


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


def payload_of(ctx: RuleContext, cls: ClassFact, discovery: Discovery) -> DefinitionPayload:
    group = discovery.group
    return DefinitionPayload(canonical=group.canonical, test_double=discovery.test_double,
                             replacement=replacement_of(ctx, group, f"{ctx.facts.module}:{cls.name}"))


TEST_DOUBLE = ("{name} is a test double ({why}), not a second implementation; keep it in step with {canonical} "
               "(or build it with create_autospec({canonical}))")


def test_double_message(rule: Rule, cls: ClassFact, discovery: Discovery) -> str:
    return rule.message("test-double", name=cls.name, why=discovery.test_double,
                        canonical=discovery.group.canonical_name)


def report_definitions(ctx: RuleContext, rule: Rule, kind: Duplicate,
                       message: Callable[[ClassFact, Discovery, DefinitionPayload], str]) -> None:
    """Report every class discovery finds to be a duplicate of ``kind``; ``message(cls, discovery,
    payload)`` says what is wrong with it (the payload and related places are the same for every
    such rule). A test double gets the rule's ``test-double`` message."""
    for cls, discovery in discoveries(ctx, kind):
        group = discovery.group
        payload = payload_of(ctx, cls, discovery)
        text = test_double_message(rule, cls, discovery) if discovery.test_double else message(cls, discovery, payload)
        ctx.report(rule, cls.span, text, payload, group=group, stmt_line=cls.stmt_line,
                   symbol=f"{ctx.facts.module}:{cls.name}", related=canonical_related(ctx, group))
