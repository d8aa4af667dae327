"""SSOT009 syntax-error: one item per file that does not parse (or needs a newer Python)."""

from __future__ import annotations

from ssot_lsp.core.rules.base import RuleContext

CODE = "SSOT009"


def check(ctx: RuleContext) -> None:
    problem = ctx.facts.problem
    if problem is None:
        return
    ctx.report(CODE, problem.span, problem.message, group=None, stmt_line=problem.span.line,
               symbol="newer-syntax" if problem.newer_syntax else "syntax-error",
               data={"kind": "syntax", "newerSyntax": problem.newer_syntax})
