"""Baseline wiring: `ssot-lsp baseline` writes one, `ssot-lsp check` honours and shrinks it.

The logic (keys, counts, shrinking) is in ``ssot_lsp.core.baseline``; this module finds the file,
reads the line texts the fingerprints need and says what happened.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ssot_lsp.cli.common import OpenedWorkspace, config_error, open_for, warn_stale
from ssot_lsp.cli.options import BaselineOptions, RecordOptions
from ssot_lsp.config.loader import ConfigError
from ssot_lsp.core import baseline as core
from ssot_lsp.core.severity import rule_enabled
from ssot_lsp.core.text import UndecodableSource, decode_source, split_lines
from ssot_lsp.core.workspace import Workspace

if TYPE_CHECKING:
    from ssot_lsp.core.violations import FileError, Violation


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


def fingerprint_of(violation: Violation, lines: LineSource) -> str:
    return violation.fingerprint(lines.line(violation.path, violation.span.line))


def keyed(workspace: Workspace, violations: Iterable[Violation], lines: LineSource) -> list[core.Keyed]:
    relpaths: dict[str, str] = {}
    out = []
    for v in violations:
        rel = relpaths.get(v.path)
        if rel is None:
            rel = relpaths[v.path] = workspace.relpath(Path(v.path))
        out.append(core.Keyed(v, (rel, v.code, fingerprint_of(v, lines))))
    return out


def default_baseline_path(workspace: Workspace) -> Path:
    configured = workspace.config.baseline
    if configured:
        path = Path(configured)
        return path if path.is_absolute() else workspace.root / path
    return workspace.root / core.DEFAULT_FILE_NAME


def _covered(opened: OpenedWorkspace, full_scan: bool, errors: Iterable[FileError]) -> Callable[[str, str], bool]:
    """Which (path, code) pairs this run could have seen: scanned files, rules that ran."""
    workspace = opened.workspace
    config = workspace.config
    unreadable = {workspace.relpath(Path(e.path)) for e in errors}
    scanned: set[str] | None = None
    if not full_scan:
        explicit = opened.explicit
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


def apply_baseline(options: BaselineOptions, opened: OpenedWorkspace, violations: list[Violation], full_scan: bool,
                   *, errors: Iterable[FileError] = (),
                   texts: dict[str, str] | None = None) -> tuple[list[Violation], int]:
    """(violations not in the baseline, number baselined); shrinks the file on --update-baseline."""
    if options.disabled:
        if options.update:
            raise ConfigError("--update-baseline", "", "cannot be combined with --no-baseline")
        return violations, 0
    path = options.file or default_baseline_path(opened.workspace)
    if not path.is_file():
        if options.file or options.update:
            raise ConfigError(str(path), "", "baseline file not found (create it with `ssot-lsp baseline`)")
        return violations, 0
    baseline = _load(path)
    items = keyed(opened.workspace, violations, LineSource(texts))
    new, baselined = core.filter_new(baseline, items)
    if options.update:
        outcome = core.shrink(baseline, items, _covered(opened, full_scan, errors))
        if outcome.removed_occurrences:
            core.save(outcome.baseline, path)
        print(f"ssot-lsp: baseline {_show(path)}: removed {outcome.removed_entries} "
              f"entr{'y' if outcome.removed_entries == 1 else 'ies'} "
              f"({outcome.removed_occurrences} fixed occurrence{'s' if outcome.removed_occurrences != 1 else ''}); "
              f"{len(outcome.baseline)} entries remain"
              + (f"; {len(new)} new violation{'s are' if len(new) != 1 else ' is'} not added" if new else ""),
              file=sys.stderr)
    return new, baselined


def run_baseline(options: RecordOptions) -> int:
    try:
        opened = open_for(options)
    except ConfigError as exc:
        return config_error(exc)
    workspace = opened.workspace
    result = opened.scan()
    if opened.nothing_to_do(result, "record"):
        return 0
    warn_stale(opened.stale(result), workspace.root)
    for error in result.errors:
        print(f"{_show(Path(error.path))}: skipped: {error.message}", file=sys.stderr)
    path = options.output or default_baseline_path(workspace)
    try:
        old = _load(path) if path.exists() else core.Baseline()
    except ConfigError as exc:
        return config_error(exc)
    items = keyed(workspace, result.violations, LineSource())
    new = core.replace(old, items, _covered(opened, not opened.explicit, result.errors))
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
