"""`ssot-lsp audit`: the migration lead's tables of the workspace, or of its history (``--history``).

Opens the workspace exactly like ``check`` (``cli/common.open_for``), scans it, and hands every
finding — baselined or not — to the pure tables (``ssot_lsp/audit``). ``--history`` reads past
commits from git instead of the disk (``audit/history``).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from ssot_lsp.audit.document import Meta
from ssot_lsp.audit.live import live_report
from ssot_lsp.audit.render.table import TextStyle
from ssot_lsp.cli.baseline import LineSource, default_baseline_path
from ssot_lsp.cli.common import EXIT_CONFIG, OpenedWorkspace, config_error, open_for, relative
from ssot_lsp.cli.options import AuditOptions
from ssot_lsp.config.loader import ConfigError
from ssot_lsp.core import baseline as core_baseline
from ssot_lsp.core.violations import Violation


def run_audit(options: AuditOptions) -> int:
    try:
        opened = open_for(options)
    except ConfigError as exc:
        return config_error(exc)
    if options.history:
        from ssot_lsp.cli.audit_history import run_history

        return run_history(opened, options)
    result = opened.scan()
    if opened.nothing_to_do(result, "audit"):
        return 0
    try:
        document = live_document(opened, result.violations, result.files_total, result.files_analysed,
                                 [(relative(e.path), e.message) for e in result.errors],
                                 set(result.index.known_modules) if result.index else set(), options)
    except ConfigError as exc:
        return config_error(exc)
    return emit(document, options)


def live_document(opened: OpenedWorkspace, violations: list[Violation], files_total: int, files_analysed: int,
                  errors: list[tuple[str, str]], modules: set[str], options: AuditOptions) -> dict[str, Any]:
    """The report of the workspace as it is on disk (ConfigError for an unreadable baseline)."""
    workspace = opened.workspace
    baseline, source = None, ""
    if not options.no_baseline:
        path = options.baseline or default_baseline_path(workspace)
        if path.is_file():
            baseline, source = _load_baseline(path), relative(str(path))
        elif options.baseline:
            raise ConfigError(str(path), "", "baseline file not found")
    meta = Meta(root=str(workspace.root), configuration=workspace.config.source, files_total=files_total,
                files_analysed=files_analysed, errors=errors)
    return live_report(violations, workspace.config, lambda p: workspace.relpath(Path(p)), modules, meta,
                       depth=options.depth, baseline=baseline, baseline_source=source, line_text=LineSource().line)


def _load_baseline(path: Path) -> core_baseline.Baseline:
    try:
        return core_baseline.load(path)
    except core_baseline.BaselineError as exc:
        raise ConfigError(str(path), "", str(exc).removeprefix(f"{path}: ")) from None


def text_style(options: AuditOptions, stream: Any) -> TextStyle:
    """Ruled, coloured tables fitted to the width on a terminal; plain text when piped or written to a file."""
    terminal = options.output is None and _isatty(stream)
    colour = {"always": True, "never": False}.get(options.color, terminal and not os.environ.get("NO_COLOR")
                                                   and os.environ.get("TERM") != "dumb")
    width = shutil.get_terminal_size((120, 24)).columns if terminal else 0
    return TextStyle(boxed=terminal, colour=colour, width=width)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def emit(document: dict[str, Any], options: AuditOptions) -> int:
    """Write the report in the chosen format to stdout or ``--output``."""
    if options.format == "json":
        import json

        output = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    elif options.format == "html":
        from ssot_lsp.audit.render.html import render_html

        output = render_html(document)
    else:
        output = _text(document, options)
    if options.output is None:
        sys.stdout.write(output)
        return 0
    try:
        options.output.write_text(output, encoding="utf-8")
    except OSError as exc:
        print(f"ssot-lsp: cannot write {options.output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_CONFIG
    print(f"ssot-lsp: audit report written to {relative(str(options.output))}", file=sys.stderr)
    return 0


def _text(document: dict[str, Any], options: AuditOptions) -> str:
    style = text_style(options, sys.stdout)
    if document["kind"] == "audit-history":
        from ssot_lsp.audit.render.history_text import render_history_text

        return render_history_text(document, style)
    from ssot_lsp.audit.render.text import render_audit_text

    return render_audit_text(document, style, top=options.top)
