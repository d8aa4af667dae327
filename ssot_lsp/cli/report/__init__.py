"""Output formats of `ssot-lsp check`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ssot_lsp.core.stale import StaleEntry
    from ssot_lsp.core.violations import Violation
    from ssot_lsp.core.workspace import ScanResult, Workspace


def render(fmt: str, violations: list[Violation], result: ScanResult, workspace: Workspace,
           statistics: bool = False, summary: bool = True, baselined: int = 0,
           stale: Sequence[StaleEntry] = (), colour: bool = False) -> str:
    """``stale``: the configuration's stale entries (``core.stale``); text and GitHub output leave
    them to the warning on stderr. ``colour``: text for a terminal."""
    if fmt == "json":
        from ssot_lsp.cli.report.json_format import render_json

        return render_json(violations, result, workspace, statistics, stale)
    if fmt == "sarif":
        from ssot_lsp.cli.report.sarif import render_sarif

        return render_sarif(violations, result, workspace, stale)
    if fmt == "github":
        from ssot_lsp.cli.report.github import render_github

        return render_github(violations, workspace)
    from ssot_lsp.cli.report.style import Style
    from ssot_lsp.cli.report.text import render_text

    return render_text(violations, result, workspace, statistics, summary, baselined, Style(colour))
