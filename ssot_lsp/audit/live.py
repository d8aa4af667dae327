"""The audit report of a workspace as it is now: the same document for ``ssot-lsp audit`` (files on
disk) and the server's ``ssot.audit`` (open buffers as they are).

Every finding counts, baselined or not; with a baseline each one is also told new or remaining,
decided exactly as ``check`` decides which to report (by fingerprint of its line's text).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ssot_lsp.audit.comparison import compare
from ssot_lsp.audit.document import Meta, audit_document
from ssot_lsp.audit.sites import sites_of
from ssot_lsp.audit.tables import build_tables
from ssot_lsp.config.model import Config
from ssot_lsp.core import baseline as core_baseline
from ssot_lsp.core.violations import Violation


def live_report(violations: Sequence[Violation], config: Config, relpath: Callable[[str], str], modules: set[str],
                meta: Meta, depth: int = 1, baseline: core_baseline.Baseline | None = None, baseline_source: str = "",
                line_text: Callable[[str, int], str] | None = None) -> dict[str, Any]:
    """``line_text(path, line)``: the text of a finding's line, for its fingerprint (needed with a baseline)."""
    sites = sites_of(list(violations), config, relpath, modules)
    comparison = None
    if baseline is not None:
        assert line_text is not None
        relpaths: dict[str, str] = {}
        items = []
        for v in violations:
            rel = relpaths.get(v.path)
            if rel is None:
                rel = relpaths[v.path] = relpath(v.path)
            items.append(core_baseline.Keyed(v, core_baseline.key_for(v, rel, line_text(v.path, v.span.line))))
        comparison = compare(baseline, items, sites, baseline_source)
    return audit_document(build_tables(sites, config, depth=depth, comparison=comparison), meta)
