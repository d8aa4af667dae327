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
from ssot_lsp.core.project import (
    PathsInSeveralWorkspaces,
    RootResolution,
    profile_applies,
    profile_packages,
    resolve_common_root,
    workspace_at,
)
from ssot_lsp.core.severity import SEVERITY_RANK
from ssot_lsp.core.workspace import Workspace

if TYPE_CHECKING:  # the scan, the stale entries and the findings are imported when a run needs them
    from ssot_lsp.core.cache import FactsCache
    from ssot_lsp.core.findings_cache import FindingsCache, Tree
    from ssot_lsp.core.scan import Progress
    from ssot_lsp.core.stale import StaleEntry
    from ssot_lsp.core.violations import Violation
    from ssot_lsp.core.workspace import ScanResult

EXIT_CLEAN, EXIT_VIOLATIONS, EXIT_CONFIG = 0, 1, 2


@dataclass
class OpenedWorkspace:
    """A workspace opened for one command: how its root was found, the paths it was given other
    than its root."""

    workspace: Workspace
    explicit: list[Path]  # empty: the whole workspace
    options: RunOptions
    resolution: RootResolution

    def scan(self, paths: Iterable[Path] | None = None, progress: bool = True,
             walked: list[str] | None = None) -> ScanResult:
        """Scan with the command's cache (saved afterwards), jobs and prefilter; ``paths``: the
        command's explicit paths unless given; ``walked``: the workspace's files, if walked already."""
        cache = open_cache(self.options, self.workspace)
        result = self.workspace.scan(self.explicit or None if paths is None else paths, jobs=self.options.jobs,
                                     cache=cache, progress=make_progress() if progress else None,
                                     prefilter=not self.options.no_prefilter, walked=walked)
        if cache is not None:
            cache.save()
        return result

    def findings_cache(self) -> FindingsCache | None:
        """Where a whole-workspace `check` keeps its findings (``core/findings_cache.py``); None
        without the cache or with explicit paths."""
        if self.options.no_cache or self.explicit:
            return None
        from ssot_lsp.core.cache_dir import cache_directory
        from ssot_lsp.core.findings_cache import FindingsCache

        workspace = self.workspace
        return FindingsCache.for_workspace(workspace.config, workspace.source_roots, workspace.max_bytes,
                                           not self.options.no_prefilter,
                                           cache_directory(workspace.config, self.options.cache_dir))

    def scan_findings(self, findings: FindingsCache, tree: Tree) -> ScanResult:
        """The scan of `check`, whose report needs no index: answered from the stored findings while
        ``tree`` (``FindingsCache.current_tree``) is the one they were made for; otherwise a scan,
        whose findings are stored for the next run."""
        from ssot_lsp.core.findings_cache import CachedFindings
        from ssot_lsp.core.scan import ScanResult

        stored = findings.load()
        if stored is not None and stored[0] == tree.digest():
            findings.keep_tree(tree)
            cached = stored[1]
            return ScanResult(violations=cached.violations, errors=cached.errors, files_total=cached.files_total,
                              files_analysed=cached.files_analysed, skipped_large=cached.skipped_large,
                              stale=cached.stale, profile_missing=cached.profile_missing)
        result = self.scan(walked=tree.walked)
        stale, missing = self.stale(result), self.profile_missing(result)
        findings.save(tree, CachedFindings(result.violations, result.errors, result.files_total,
                                           result.files_analysed, result.skipped_large, stale, missing))
        return result

    def nothing_to_do(self, result: ScanResult, what: str) -> bool:
        """True (and says why on stderr) when there is nothing to ``what``: no Python file under the
        paths given, or — with the built-in profile — none of its modules in the workspace and no
        finding. With findings but none of the profile's modules, it warns that some are missing."""
        if self.explicit and result.files_total == 0 and not result.errors:
            shown = ", ".join(relative(str(p)) for p in self.explicit)
            print(f"ssot-lsp: warning: no Python files to {what} in {shown}: all excluded, or none there "
                  f"(`ssot-lsp check --show-settings` shows the exclusions)", file=sys.stderr)
            return True
        if not self.profile_missing(result):
            return False
        where = f"none of the built-in profile's modules are in {self.workspace.root} ({self.resolution.describe()})"
        advice = (f"run it where {' or '.join(p + '/' for p in profile_packages())} is, or describe your project "
                  f"in [tool.ssot-lsp] (docs/configuration.md)")
        if not result.violations:
            print(f"ssot-lsp: nothing to {what}: no configuration file was found, and {where}; {advice}",
                  file=sys.stderr)
            return True
        print(f"ssot-lsp: warning: no configuration file was found, and {where}: findings that need them are "
              f"missing; {advice}", file=sys.stderr)
        return False

    def stale(self, result: ScanResult | None = None) -> list[StaleEntry]:
        """The configured entries the workspace does not contain (none when the profile applies to
        nothing: ``nothing_to_do`` says that instead of listing every entry)."""
        if result is not None and result.stale is not None:
            return result.stale
        if result is not None and self.profile_missing(result):
            return []
        from ssot_lsp.core.stale import configuration_index, stale_entries, workspace_modules

        workspace = self.workspace
        modules = dict(result.index.known_modules) if result is not None and result.index else \
            workspace_modules(workspace)
        scanned = result.index.facts_by_module if result is not None and result.index else None
        return stale_entries(workspace.config, configuration_index(modules, workspace.max_bytes, scanned))

    def profile_missing(self, result: ScanResult) -> bool:
        """The built-in profile applies and none of its modules is in the workspace."""
        if result.profile_missing is not None:
            return result.profile_missing
        config = self.workspace.config
        modules = set(result.index.known_modules) if result.index else set()
        return config.is_default_profile and not profile_applies(config, modules)


