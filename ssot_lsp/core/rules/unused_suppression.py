"""SSOT010 unused-suppression: a suppression comment that suppressed nothing in this file.

Not a ``check`` like the others: it runs after every other rule, on the suppressions they used
(``ssot_lsp.core.engine`` calls ``report_unused``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ssot_lsp.config.model import Config
from ssot_lsp.core.facts import FileFacts
from ssot_lsp.core.payload import Payload
from ssot_lsp.core.rules.rule import Example, Rule
from ssot_lsp.core.severity import rule_enabled, severity_for
from ssot_lsp.core.violations import Violation

ALL_CODES = "all codes"


@dataclass(frozen=True)
class UnusedSuppressionPayload(Payload):
    KIND: ClassVar[str] = "unused-suppression"
    codes: tuple[str, ...]  # the unused codes ("all codes" for a comment without codes)


def report_unused(facts: FileFacts, used: set[tuple[int, str | None]], config: Config, relpath: str,
                  overrides: dict[str, str] | None) -> list[Violation]:
    """Findings for the suppressions of ``facts`` that suppressed nothing (``used``: (line, code) pairs
    that did suppress, code None for a comment without codes)."""
    severity = severity_for(config, RULE.code, None, relpath, overrides)
    if severity == "off":
        return []
    from ssot_lsp.core.rules.registry import RULES

    out = []
    for suppression in facts.suppressions:
        if suppression.codes is None:
            if (suppression.line, None) in used:
                continue
            unused = [ALL_CODES]
        else:
            unused = sorted(c for c in suppression.codes
                            if (suppression.line, c) not in used
                            and (c not in RULES or _runs(config, c, relpath, overrides)))
        if not unused:
            continue
        unknown = [c for c in unused if c != ALL_CODES and c not in RULES]
        if unknown:
            message = RULE.message("unknown", codes=", ".join(unknown))
        else:
            message = RULE.message("unused", codes=", ".join(unused))
        out.append(Violation(
            code=RULE.code, message=message, path=facts.path, span=suppression.span, severity=severity,
            stmt_line=suppression.line, symbol=",".join(unused), payload=UnusedSuppressionPayload(tuple(unused))))
    return out


def _runs(config: Config, code: str, relpath: str, overrides: dict[str, str] | None) -> bool:
    """Whether a rule can report here at all: suppressing a disabled or 'off' rule is not an unused suppression."""
    return rule_enabled(config, code, relpath) and severity_for(config, code, None, relpath, overrides) != "off"


RULE = Rule(code="SSOT010", name="unused-suppression", default_severity="warning", check=None,
            payload=UnusedSuppressionPayload, summary="Suppression comment that suppresses nothing",
            messages={"unknown": "suppression names {codes}, which no rule has; correct or remove it",
                      "unused": "suppression of {codes} suppresses nothing here; remove it"},
            finds="""\
A `# ssot: ignore[...]`, `# ssot: ignore` or `# noqa: SSOT...` comment that suppresses nothing on its
line, or names an unknown code. For a comment with several codes the unused ones are named. Codes of
rules that are not run for the file (`select`, `ignore`, per-path `ignore`, severity `off`) are not
reported unused. `# noqa` comments without SSOT codes belong to other tools and are ignored. Files that
do not parse report no unused suppressions (nothing else could be checked there).

Only the directive grammar counts (see "How to suppress" below): prose that merely starts like one —
`# SSOT: ignore stale registry entries` — is a comment, neither a suppression nor an unused one.""",
            why="A suppression that suppresses nothing hides future violations on that line.",
            config_keys="`ignore`/`select` (to turn the rule off), `per-path`",
            by_hand="Delete the comment, or the unused codes in it: stale suppressions hide the next real finding "
                    "on that line.",
            invalid=(Example("import os  # ssot: ignore[SSOT001]\n"),),
            valid=(Example("import os\n"),),
)
