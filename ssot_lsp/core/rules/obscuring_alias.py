"""SSOT008 obscuring-alias: a legacy symbol under the canonical name, or the canonical under a legacy name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ssot_lsp.config.model import Group
from ssot_lsp.config.regex_safety import search_identifier
from ssot_lsp.core.classify import CANONICAL, LEGACY
from ssot_lsp.core.index import Ref
from ssot_lsp.core.payload import Payload
from ssot_lsp.core.rules.context import RuleContext, short
from ssot_lsp.core.rules.example_workspace import CANONICAL_ENGINE_MODULE, LEGACY_ENGINE_MODULE
from ssot_lsp.core.rules.rule import Example, FixSpec, Rule, Safety
from ssot_lsp.core.text import Span


@dataclass(frozen=True)
class AliasPayload(Payload):
    KIND: ClassVar[str] = "alias"
    bound: str  # the name the alias binds
    honest: str  # the name it should have
    target: str  # what it refers to (``module:Name``)
    # the canonical class under a legacy name: harmless at run time, information by default
    harmless: bool = False

    def default_severity(self) -> str | None:
        return "information" if self.harmless else None


def _looks_legacy(group: Group, name: str) -> bool:
    if name == group.canonical_name:
        return False
    if name in {short(s) for s in group.legacy_symbols}:
        return True
    return group.class_pattern is not None and search_identifier(group.class_pattern, name)


def _candidates(ctx: RuleContext) -> list[tuple[str, Ref | None, Span, int, str]]:
    """(bound name, what it refers to, span, statement line, original name) of every alias."""
    facts, index = ctx.facts, ctx.index
    out: list[tuple[str, Ref | None, Span, int, str]] = []
    for imp in facts.imports:
        if imp.asname and imp.name not in (None, "*"):
            out.append((imp.asname, index.resolve_name(imp.module, imp.name), imp.span, imp.stmt_line, imp.name))
    for alias in facts.aliases:
        out.append((alias.name, index.resolve_expr(facts, 0, alias.target), alias.span, alias.stmt_line,
                    alias.target.rpartition(".")[2]))
    return out


def check(ctx: RuleContext) -> None:
    if ctx.in_legacy_module:
        return
    for bound, ref, span, stmt_line, original in _candidates(ctx):
        role = ctx.classifier.role(ref)
        if role is None or ref is None:
            continue
        group = role.group
        if role.role == LEGACY and bound == group.canonical_name:
            message = RULE.message("legacy-as-canonical", target=ref.qualname, bound=bound, honest=original)
            honest = original
        elif role.role == CANONICAL and _looks_legacy(group, bound):
            message = RULE.message("canonical-as-legacy", canonical=group.canonical_name, bound=bound)
            honest = group.canonical_name
        else:
            continue
        payload = AliasPayload(bound=bound, honest=honest, target=ref.qualname, harmless=role.role == CANONICAL)
        ctx.report(RULE, span, message, payload, group=group, stmt_line=stmt_line, symbol=f"{ref.qualname} as {bound}")


RULE = Rule(code="SSOT008", name="obscuring-alias", default_severity="warning", check=check,
            payload=AliasPayload, summary="Alias that hides what is imported",
            finds="""\
An alias that hides what is imported: a legacy symbol bound to the canonical name
(`from …execution_engine import ExecutionEngine as UserExecutionEngine`), or the canonical class bound
to a legacy name or a name matching `class-pattern` (`UserExecutionEngine as ExecutionEngine`), by an
import alias or a module-level assignment. Honest aliases (`ExecutionEngine as LegacyEngine`) and
neutral names (`UserExecutionEngine as Engine`) are fine. Calls through a legacy class under the
canonical name are SSOT002, not SSOT003; calls through the canonical class under a legacy name are
SSOT003.

**Severity by direction.** A legacy class under the canonical name is dangerous — the code looks
migrated and is not — and keeps the rule's severity (warning). The canonical class under a legacy
name is harmless when it runs, so it is **information** by default; it still matters because readers
and reviewers take it for the legacy class, searches for the canonical name miss it, and the renamed
import is how calls written `UserExecutionEngine(...)` end up unbound ([SSOT011](SSOT011.md)).""",
            why="An alias that gives a legacy symbol the canonical name (or the reverse) hides what is really used "
                "and makes the code look migrated when it is not.",
            messages={
                "legacy-as-canonical": "legacy {target} imported as the canonical {bound}; import it as "
                                       "{honest} until it is migrated (the code looks migrated but is not)",
                "canonical-as-legacy": "canonical {canonical} imported as {bound}: harmless when it runs, but it "
                                       "reads as the legacy class and hides this use from searches for {canonical}; "
                                       "import it as {canonical}",
            },
            config_keys="`canonical`, `legacy-symbols`, `class-pattern`; `severity` (also per group and per path) "
                        "applies to both directions",
            fix=FixSpec(Safety.SAFE, "ssot_lsp.fixes.imports:ALIAS_FIX", summary="""\
The fix drops the alias and renames every use in the file to the honest name (the payload's
`honest`); a `Y = X` alias assignment is removed and its uses renamed to `X`. A reviewer reading
`UserExecutionEngine(...)` then sees what is really used. It is withheld when the alias is used
elsewhere: imported from this module by other modules, listed in `__all__`, or bound twice."""),
            by_hand="Import the name without the alias (or under an honest one) and rename its uses.",
            invalid=(
                Example(f"from {CANONICAL_ENGINE_MODULE} import UserExecutionEngine as ExecutionEngine\n\n\n"
                        "def describe(engine: ExecutionEngine) -> str:\n    return repr(engine)\n",
                        fixed=f"from {CANONICAL_ENGINE_MODULE} import UserExecutionEngine\n\n\n"
                              "def describe(engine: UserExecutionEngine) -> str:\n    return repr(engine)\n"),
                Example(f"from {LEGACY_ENGINE_MODULE} import ExecutionEngine as UserExecutionEngine\n"),
            ),
            valid=(
                Example(f"from {LEGACY_ENGINE_MODULE} import ExecutionEngine as LegacyEngine\n"),
                Example(f"from {CANONICAL_ENGINE_MODULE} import UserExecutionEngine as Engine\n"),
            ),
)
