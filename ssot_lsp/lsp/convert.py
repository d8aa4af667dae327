"""Core results -> LSP values: ranges in the negotiated encoding, diagnostics, edits."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from ssot_lsp.core.payload import NoPayload, Payload
from ssot_lsp.core.rules.docs import page_uri
from ssot_lsp.core.rules.registry import RULES, payload_from_wire
from ssot_lsp.core.text import Span, UndecodableSource, decode_source
from ssot_lsp.core.violations import Related, Violation
from ssot_lsp.lsp.documents import LineIndex

SOURCE = "ssot"
LinesOf = Callable[[str], "LineIndex | None"]  # the lines of a file (related locations are converted with them)

SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}
SEVERITY_NAME = {v: k for k, v in SEVERITY.items()}


def uri_to_path(uri: str) -> str | None:
    try:
        path = to_fs_path(uri)
    except Exception:  # noqa: BLE001 - malformed URIs are not ours to crash on
        return None
    return os.path.abspath(path) if path else None


def path_to_uri(path: str) -> str:
    return from_fs_path(str(path)) or Path(path).as_uri()


def read_text(path: str) -> str | None:
    try:
        data = Path(path).read_bytes()
        return decode_source(data)[0]
    except (OSError, UndecodableSource):
        return None


def to_range(lines: LineIndex, span: Span, encoding: str) -> types.Range:
    l1, c1, l2, c2 = lines.lsp_range(span, encoding)
    return types.Range(start=types.Position(line=l1, character=c1), end=types.Position(line=l2, character=c2))


def range_dict(rng: types.Range) -> dict:
    return {"start": {"line": rng.start.line, "character": rng.start.character},
            "end": {"line": rng.end.line, "character": rng.end.character}}


def span_data(span: Span) -> list[int]:
    return [span.line, span.col, span.end_line, span.end_col]


def to_diagnostic(violation: Violation, lines: LineIndex, encoding: str, version: int | None,
                  lines_of: LinesOf | None = None) -> types.Diagnostic:
    """One diagnostic; ``lines_of(path) -> LineIndex | None`` converts related locations."""
    rule = RULES.get(violation.code)
    related = []
    for item in violation.related:
        location = related_location(item, encoding, lines_of)
        if location is not None:
            related.append(types.DiagnosticRelatedInformation(location=location, message=item.message))
    return types.Diagnostic(
        range=to_range(lines, violation.span, encoding),
        message=violation.message,
        severity=SEVERITY.get(violation.severity, types.DiagnosticSeverity.Warning),
        code=violation.code,
        code_description=types.CodeDescription(href=page_uri(rule)) if rule else None,
        source=SOURCE,
        related_information=related or None,
        data=diagnostic_data(violation, lines.line(violation.span.line), version),
    )


def diagnostic_data(violation: Violation, line_text: str, version: int | None) -> dict[str, Any]:
    """The diagnostic's ``data`` (docs/protocol.md, "Diagnostics"): where the finding is and its payload."""
    return {
        "code": violation.code,
        "group": violation.group,
        "fingerprint": violation.fingerprint(line_text),
        "version": version,
        "payload": violation.payload.to_wire(),
        "symbol": violation.symbol,
        "stmtLine": violation.stmt_line,
        "span": span_data(violation.span),
    }


def diagnostic_dict(violation: Violation, lines: LineIndex, encoding: str, version: int | None,
                    lines_of: LinesOf | None = None) -> dict[str, Any]:
    """The same diagnostic as ``to_diagnostic`` as a JSON-ready dict: the per-keystroke path skips
    building and unstructuring attrs objects, which costs more than the analysis for big files."""
    span = violation.span
    l1, c1, l2, c2 = lines.lsp_range(span, encoding)
    rule = RULES.get(violation.code)
    out = {
        "range": {"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}},
        "severity": int(SEVERITY.get(violation.severity, types.DiagnosticSeverity.Warning)),
        "code": violation.code,
        "source": SOURCE,
        "message": violation.message,
        "data": diagnostic_data(violation, lines.line(span.line), version),
    }
    if rule is not None:
        out["codeDescription"] = {"href": page_uri(rule)}
    if violation.related:
        related = []
        for item in violation.related:
            location = related_location(item, encoding, lines_of)
            related.append({"location": {"uri": location.uri, "range": range_dict(location.range)},
                            "message": item.message})
        out["relatedInformation"] = related
    return out


def related_location(item: Related, encoding: str, lines_of: LinesOf | None) -> types.Location:
    lines = lines_of(item.path) if lines_of else None
    if lines is None:
        rng = types.Range(start=types.Position(line=item.span.line, character=item.span.col),
                          end=types.Position(line=item.span.end_line, character=item.span.end_col))
    else:
        rng = to_range(lines, item.span, encoding)
    return types.Location(uri=path_to_uri(item.path), range=rng)


def violation_from_data(diagnostic: types.Diagnostic, path: str) -> Violation | None:
    """Rebuild the violation a diagnostic came from, out of its ``data`` (no re-analysis)."""
    data = diagnostic.data
    if not isinstance(data, dict) or "span" not in data:
        return None
    try:
        span = Span(*data["span"])
    except TypeError:
        return None
    return Violation(code=data.get("code") or str(diagnostic.code), message=diagnostic.message, path=path,
                     span=span, severity=SEVERITY_NAME.get(diagnostic.severity, "warning")
                     if diagnostic.severity is not None else "warning",
                     group=data.get("group"), stmt_line=int(data.get("stmtLine") or span.line),
                     symbol=data.get("symbol") or "", payload=_payload(data.get("payload")))


def _payload(data: object) -> Payload:
    """A payload sent back by a client; one that does not fit gives a finding without fix data."""
    try:
        return payload_from_wire(data)
    except ValueError:
        return NoPayload()


def result_id_for(diagnostics: list[types.Diagnostic], salt: str = "") -> str:
    """A content hash: equal diagnostics give equal result ids (so 'unchanged' reports are exact)."""
    digest = hashlib.sha1(salt.encode())
    for diag in diagnostics:
        r = diag.range
        digest.update(f"{r.start.line}:{r.start.character}:{r.end.line}:{r.end.character}:"
                      f"{diag.code}:{diag.severity}:{diag.message}\x1f".encode("utf-8", "surrogatepass"))
        for rel in diag.related_information or ():
            lr = rel.location.range
            digest.update(f"{rel.location.uri}:{lr.start.line}:{lr.start.character}:{rel.message}".encode(
                "utf-8", "surrogatepass"))
    return digest.hexdigest()[:16]


def text_edits(old_lines: LineIndex, edits: list[tuple[int, int, str]], encoding: str) -> list[types.TextEdit]:
    """``minimal_edits`` output (code-point offsets in the old text) -> TextEdits."""
    out = []
    for start, end, replacement in edits:
        l1, c1 = old_lines.position(start, encoding)
        l2, c2 = old_lines.position(end, encoding)
        out.append(types.TextEdit(range=types.Range(start=types.Position(line=l1, character=c1),
                                                    end=types.Position(line=l2, character=c2)),
                                  new_text=replacement))
    return out


def simple_edits(old: str, new: str) -> list[tuple[int, int, str]]:
    """A single edit covering the changed middle (used when the fixes package has no differ)."""
    if old == new:
        return []
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    return [(start, end_old, new[start:end_new])]
