"""Baseline wiring: `ssot-lsp baseline` writes one, `ssot-lsp check` honours and shrinks it.

The logic (keys, counts, shrinking) is in ``ssot_lsp.core.baseline``; this module finds the file,
reads the line texts the fingerprints need and says what happened.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ssot_lsp.config.loader import ConfigError
from ssot_lsp.core import baseline as core
from ssot_lsp.core.severity import rule_enabled
from ssot_lsp.core.text import UndecodableSource, decode_source, split_lines


class LineSource:
    """Lines of files on disk (decoded the PEP 263 way), read once each; texts given override the disk."""

    def __init__(self, texts: dict[str, str] | None = None) -> None:
        self._lines: dict[str, list[str]] = {}
        for path, text in (texts or {}).items():
            self._lines[path] = split_lines(text)

    def line(self, path: str, line: int) -> str:
        lines = self._lines.get(path)
        if lines is None:
            try:
                text, _ = decode_source(Path(path).read_bytes())
                lines = split_lines(text)
            except (OSError, UndecodableSource):
                lines = []
            self._lines[path] = lines
        return lines[line] if 0 <= line < len(lines) else ""


def fingerprint_of(violation, lines: LineSource) -> str:
    return violation.fingerprint(lines.line(violation.path, violation.span.line))


def keyed(workspace, violations, lines: LineSource) -> list[core.Keyed]:
    relpaths: dict[str, str] = {}
    out = []
    for v in violations:
        rel = relpaths.get(v.path)
        if rel is None:
            rel = relpaths[v.path] = workspace.relpath(Path(v.path))
        out.append(core.Keyed(v, (rel, v.code, fingerprint_of(v, lines))))
    return out


def default_baseline_path(workspace) -> Path:
    configured = workspace.config.baseline
    if configured:
        path = Path(configured)
        return path if path.is_absolute() else workspace.root / path
    return workspace.root / core.DEFAULT_FILE_NAME


def _covered(args, workspace, full_scan: bool, errors) -> callable:
    """Which (path, code) pairs this run could have seen: scanned files, rules that ran."""
    config = workspace.config
    unreadable = {workspace.relpath(Path(e.path)) for e in errors}
    scanned: set[str] | None = None
    if not full_scan:
        explicit = [Path(p) for p in getattr(args, "paths", []) or [] if Path(p).resolve() != workspace.root]
        scanned = {workspace.relpath(p) for p in workspace.discover(explicit)} if explicit else set()

    def covered(path: str, code: str) -> bool:
        if path in unreadable or (scanned is not None and path not in scanned):
            return False
        return rule_enabled(config, code, path) and config.severity.get(code) != "off"

    return covered


def _load(path: Path) -> core.Baseline:
    try:
        return core.load(path)
    except core.BaselineError as exc:
        raise ConfigError(str(path), "", str(exc).removeprefix(f"{path}: ")) from None


def apply_baseline(args, workspace, violations, full_scan: bool, *, errors=(), texts=None):
    """(violations not in the baseline, number baselined); shrinks the file on --update-baseline."""
    update = getattr(args, "update_baseline", False)
    if getattr(args, "no_baseline", False):
        if update:
            raise ConfigError("--update-baseline", "", "cannot be combined with --no-baseline")
        return violations, 0
    explicit = getattr(args, "baseline", None)
    path = Path(explicit) if explicit else default_baseline_path(workspace)
    if not path.is_file():
        if explicit or update:
            raise ConfigError(str(path), "", "baseline file not found (create it with `ssot-lsp baseline`)")
        return violations, 0
    baseline = _load(path)
    items = keyed(workspace, violations, LineSource(texts))
    new, baselined = core.filter_new(baseline, items)
    if update:
        outcome = core.shrink(baseline, items, _covered(args, workspace, full_scan, errors))
        if outcome.removed_occurrences:
            core.save(outcome.baseline, path)
        print(f"ssot-lsp: baseline {_show(path)}: removed {outcome.removed_entries} "
              f"entr{'y' if outcome.removed_entries == 1 else 'ies'} "
              f"({outcome.removed_occurrences} fixed occurrence{'s' if outcome.removed_occurrences != 1 else ''}); "
              f"{len(outcome.baseline)} entries remain"
              + (f"; {len(new)} new violation{'s are' if len(new) != 1 else ' is'} not added" if new else ""),
              file=sys.stderr)
    return new, baselined


def run_baseline(args) -> int:
    from ssot_lsp.cli.common import config_error, make_progress, open_cache, prepare
    from ssot_lsp.core.project import profile_applies

    try:
        workspace, paths = prepare(args)
    except ConfigError as exc:
        return config_error(exc)
    cache = open_cache(args, workspace)
    result = workspace.scan(paths or None, jobs=args.jobs, cache=cache, progress=make_progress(),
                            prefilter=not args.no_prefilter)
    if cache is not None:
        cache.save()
    config = workspace.config
    modules = set(result.index.known_modules) if result.index else set()
    if config.is_default_profile and not profile_applies(config, workspace, modules):
        print(f"ssot-lsp: no configuration found and none of the built-in profile's modules are in "
              f"{workspace.root}; nothing to record (add [tool.ssot-lsp] to pyproject.toml)", file=sys.stderr)
        return 0
    for error in result.errors:
        print(f"{_show(Path(error.path))}: skipped: {error.message}", file=sys.stderr)
    path = Path(args.output) if getattr(args, "output", None) else default_baseline_path(workspace)
    try:
        old = _load(path) if path.exists() else core.Baseline()
    except ConfigError as exc:
        return config_error(exc)
    items = keyed(workspace, result.violations, LineSource())
    new = core.replace(old, items, _covered(args, workspace, not paths, result.errors))
    try:
        core.save(new, path)
    except OSError as exc:
        print(f"ssot-lsp: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"ssot-lsp: recorded {new.occurrences} violation{'s' if new.occurrences != 1 else ''} "
          f"({len(new)} entr{'y' if len(new) == 1 else 'ies'}) in {_show(path)}")
    return 0


def _show(path: Path) -> str:
    from ssot_lsp.cli.report.text import display_path

    return display_path(str(path))
