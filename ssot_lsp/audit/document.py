"""The audit report as one JSON-ready document: what ``--format json`` prints, what the server's
``ssot.audit`` command returns, and what the text and HTML renderers read.

Its shape is documented (and checked by the tests) in ``docs/audit-report.schema.json``; keys are
snake_case like ``check --format json``. ``SCHEMA_VERSION`` changes when a key changes meaning or
disappears (adding keys does not change it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from ssot_lsp import __version__
from ssot_lsp.audit.comparison import Comparison
from ssot_lsp.audit.sites import Site
from ssot_lsp.audit.tables import AuditTables, Totals
from ssot_lsp.core.rules.registry import ALL, RULES

SCHEMA_VERSION = 1
SITES_SHOWN = 200  # new and broken sites listed in full; the counts always cover all of them


@dataclasses.dataclass(frozen=True)
class Meta:
    """What the tables were computed over."""

    root: str
    configuration: str
    files_total: int
    files_analysed: int
    errors: Sequence[tuple[str, str]] = ()  # (path, problem) of files that could not be read


def rules_table() -> list[dict[str, Any]]:
    """Every rule of this version, for labels: code, name, summary, the summary bucket."""
    return [{"code": r.code, "name": r.name, "summary": r.summary, "bucket": r.bucket.label if r.bucket else None}
            for r in ALL]


def site_dict(site: Site) -> dict[str, Any]:
    return {"code": site.code, "group": site.group, "subject": site.subject, "path": site.path, "line": site.line,
            "test": site.is_test, "severity": site.severity, "message": site.message}


def totals_dict(totals: Totals) -> dict[str, Any]:
    return dataclasses.asdict(totals)


def comparison_dict(comparison: Comparison | None) -> dict[str, Any] | None:
    if comparison is None:
        return None
    return {
        "file": comparison.source, "recorded": comparison.recorded, "remaining": comparison.remaining,
        "new": comparison.new, "fixed": comparison.fixed,
        "by_rule": {code: dataclasses.asdict(delta) for code, delta in comparison.by_rule.items()},
        "new_sites": [site_dict(s) for s in comparison.new_sites[:SITES_SHOWN]],
        "fixed_entries": [dataclasses.asdict(e) for e in comparison.fixed_entries[:SITES_SHOWN]],
    }


def tables_dict(tables: AuditTables) -> dict[str, Any]:
    return {
        "groups": [{"name": g.name, "canonical": g.canonical} for g in tables.groups],
        "codes": list(tables.codes),
        "totals": totals_dict(tables.totals),
        "symbols": [dataclasses.asdict(row) for row in tables.symbols],
        "directories": {"depth": tables.depth,
                        "rows": [dict(dataclasses.asdict(row), sites=row.sites) for row in tables.directories]},
        "broken": {"code": tables.broken_code, "available": tables.broken_available,
                   "rule": RULES[tables.broken_code].name if tables.broken_code in RULES else None,
                   "count": len(tables.broken), "sites": [site_dict(s) for s in tables.broken[:SITES_SHOWN]]},
        "baseline": comparison_dict(tables.comparison),
    }


def audit_document(tables: AuditTables, meta: Meta) -> dict[str, Any]:
    """The report of one tree (``ssot-lsp audit``)."""
    return {
        "kind": "audit", "schema_version": SCHEMA_VERSION, "version": __version__,
        "root": meta.root, "configuration": meta.configuration,
        "files": {"total": meta.files_total, "analysed": meta.files_analysed},
        "rules": rules_table(),
        **tables_dict(tables),
        "errors": [{"path": path, "message": message} for path, message in meta.errors],
    }
