"""SARIF 2.1.0 report: rule metadata with help URIs, root-relative locations, stable fingerprints.

Columns are code points (``columnKind: unicodeCodePoints``), 1-based, end column exclusive as
SARIF defines it. Paths are relative to ``%SRCROOT%`` (the workspace root, given in
``originalUriBaseIds``) so the log can be uploaded from any checkout.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from ssot_lsp import __version__
from ssot_lsp.core.codes import RULES, SEVERITY_RANK

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
INFORMATION_URI = "https://github.com/ssot-lsp/ssot-lsp"
FINGERPRINT_NAME = "ssotFingerprint/v1"

LEVELS = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}


def level_for(severity: str) -> str:
    return LEVELS.get(severity, "warning")


def _rules() -> list[dict]:
    out = []
    for info in RULES.values():
        out.append({
            "id": info.code,
            "name": _pascal(info.name),
            "shortDescription": {"text": info.summary},
            "fullDescription": {"text": f"{info.code} ({info.name}): {info.summary}."},
            "helpUri": info.docs_url,
            "help": {"text": f"{info.summary}. See {info.docs_url}",
                     "markdown": f"{info.summary}. See [{info.code}]({info.docs_url})."},
            "defaultConfiguration": {"level": level_for(info.default_severity),
                                     "rank": float(25 * (SEVERITY_RANK[info.default_severity] + 1))},
            "properties": {"tags": ["ssot", "maintainability"], "ruleName": info.name},
        })
    return out


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def _artifact(path: str, root: Path) -> dict:
    resolved = Path(path).resolve()
    try:
        rel = resolved.relative_to(root)
    except ValueError:
        return {"uri": resolved.as_uri()}
    return {"uri": quote(rel.as_posix()), "uriBaseId": SRCROOT}


def _region(span) -> dict:
    start_line, start_col = span.line + 1, span.col + 1
    end_line, end_col = max(span.end_line + 1, start_line), span.end_col + 1
    if end_line == start_line:
        end_col = max(end_col, start_col)
    return {"startLine": start_line, "startColumn": start_col, "endLine": end_line, "endColumn": end_col}


def _location(path: str, span, root: Path, artifacts: dict[str, int]) -> dict:
    artifact = _artifact(path, root)
    key = artifact["uri"]
    if key not in artifacts:
        artifacts[key] = len(artifacts)
    artifact["index"] = artifacts[key]
    return {"physicalLocation": {"artifactLocation": artifact, "region": _region(span)}}


def build_sarif(violations, result, workspace, lines=None) -> dict:
    from ssot_lsp.cli.baseline import LineSource, fingerprint_of

    lines = lines or LineSource()
    root = workspace.root
    rule_index = {code: i for i, code in enumerate(RULES)}
    artifacts: dict[str, int] = {}
    results = []
    for v in violations:
        item = {
            "ruleId": v.code,
            "ruleIndex": rule_index[v.code],
            "level": level_for(v.severity),
            "message": {"text": v.message},
            "locations": [_location(v.path, v.span, root, artifacts)],
            "partialFingerprints": {FINGERPRINT_NAME: fingerprint_of(v, lines)},
            "properties": {"severity": v.severity, "group": v.group, "symbol": v.symbol},
        }
        if v.related:
            related = []
            for i, r in enumerate(v.related, start=1):
                location = _location(r.path, r.span, root, artifacts)
                location["id"] = i
                location["message"] = {"text": r.message}
                related.append(location)
            item["relatedLocations"] = related
        results.append(item)
    notifications = [
        {"level": "warning", "message": {"text": f"skipped: {e.message}"},
         "locations": [{"physicalLocation": {"artifactLocation": _artifact(e.path, root)}}]}
        for e in result.errors
    ]
    run = {
        "tool": {"driver": {
            "name": "ssot-lsp",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "rules": _rules(),
        }},
        "originalUriBaseIds": {SRCROOT: {"uri": root.as_uri().rstrip("/") + "/",
                                         "description": {"text": "The workspace root."}}},
        "artifacts": [{"location": {"uri": uri, **({"uriBaseId": SRCROOT} if not uri.startswith("file:") else {})}}
                      for uri in artifacts],
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render_sarif(violations, result, workspace) -> str:
    return json.dumps(build_sarif(violations, result, workspace), indent=2, ensure_ascii=False) + "\n"
