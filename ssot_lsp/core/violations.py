"""Violations: the one result type the CLI, the server and the fixes share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ssot_lsp.core.payload import NoPayload, Payload
from ssot_lsp.core.text import Span


@dataclass(frozen=True, slots=True)
class Related:
    path: str
    span: Span
    message: str


@dataclass(slots=True)
class Violation:
    code: str
    message: str
    path: str
    span: Span
    severity: str
    group: str | None = None
    stmt_line: int = 0
    symbol: str = ""  # what is offending (qualified), for fingerprints and hover
    related: tuple[Related, ...] = ()
    # what a fix and the hover need, so that code actions never re-analyse (see core/payload.py)
    payload: Payload = field(default_factory=NoPayload)

    @property
    def rule(self) -> str:
        from ssot_lsp.core.rules.registry import rule_for

        return rule_for(self.code).name

    @property
    def headline(self) -> str:
        """The finding without the advice: a rule's message reads "<finding>; <what to do>" (see
        ``Rule.messages``), and reports for people show the finding, leaving what to do to
        `ssot-lsp rule CODE`, the hover and the docs."""
        return self.message.split("; ", 1)[0]

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.line, self.span.col, self.code)

    def fingerprint(self, line_text: str) -> str:
        """Stable across edits elsewhere in the file: no line numbers, only what and where-in-code."""
        basis = "\x1f".join((self.code, self.symbol, " ".join(line_text.split())))
        import hashlib  # here: the workspace walk imports this module for FileError, and hashlib loads OpenSSL

        return hashlib.sha1(basis.encode("utf-8", "surrogatepass")).hexdigest()[:20]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "rule": self.rule,
            "message": self.message,
            "path": self.path,
            "line": self.span.line + 1,
            "column": self.span.col + 1,
            "end_line": self.span.end_line + 1,
            "end_column": self.span.end_col + 1,
            "severity": self.severity,
            "group": self.group,
            "symbol": self.symbol,
            "related": [
                {"path": r.path, "line": r.span.line + 1, "column": r.span.col + 1, "message": r.message}
                for r in self.related
            ],
            "data": self.payload.to_wire(),
        }


@dataclass(slots=True)
class FileError:
    """Input that could not be read or decoded: reported and skipped, never fatal."""

    path: str
    message: str