def open_for(options: RunOptions, anchor: Path | None = None) -> OpenedWorkspace:
    """The workspace the command's paths belong to (``anchor``: the path that stands for the run
    when no paths are given, as `--stdin-filename` does). ConfigError for a missing path or a bad
    configuration, PathsInSeveralWorkspaces for paths of different workspaces."""
    for path in options.paths:
        if not path.exists():
            raise ConfigError(str(path), "", "no such file or directory")
    anchors = list(options.paths) or ([anchor] if anchor is not None else [])
    resolution = resolve_common_root(anchors, Path.cwd(), options.config_file)
    workspace = workspace_at(resolution, options.select, options.ignore, force_exclude=options.force_exclude)
    explicit = [p for p in options.paths if p.resolve() != workspace.root]
    return OpenedWorkspace(workspace, explicit, options, resolution)


def warn_stale(entries: list[StaleEntry], root: Path) -> None:
    """The stale configuration, in one warning on stderr."""
    if not entries:
        return
    from ssot_lsp.core.stale import stale_summary

    print(f"ssot-lsp: warning: {stale_summary(entries)}:", file=sys.stderr)
    for entry in entries:
        print(f"  {entry.describe(root)}", file=sys.stderr)


def config_error(exc: Exception) -> int:
    if isinstance(exc, PathsInSeveralWorkspaces):
        print(f"ssot-lsp: error: {exc}", file=sys.stderr)
    else:
        print(f"ssot-lsp: configuration error: {exc}", file=sys.stderr)
    return EXIT_CONFIG


def exit_code_for(violations: Iterable[Violation]) -> int:
    worst = max((SEVERITY_RANK.get(v.severity, 0) for v in violations), default=-1)
    return EXIT_VIOLATIONS if worst >= SEVERITY_RANK["warning"] else EXIT_CLEAN


def open_cache(options: RunOptions, workspace: Workspace) -> FactsCache | None:
    if options.no_cache:
        return None
    from ssot_lsp.core.cache import FactsCache
    from ssot_lsp.core.cache_dir import cache_directory

    return FactsCache.for_workspace(workspace, cache_directory(workspace.config, options.cache_dir))


_LEFT_FOR_EXIT: list[object] = []


def leave_for_exit(*objects: object) -> None:
    """``objects`` (what a run built: the scan's facts, index and findings) stay alive after the
    command returns, for the process's end to drop: `python -m ssot_lsp` and the console script
    leave with ``os._exit`` (``__main__.run``), and freeing them one by one when the command
    returned took 15 ms CPU of a cold check of the realistic corpus (1,700 files' facts, the index,
    11,000 skipped files' import lines) while nothing else could happen. Each call replaces what the
    last one kept: a process that runs several commands (the tests) holds one run's at most."""
    _LEFT_FOR_EXIT[:] = objects


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
