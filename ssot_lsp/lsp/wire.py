"""Pushed diagnostics as JSON text, each diagnostic serialised once while it stays the same.

An edit of a big file changes one or two of its findings; the other hundreds are the same
finding at the same place, and converting them to JSON and serialising them again on every
keystroke cost as much as the rules (803 findings: 7 ms building dicts, 8 ms ``json.dumps``).
``WireCache`` keeps the serialised text of each diagnostic of a document's last publish, keyed by
everything its JSON depends on (the finding's fields, the text of its lines, the encoding), and
splices the one part that changes with every version -- ``data.version`` -- into it.

Findings with related locations in other files are serialised afresh each time: their ranges
depend on the other file's current text.
"""

from __future__ import annotations

import json
from typing import Any

from ssot_lsp.core.violations import Violation
from ssot_lsp.lsp.convert import LinesOf, diagnostic_json
from ssot_lsp.lsp.documents import LineIndex

# stands in for ``data.version`` while a diagnostic is serialised; its JSON text cannot occur
# anywhere else in a diagnostic (a NUL in a string is escaped, and this marker is ours)
_MARK = "\x00ssot-version\x00"
_MARK_JSON = json.dumps(_MARK)

Fragment = tuple[str, str]  # the diagnostic's JSON before and after its version


class WireCache:
    """The serialised diagnostics of one document's last publish."""

    def __init__(self) -> None:
        self.fragments: dict[tuple[Any, ...], Fragment] = {}
        self.context: tuple[str, str | None] | None = None  # (encoding, docs base URL) of the fragments

    def diagnostics(self, violations: list[Violation], lines: LineIndex, encoding: str, version: int | None,
                    lines_of: LinesOf, docs_base_url: str | None) -> list[str]:
        """The JSON text of each violation's diagnostic for ``version``, in order."""
        if self.context != (encoding, docs_base_url):
            self.fragments, self.context = {}, (encoding, docs_base_url)
        previous, fresh = self.fragments, {}
        version_json = json.dumps(version)
        out = []
        for violation in violations:
            key = _key(violation, lines) if not violation.related else None
            try:
                fragment = previous.get(key) if key is not None else None
            except TypeError:  # a payload holding something unhashable: serialise it every time
                key = fragment = None
            if fragment is None:
                wire = diagnostic_json(violation, lines, encoding, None, lines_of, docs_base_url)
                wire["data"]["version"] = _MARK
                before, _, after = json.dumps(wire).partition(_MARK_JSON)
                fragment = (before, after)
            if key is not None:
                fresh[key] = fragment
            out.append(fragment[0] + version_json + fragment[1])
        self.fragments = fresh  # only the current findings: the cache never outgrows the document
        return out


def _key(violation: Violation, lines: LineIndex) -> tuple[Any, ...]:
    """Everything a diagnostic's JSON depends on besides the version and the cache's context."""
    span = violation.span
    return (violation.code, violation.message, violation.severity, violation.group, violation.stmt_line,
            violation.symbol, violation.payload, span, lines.line(span.line),
            lines.line(span.end_line) if span.end_line != span.line else None)


def publish_body(uri: str, version: int | None, diagnostics: list[str]) -> str:
    """The JSON-RPC ``textDocument/publishDiagnostics`` notification around serialised diagnostics."""
    params = f'{{"uri": {json.dumps(uri)}, "diagnostics": [{", ".join(diagnostics)}]'
    if version is not None:
        params += f', "version": {json.dumps(version)}'
    return f'{{"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": {params}}}}}'
