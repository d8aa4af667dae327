"""JSON report: the structured list editors, scripts and the benchmark consume."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

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
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
