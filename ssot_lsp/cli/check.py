"""`ssot-lsp check`: list violations in a workspace, in text, JSON, SARIF or GitHub annotations."""

from __future__ import annotations

import io
import sys
from contextlib import redirect_stderr
from pathlib import Path
from typing import TYPE_CHECKING

from ssot_lsp.cli.common import (
    OpenedWorkspace,
    config_error,
    exit_code_for,
    leave_for_exit,
    open_for,
    relative,
    warn_stale,
)
from ssot_lsp.cli.options import CheckOptions
from ssot_lsp.cli.replay import Output, Replay, emit
from ssot_lsp.cli.report.style import wants_colour
from ssot_lsp.config.loader import ConfigError

if TYPE_CHECKING:  # a warm run replays its output (``cli/replay.py``) without the scan, rules or reports
    from ssot_lsp.core.workspace import ScanResult


def run_check(options: CheckOptions) -> int:
    try:
        opened = open_for(options, anchor=Path(options.stdin_filename) if options.stdin_filename else None)
    except ConfigError as exc:
        return config_error(exc)
    if options.show_settings:
        from ssot_lsp.cli.settings import run_show_settings

        return run_show_settings(opened.workspace, options.format, options.cache_dir, opened.stale(),
                                 opened.resolution.describe())
    if options.stdin_filename:
        return _check_stdin(opened, options, options.stdin_filename)
    colour = options.output is None and wants_colour(options.color, sys.stdout)
    findings = opened.findings_cache()
    if findings is None:
        result = opened.scan()
        leave_for_exit(result)
        try:
            return emit(_report(opened, options, result, colour), options)
        except ConfigError as exc:
            return config_error(exc)
    tree = findings.current_tree(opened.workspace.files)
    try:
        replay = Replay.of_check(opened, options, findings, colour)
    except ConfigError as exc:
        return config_error(exc)
    stored = replay.load(tree) if replay is not None else None
    if stored is not None:
        findings.keep_tree(tree)
        return emit(stored, options)
    result = opened.scan_findings(findings, tree)
    leave_for_exit(result)
    try:
        output = _report(opened, options, result, colour)
    except ConfigError as exc:
        return config_error(exc)
    if replay is not None:
        replay.save(tree, output)
    return emit(output, options)


def _report(opened: OpenedWorkspace, options: CheckOptions, result: ScanResult, colour: bool) -> Output:
    """The report of a scan, its exit code and what the run says on stderr about it (captured, so
    that a replayed run says it again; ``emit`` writes it); ConfigError for a bad baseline."""
    from ssot_lsp.cli.baseline import apply_baseline
    from ssot_lsp.cli.report import render

    stderr = io.StringIO()
    try:
        with redirect_stderr(stderr):
            if opened.nothing_to_do(result, "check"):
                return Output("", stderr.getvalue(), 0)
            violations, baselined = apply_baseline(options.baseline, opened, result.violations,
                                                   full_scan=not opened.explicit, errors=result.errors)
            workspace = opened.workspace
            stale = opened.stale(result)
            warn_stale(stale, workspace.root)
            for error in result.errors:
                print(f"{relative(error.path)}: skipped: {error.message}", file=sys.stderr)
    except ConfigError:
        sys.stderr.write(stderr.getvalue())  # what was said before the error, then the error
        raise
    report = render(options.format, violations, result, workspace, statistics=options.statistics,
                    summary=options.summary, baselined=baselined, stale=stale, colour=colour)
    return Output(report, stderr.getvalue(), 0 if options.exit_zero else exit_code_for(violations))


def _check_stdin(opened: OpenedWorkspace, options: CheckOptions, filename: str) -> int:
    """Standard input checked as the file ``filename`` of its workspace (the rest read from disk)."""
    if options.baseline.update:
        return config_error(ConfigError("--update-baseline", "", "cannot be combined with --stdin-filename"))
    from ssot_lsp.core.text import UndecodableSource, decode_source

    path = Path(filename).absolute()
    try:
        text, _ = decode_source(sys.stdin.buffer.read())
    except UndecodableSource as exc:
        print(f"{filename}: skipped: {exc}", file=sys.stderr)
        return 0
    from ssot_lsp.cli.baseline import apply_baseline
    from ssot_lsp.cli.report import render
    from ssot_lsp.core.analysis import analyze_text

    workspace = opened.workspace
    module, is_package = workspace.module_name(path)
    result = opened.scan(paths=(), progress=False)
    assert result.index is not None
    result.violations = analyze_text(result.index, workspace.config, str(path), text, module, is_package).violations
    result.errors = []
    try:
        violations, baselined = apply_baseline(options.baseline, opened, result.violations, full_scan=False,
                                               texts={str(path): text})
    except ConfigError as exc:
        return config_error(exc)
    stale = opened.stale(result)
    warn_stale(stale, workspace.root)
    sys.stdout.write(render(options.format, violations, result, workspace, statistics=options.statistics,
                            summary=False, baselined=baselined, stale=stale,
                            colour=wants_colour(options.color, sys.stdout)))
    return 0 if options.exit_zero else exit_code_for(violations)
