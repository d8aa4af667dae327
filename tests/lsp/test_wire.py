"""Pushed diagnostics serialised once per finding (``lsp/wire.py``) say exactly what the plain
conversion says, for every version, and a changed finding is serialised again."""

from __future__ import annotations

import json

from ssot_lsp.core.payload import NoPayload
from ssot_lsp.core.text import Span
from ssot_lsp.core.violations import Related, Violation
from ssot_lsp.lsp.convert import diagnostic_json
from ssot_lsp.lsp.documents import LineIndex
from ssot_lsp.lsp.wire import WireCache, publish_body

TEXT = 'import legacy\nengine = Legacy("é", x)  # ssot\nother = Legacy()\n'


def _violation(line: int, col: int, end_col: int, message: str = "legacy construction",
               related: tuple[Related, ...] = ()) -> Violation:
    return Violation(code="SSOT002", message=message, path="/w/m.py", span=Span(line, col, line, end_col),
                     severity="error", group="engine", stmt_line=line, symbol="m:Legacy", related=related,
                     payload=NoPayload())


def _params(body: str) -> dict:
    message = json.loads(body)
    assert message["jsonrpc"] == "2.0" and message["method"] == "textDocument/publishDiagnostics"
    return message["params"]


def _plain(violations: list[Violation], lines: LineIndex, encoding: str, version: int | None) -> list[dict]:
    return [diagnostic_json(v, lines, encoding, version, lambda path: lines, None) for v in violations]


def test_a_publish_says_what_the_plain_conversion_says_for_each_version():
    lines = LineIndex(TEXT)
    violations = [_violation(1, 20, 21), _violation(2, 8, 14),
                  _violation(1, 9, 15, related=(Related("/w/other.py", Span(0, 0, 0, 3), "canonical"),))]
    cache = WireCache()
    for version in (1, 2, None):
        fragments = cache.diagnostics(violations, lines, "utf-16", version, lambda path: lines, None)
        params = _params(publish_body("file:///w/m.py", version, fragments))
        assert params["diagnostics"] == _plain(violations, lines, "utf-16", version)
        assert params["uri"] == "file:///w/m.py" and params.get("version") == version
        assert ("version" in params) == (version is not None)


def test_a_finding_whose_line_changed_is_serialised_again():
    cache = WireCache()
    violation = _violation(1, 20, 21)
    before = LineIndex(TEXT)
    cache.diagnostics([violation], before, "utf-16", 1, lambda path: before, None)
    after = LineIndex(TEXT.replace('"é"', '"éé"'))  # the fingerprint and the UTF-16 column change
    fragments = cache.diagnostics([violation], after, "utf-16", 2, lambda path: after, None)
    assert [json.loads(f) for f in fragments] == _plain([violation], after, "utf-16", 2)


def test_another_encoding_serialises_again():
    lines = LineIndex(TEXT)
    violation = _violation(1, 20, 21)
    cache = WireCache()
    cache.diagnostics([violation], lines, "utf-16", 1, lambda path: lines, None)
    fragments = cache.diagnostics([violation], lines, "utf-8", 1, lambda path: lines, None)
    assert [json.loads(f) for f in fragments] == _plain([violation], lines, "utf-8", 1)


def test_the_cache_keeps_only_the_findings_of_the_last_publish():
    lines = LineIndex(TEXT)
    cache = WireCache()
    cache.diagnostics([_violation(1, 20, 21), _violation(2, 8, 14)], lines, "utf-16", 1, lambda path: lines, None)
    cache.diagnostics([_violation(2, 8, 14)], lines, "utf-16", 2, lambda path: lines, None)
    assert len(cache.fragments) == 1
