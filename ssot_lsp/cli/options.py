"""The command line's options as typed values: argparse stays in ``main.py``, the subcommands get these.

``RunOptions`` holds what every workspace command (check, fix, baseline) accepts; each command's own
options extend it. ``from_args`` is the only place that reads the ``argparse.Namespace``.

Not ``frozen``: a frozen dataclass costs several more generated functions, and these six made
importing this module three times as expensive — 6 ms of every run, a warm `check` included.
Nothing changes an options object after ``from_args``.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


@dataclass
class RunOptions:
    paths: tuple[Path, ...] = ()
    config_file: Path | None = None
    jobs: int | None = None
    no_cache: bool = False
    cache_dir: Path | None = None  # --cache-dir
    force_exclude: bool = False
    no_prefilter: bool = False
    exit_zero: bool = False
    select: str | None = None
    ignore: str | None = None

    @staticmethod
    def common(args: argparse.Namespace) -> dict[str, Any]:
        return {"paths": tuple(Path(p) for p in args.paths or ()), "config_file": _path(args.config_file),
                "jobs": args.jobs, "no_cache": args.no_cache, "cache_dir": _path(args.cache_dir),
                "force_exclude": args.force_exclude, "no_prefilter": args.no_prefilter,
                "exit_zero": args.exit_zero, "select": args.select, "ignore": args.ignore}


@dataclass
class BaselineOptions:
    """How `check` uses the baseline file."""

    file: Path | None = None  # --baseline (default: from the configuration)
    disabled: bool = False  # --no-baseline
    update: bool = False  # --update-baseline


@dataclass
class CheckOptions(RunOptions):
    format: str = "text"
    output: Path | None = None
    statistics: bool = False
    stdin_filename: str | None = None
    show_settings: bool = False
    summary: bool = True
    color: str = "auto"  # --color: auto (a terminal, unless NO_COLOR), always, never
    baseline: BaselineOptions = field(default_factory=BaselineOptions)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> CheckOptions:
        return cls(**cls.common(args), format=args.format, output=_path(args.output),
                   statistics=args.statistics, stdin_filename=args.stdin_filename,
                   show_settings=args.show_settings, summary=not args.no_summary, color=args.color,
                   baseline=BaselineOptions(_path(args.baseline), args.no_baseline, args.update_baseline))


@dataclass
class FixOptions(RunOptions):
    unsafe_fixes: bool = False
    diff: bool = False
    dry_run: bool = False
    format: str = "text"  # text | json: the report (what was fixed, what is left and why)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> FixOptions:
        return cls(**cls.common(args), unsafe_fixes=args.unsafe_fixes, diff=args.diff,
                   dry_run=args.dry_run, format=args.format)


@dataclass
class RecordOptions(RunOptions):
    """`ssot-lsp baseline`: where to record."""

    output: Path | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> RecordOptions:
        return cls(**cls.common(args), output=_path(args.output))


@dataclass
class AuditOptions(RunOptions):
    """`ssot-lsp audit`: the report's format and shape, the baseline, and ``--history``."""

    format: str = "text"
    output: Path | None = None
    depth: int = 1  # directory levels of the directory table
    top: int = 15  # symbols per group in the text tables (0: all)
    baseline: Path | None = None
    no_baseline: bool = False
    color: str = "auto"
    history: str | None = None  # a revision range
    max_points: int = 50
    sites: bool = False  # history JSON: every point's sites (path, line, code)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> AuditOptions:
        return cls(**cls.common(args), format=args.format, output=_path(args.output), depth=args.depth,
                   top=args.top, baseline=_path(args.baseline), no_baseline=args.no_baseline, color=args.color,
                   history=args.history, max_points=args.max_points, sites=args.sites)
