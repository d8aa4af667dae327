"""SSOT009 syntax-error: one item per file that does not parse (or needs a newer Python)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ssot_lsp.core.payload import Payload
from ssot_lsp.core.rules.context import RuleContext
from ssot_lsp.core.rules.rule import Bucket, Example, Rule
from ssot_lsp.core.violations import Violation


@dataclass(frozen=True)
class SyntaxPayload(Payload):
    KIND: ClassVar[str] = "syntax"
    newer_syntax: bool  # parsed by libcst and analysed completely: only a newer Python's syntax

    def default_severity(self) -> str | None:
        """A file that only needs a newer Python was analysed completely: that is information."""
        return "information" if self.newer_syntax else None


def is_syntax_error(violation: Violation) -> bool:
    """Whether a finding is this rule's (front ends treat the parse problem apart from real findings)."""
    return isinstance(violation.payload, SyntaxPayload)


def check(ctx: RuleContext) -> None:
    problem = ctx.facts.problem
    if problem is None:
        return
    ctx.report(RULE, problem.span, problem.message, SyntaxPayload(newer_syntax=problem.newer_syntax),
               group=None, stmt_line=problem.span.line,
               symbol="newer-syntax" if problem.newer_syntax else "syntax-error")


RULE = Rule(code="SSOT009", name="syntax-error", default_severity="error", check=check,
            payload=SyntaxPayload, summary="File does not parse",
            finds="""\
A file that does not parse: one finding per file at the position CPython's `ast` reports (source with
NUL bytes: at the first NUL). Nothing else is reported for such a file. A file that only uses syntax
newer than the running Python (PEP 701 f-strings on Python < 3.12) is parsed through libcst, analysed
completely (its other findings are reported), and gets one SSOT009 of severity **information**
("uses syntax newer than Python 3.11 … analysed through libcst").

Files the prefilter skips — files that mention no configured name, so cannot contain a violation —
are not parsed, so their syntax errors are not reported. In a file of 60 lines or more that does
mention one, `check` parses only the statements that can matter (imports, `__all__`, statements naming
a group name or a name bound to one): a syntax error in another statement is not reported either.
The language server parses every open file whole, so the editor shows such errors as you type;
`ssot-lsp check --no-prefilter` parses every file whole.""",
            why="The file does not parse, so it cannot be checked.",
            config_keys="`severity`, `per-path`, `max-file-size-kb`, `include`/`exclude`",
            by_hand="""\
Fix the syntax. The severity of the newer-syntax information can be changed like any other
(`severity = { SSOT009 = "..." }` applies to both kinds).""",
            bucket=Bucket("files that do not parse or need newer syntax", "files-without-group"),
            invalid=(Example("from netra_backend.app.agents import ExecutionEngine\nresult = run(engine, payload\n"),),
            valid=(Example("from netra_backend.app.agents import ExecutionEngine\nresult = run(engine, payload)\n"),),
)
