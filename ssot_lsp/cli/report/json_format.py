"""JSON report: the structured list editors, scripts and the benchmark consume."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ssot_lsp import __version__
from ssot_lsp.cli.report.text import display_path
from ssot_lsp.core.fixable import count, expected_fixes
from ssot_lsp.core.stale import StaleEntry
from ssot_lsp.core.violations import Violation
from ssot_lsp.core.workspace import ScanResult, Workspace


def render_json(violations: list[Violation], result: ScanResult, workspace: Workspace, statistics: bool = False,
                stale: Sequence[StaleEntry] = ()) -> str:
    items = []
    expected = expected_fixes(violations)
    for v, fix in zip(violations, expected):
        item = v.to_dict()
        item["expected_fix"] = fix
        item["path"] = display_path(v.path)
        item["related"] = [dict(r, path=display_path(r["path"])) for r in item["related"]]
        items.append(item)
    document = {
        "version": __version__,
        "root": str(workspace.root),
        "configuration": workspace.config.source,
        "files": {"total": result.files_total, "analysed": result.files_analysed},
        "counts": dict(sorted(Counter(v.code for v in violations).items())),
        "expected-fixes": {"safe": (fixes := count(expected)).safe, "unsafe": fixes.unsafe},
        "violations": [] if statistics else items,
        "errors": [{"path": display_path(e.path), "message": e.message} for e in result.errors],
        "stale-configuration": [entry.to_dict(workspace.root) for entry in stale],
    }
    return pretty_json(document) + "\n"


def pretty_json(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, the same text built several times faster.

    With an indent the standard library falls back to its pure-Python encoder, whose generators
    took a quarter of a warm `check` on a large tree; this writes the same layout with the C string
    encoder. Anything but str-keyed dicts, lists, tuples, strings, ints, bools, None and finite floats
    goes to ``json.dumps``.
    """
    try:
        return _pretty(value, "\n")
    except _Unusual:
        return json.dumps(value, indent=2, ensure_ascii=False)


class _Unusual(Exception):
    pass


_encode_string = json.encoder.encode_basestring  # type: ignore[attr-defined]


def _pretty(value: Any, newline: str) -> str:
    kind = type(value)
    if kind is str:
        return _encode_string(value)  # type: ignore[no-any-return]
    if kind is dict:
        if not value:
            return "{}"
        inner = newline + "  "
        parts = []
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            parts.append(f"{_encode_string(key)}: {_pretty(item, inner)}")
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = newline + "  "
        return "[" + inner + ("," + inner).join([_pretty(item, inner) for item in value]) + newline + "]"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    raise _Unusual
