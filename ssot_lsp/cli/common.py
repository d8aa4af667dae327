"""Pieces every subcommand shares: opening the workspace, cache and scan; progress and exit codes."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ssot_lsp.cli.options import RunOptions
from ssot_lsp.config.loader import ConfigError
from ssot_lsp.core.project import open_workspace, profile_applies
from ssot_lsp.core.scan import Progress
from ssot_lsp.core.severity import SEVERITY_RANK
from ssot_lsp.core.violations import Violation
from ssot_lsp.core.workspace import ScanResult, Workspace

if TYPE_CHECKING:
    from ssot_lsp.core.cache import FactsCache

EXIT_CLEAN, EXIT_VIOLATIONS, EXIT_CONFIG = 0, 1, 2


@dataclass
class OpenedWorkspace:
    """A workspace opened for one command: the paths it was given other than its root."""

    workspace: Workspace
    explicit: list[Path]  # empty: the whole workspace
    options: RunOptions

    def scan(self, paths: Iterable[Path] | None = None, progress: bool = True) -> ScanResult:
        """Scan with the command's cache (saved afterwards), jobs and prefilter; ``paths``: the
        command's explicit paths unless given."""
        cache = open_cache(self.options, self.workspace)
        result = self.workspace.scan(self.explicit or None if paths is None else paths, jobs=self.options.jobs,
                                     cache=cache, progress=make_progress() if progress else None,
                                     prefilter=not self.options.no_prefilter)
        if cache is not None:
            cache.save()
        return result

    def nothing_to_do(self, result: ScanResult, what: str) -> bool:
        """True (and says so) when the built-in profile applies to nothing in this workspace."""
        config = self.workspace.config
        modules = set(result.index.known_modules) if result.index else set()
        if config.is_default_profile and not profile_applies(config, self.workspace, modules):
            print(f"ssot-lsp: no configuration found and none of the built-in profile's modules are in "
                  f"{self.workspace.root}; nothing to {what} (add [tool.ssot-lsp] to pyproject.toml)",
                  file=sys.stderr)
            return True
        return False


def open_for(options: RunOptions) -> OpenedWorkspace:
    """The workspace the command's paths belong to (ConfigError for a missing path or a bad configuration)."""
    for path in options.paths:
        if not path.exists():
            raise ConfigError(str(path), "", "no such file or directory")
    workspace = open_workspace(list(options.paths), options.config_file, options.select, options.ignore)
    explicit = [p for p in options.paths if p.resolve() != workspace.root]
    return OpenedWorkspace(workspace, explicit, options)


def config_error(exc: Exception) -> int:
    print(f"ssot-lsp: configuration error: {exc}", file=sys.stderr)
    return EXIT_CONFIG


def exit_code_for(violations: Iterable[Violation]) -> int:
    worst = max((SEVERITY_RANK.get(v.severity, 0) for v in violations), default=-1)
    return EXIT_VIOLATIONS if worst >= SEVERITY_RANK["warning"] else EXIT_CLEAN


def open_cache(options: RunOptions, workspace: Workspace) -> FactsCache | None:
    if options.no_cache:
        return None
    from ssot_lsp.core.cache import FactsCache

    return FactsCache.for_workspace(workspace)


def relative(path: str) -> str:
    """``path`` relative to the current directory (as given when there is no relative path)."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def make_progress() -> Progress | None:
    """A progress bar on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - last[0] < 0.1:
            return
        last[0] = now
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
        if done >= total:
            sys.stderr.write("\r" + " " * (width + 30) + "\r")
        sys.stderr.flush()

    return progress
