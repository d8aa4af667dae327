"""A workspace on disk: its configuration, which files belong to it, their module names, the scan.

The pieces live in their own modules — the file walk (``files``), module naming (``modules``), the
prefilter (``prefilter``), reading files (``reading``, ``pool``) and the scan rounds (``scan``);
``Workspace`` puts them together for the front ends.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ssot_lsp.config.model import Config
from ssot_lsp.core.files import WorkspaceFiles
from ssot_lsp.core.modules import ModuleNames
if TYPE_CHECKING:
    from ssot_lsp.core.cache import FactsCache
    from ssot_lsp.core.violations import FileError
    from ssot_lsp.core.scan import Progress, ScanResult

__all__ = ["ScanResult", "Workspace"]


def __getattr__(name: str) -> object:
    """``ScanResult``, re-exported without importing the scan (and every rule) with this module: a
    warm `check` opens the workspace and answers from the cache without scanning."""
    if name == "ScanResult":
        from ssot_lsp.core.scan import ScanResult

        return ScanResult
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Workspace:
    def __init__(self, config: Config, max_file_size_kb: int | None = None) -> None:
        self.config = config
        self.root = config.root
        self.max_bytes = (max_file_size_kb or config.max_file_size_kb) * 1024
        self.files = WorkspaceFiles(config)
        self.module_names = ModuleNames(config)

    @property
    def source_roots(self) -> list[Path]:
        return self.module_names.source_roots

    def relpath(self, path: Path) -> str:
        return self.files.relpath(path)

    def module_name(self, path: Path) -> tuple[str, bool]:
        return self.module_names.of(path)

    def is_included(self, relpath: str) -> bool:
        return self.files.is_included(relpath)

    def discover(self, paths: Iterable[Path] | None = None, errors: list[FileError] | None = None) -> list[Path]:
        """Python files under ``paths`` (default: the root), honouring include/exclude and .gitignore."""
        return [Path(path) for path in self.files.discover(paths, errors)]

    def discover_files(self, paths: Iterable[Path] | None = None,
                       errors: list[FileError] | None = None) -> list[str]:
        """``discover`` as absolute path strings (cheaper: no ``Path`` per file)."""
        return self.files.discover(paths, errors)

    def scan(self, paths: Iterable[Path] | None = None, jobs: int | None = None, cache: FactsCache | None = None,
             progress: Progress | None = None, prefilter: bool = True,
             severity_overrides: dict[str, str] | None = None, walked: list[str] | None = None) -> ScanResult:
        from ssot_lsp.core.scan import scan

        return scan(self, paths, jobs, cache, progress, prefilter, severity_overrides, walked)
