"""Core results -> LSP values: one function per LSP type the server sends.

Positions go out in the negotiated encoding. Diagnostics, ranges and locations are built as their
JSON (the per-keystroke path publishes hundreds of diagnostics; building and unstructuring attrs
objects for them costs more than the analysis of a big file); pygls sends such dicts unchanged
where the protocol allows a union (results, report items). Where pygls needs an object (a
``CodeAction``'s ``diagnostics``), the same JSON is structured with pygls' converter.
Edits are lsprotocol objects: ``workspace/applyEdit`` and ``codeAction/resolve`` need them.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from ssot_lsp.core.rules.docs import rule_link
from ssot_lsp.core.rules.registry import RULES
from ssot_lsp.core.text import Span, UndecodableSource, decode_source
from ssot_lsp.core.violations import Related, Violation
from ssot_lsp.lsp.documents import DocumentStore, LineIndex

SOURCE = "ssot"

SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}

Json = dict[str, Any]
LinesOf = Callable[[str], LineIndex | None]  # path -> its lines (open buffer or disk), for related locations


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


class LinesCache:
    """``LinesOf`` over open buffers, else files on disk, each read once per conversion pass."""

    def __init__(self, documents: DocumentStore) -> None:
        self.documents = documents
        self.cache: dict[str, LineIndex | None] = {}

    def __call__(self, path: str) -> LineIndex | None:
        if path not in self.cache:
            doc = self.documents.by_path(path)
            if doc is not None:
                self.cache[path] = doc.lines
            else:
                text = read_text(path)
                self.cache[path] = LineIndex(text) if text is not None else None
        return self.cache[path]


# -- JSON values -----------------------------------------------------------------------------------

def range_json(lines: LineIndex, span: Span, encoding: str) -> Json:
    l1, c1, l2, c2 = lines.lsp_range(span, encoding)
    return {"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}}


def location_json(path: str, span: Span, encoding: str, lines: LineIndex | None) -> Json:
    """A location in another file; without its lines the code-point columns are sent as they are."""
    if lines is None:
        rng = {"start": {"line": span.line, "character": span.col},
               "end": {"line": span.end_line, "character": span.end_col}}
    else:
        rng = range_json(lines, span, encoding)
    return {"uri": path_to_uri(path), "range": rng}


def diagnostic_data(violation: Violation, line_text: str, version: int | None) -> Json:
    """The diagnostic's ``data`` (docs/protocol.md, "Diagnostics"): where the finding is and its payload."""
    return {
        "code": violation.code,
        "group": violation.group,
        "fingerprint": violation.fingerprint(line_text),
        "version": version,
        "payload": violation.payload.to_wire(),
        "symbol": violation.symbol,
        "stmtLine": violation.stmt_line,
        "span": [violation.span.line, violation.span.col, violation.span.end_line, violation.span.end_col],
    }


def diagnostic_json(violation: Violation, lines: LineIndex, encoding: str, version: int | None,
                    lines_of: LinesOf | None = None, docs_base_url: str | None = None) -> Json:
    """The diagnostic of one violation; ``lines_of`` converts related locations in other files;
    its code links the rule page (``rule_link``)."""
    rule = RULES.get(violation.code)
    out: Json = {
        "range": range_json(lines, violation.span, encoding),
        "severity": int(SEVERITY.get(violation.severity, types.DiagnosticSeverity.Warning)),
        "code": violation.code,
        "source": SOURCE,
        "message": violation.message,
        "data": diagnostic_data(violation, lines.line(violation.span.line), version),
    }
    if rule is not None:
        out["codeDescription"] = {"href": rule_link(rule, docs_base_url)}
    if violation.related:
        out["relatedInformation"] = [related_json(item, encoding, lines_of) for item in violation.related]
    return out


def related_json(item: Related, encoding: str, lines_of: LinesOf | None) -> Json:
    lines = lines_of(item.path) if lines_of is not None else None
    return {"location": location_json(item.path, item.span, encoding, lines), "message": item.message}


def result_id(items: Sequence[Json]) -> str:
    """A hash of exactly what a report sends: equal ids mean equal diagnostics *and data*. The
    data carries the document version, so every version of an open document gets its own id and
    a client never keeps diagnostics of an older version as "unchanged"."""
    digest = hashlib.sha1(json.dumps(items, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:16]


# -- identity of a diagnostic ----------------------------------------------------------------------

DiagnosticKey = tuple[int, int, int, int, str, str]


def diagnostic_key(rng: Json, code: object, data: object) -> DiagnosticKey:
    """What makes a diagnostic *this* finding: its range, code and payload. Not the fingerprint (two
    identical lines share it) and not the version (a finding that did not move stays the same)."""
    payload = data.get("payload") if isinstance(data, dict) else None
    start, end = rng["start"], rng["end"]
    return (start["line"], start["character"], end["line"], end["character"], str(code),
            json.dumps(payload, sort_keys=True))


def key_of_client_diagnostic(diagnostic: types.Diagnostic) -> DiagnosticKey:
    r = diagnostic.range
    return diagnostic_key({"start": {"line": r.start.line, "character": r.start.character},
                           "end": {"line": r.end.line, "character": r.end.character}},
                          diagnostic.code, diagnostic.data)


def key_of_json(diagnostic: Json) -> DiagnosticKey:
    return diagnostic_key(diagnostic["range"], diagnostic["code"], diagnostic.get("data"))


# -- edits ---------------------------------------------------------------------------------------------

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


def workspace_edit(edits: dict[str, tuple[int | None, list[types.TextEdit]]], versioned: bool) -> types.WorkspaceEdit:
    """``{uri: (version, edits)}`` as ``documentChanges`` (versioned, when the client supports them)
    or as ``changes``."""
    if versioned:
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version), edits=items)
            for uri, (version, items) in edits.items()])
    return types.WorkspaceEdit(changes={uri: items for uri, (_, items) in edits.items()})
