"""`ssot-lsp check`: list violations in a workspace, in text, JSON, SARIF or GitHub annotations."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ssot_lsp.cli.common import (
    config_error,
    exit_code_for,
    make_progress,
    open_cache,
    prepare,
)
from ssot_lsp.cli.report import render
from ssot_lsp.config.loader import ConfigError
from ssot_lsp.core.analysis import analyze_text
from ssot_lsp.core.text import UndecodableSource, decode_source


def run_check(args) -> int:
    try:
        workspace, paths = prepare(args)
    except ConfigError as exc:
        return config_error(exc)
    config = workspace.config
    if args.show_settings:
        from ssot_lsp.cli.settings import run_show_settings

        return run_show_settings(workspace, args.format)
    if args.stdin_filename:
        return _check_stdin(args, workspace)
    cache = open_cache(args, workspace)
    result = workspace.scan(paths or None, jobs=args.jobs, cache=cache, progress=make_progress(),
                            prefilter=not args.no_prefilter)
    if cache is not None:
        cache.save()
    notes = []
    from ssot_lsp.core.project import missing_canonical_modules, profile_applies

    modules = set(result.index.known_modules) if result.index else set()
    if config.is_default_profile and not profile_applies(config, workspace, modules):
        print(f"ssot-lsp: no configuration found and none of the built-in profile's modules are in "
              f"{workspace.root}; nothing to check (add [tool.ssot-lsp] to pyproject.toml)", file=sys.stderr)
        return 0
    notes.extend(missing_canonical_modules(config, modules))
    violations = result.violations
    baselined = 0
    from ssot_lsp.cli.baseline import apply_baseline

    try:
        violations, baselined = apply_baseline(args, workspace, violations, full_scan=not paths,
                                               errors=result.errors)
    except ConfigError as exc:
        return config_error(exc)
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    for error in result.errors:
        print(f"{_rel(error.path)}: skipped: {error.message}", file=sys.stderr)
    output = render(args.format, violations, result, workspace, statistics=args.statistics,
                    summary=not args.no_summary, baselined=baselined)
    if args.output:
        Path(args.output).write_text(output, encoding="utf-8")
    else:
        sys.stdout.write(output)
    return 0 if args.exit_zero else exit_code_for(violations)


def _check_stdin(args, workspace) -> int:
    if args.update_baseline:
        return config_error(ConfigError("--update-baseline", "", "cannot be combined with --stdin-filename"))
    path = Path(args.stdin_filename).absolute()
    data = sys.stdin.buffer.read()
    try:
        text, _ = decode_source(data)
    except UndecodableSource as exc:
        print(f"{args.stdin_filename}: skipped: {exc}", file=sys.stderr)
        return 0
    module, is_package = workspace.module_name(path)
    result = workspace.scan(None, jobs=args.jobs, cache=open_cache(args, workspace), prefilter=not args.no_prefilter)
    assert result.index is not None
    violations = analyze_text(result.index, workspace.config, str(path), text, module, is_package).violations
    result.violations = violations
    result.errors = []
    from ssot_lsp.cli.baseline import apply_baseline

    try:
        violations, baselined = apply_baseline(args, workspace, violations, full_scan=False,
                                               texts={str(path): text})
    except ConfigError as exc:
        return config_error(exc)
    output = render(args.format, violations, result, workspace, statistics=args.statistics, summary=False,
                    baselined=baselined)
    sys.stdout.write(output)
    return 0 if args.exit_zero else exit_code_for(violations)


def _rel(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return path
