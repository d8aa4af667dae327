"""Pieces every subcommand shares: opening the workspace, the cache, progress and exit codes."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from ssot_lsp.core.project import open_workspace
from ssot_lsp.core.severity import SEVERITY_RANK

EXIT_CLEAN, EXIT_VIOLATIONS, EXIT_CONFIG = 0, 1, 2


def prepare(args):
    paths = [Path(p) for p in getattr(args, "paths", []) or []]
    for path in paths:
        if not path.exists():
            from ssot_lsp.config.loader import ConfigError

            raise ConfigError(str(path), "", "no such file or directory")
    workspace = open_workspace(paths, Path(args.config_file) if getattr(args, "config_file", None) else None,
                               getattr(args, "select", None), getattr(args, "ignore", None))
    explicit = [p for p in paths if p.resolve() != workspace.root]
    return workspace, explicit


def config_error(exc) -> int:
    print(f"ssot-lsp: configuration error: {exc}", file=sys.stderr)
    return EXIT_CONFIG


def exit_code_for(violations) -> int:
    worst = max((SEVERITY_RANK.get(v.severity, 0) for v in violations), default=-1)
    return EXIT_VIOLATIONS if worst >= SEVERITY_RANK["warning"] else EXIT_CLEAN


def open_cache(args, workspace):
    if getattr(args, "no_cache", False):
        return None
    from ssot_lsp.core.cache import FactsCache

    return FactsCache(workspace.root, workspace.config.fingerprint() + _roots_key(workspace))


def _roots_key(workspace) -> str:
    import hashlib

    return hashlib.sha1("|".join(map(str, workspace.source_roots)).encode()).hexdigest()[:6]


def make_progress():
    """A progress bar on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    state = {"last": 0.0}

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - state["last"] < 0.1:
            return
        state["last"] = now
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
        if done >= total:
            sys.stderr.write("\r" + " " * (width + 30) + "\r")
        sys.stderr.flush()

    return progress
