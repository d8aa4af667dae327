"""Resolve what a run is about: the workspace root of some paths, its configuration, the workspace.

Shared by the CLI subcommands and the language server so that both see the same workspace. The
root decides everything a finding depends on — which modules exist, what an import resolves to —
so a path is always checked as part of the workspace it belongs to, never as a workspace of its
own: ``check backend_package`` from the repository root reports exactly what ``check .`` reports
for that folder.

How the root of a path is found (``resolve_root``), first match wins:

1. a configuration file (``ssot-lsp.toml``, or a ``pyproject.toml`` with ``[tool.ssot-lsp]``)
   found upward from the path: its directory;
2. the nearest directory at or above the path in which the built-in profile's modules resolve
   (the one holding the profile's top-level package), searching up to the version-control root — or, outside
   version control, up to the current directory when the path is below it. A directory the
   profile excludes as seen from a farther candidate (a ``backups/2024/`` copy of the tree) is
   not a root;
3. the version-control root; else the current directory when the path is below it; else the
   path's own directory (a root always contains its paths).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from ssot_lsp.config.loader import ConfigError, default_config, find_config_file, load_config, with_cli_overrides
from ssot_lsp.config.model import Config, Group
from ssot_lsp.core.globs import GlobSet
from ssot_lsp.core.workspace import Workspace

VCS_MARKERS = (".git", ".hg", ".svn")  # a directory or (git worktrees, submodules) a file

Reason = Literal["config", "modules", "vcs", "cwd", "path"]


@dataclass(frozen=True)
class RootResolution:
    """The workspace root of a path, the configuration file that applies (None: the built-in
    profile) and why this root was chosen."""

    root: Path
    config_file: Path | None
    reason: Reason

    def describe(self) -> str:
        return {
            "config": f"the directory of {self.config_file.name if self.config_file else 'the configuration'}",
            "modules": "the directory that holds the built-in profile's modules",
            "vcs": "the version-control root (no configuration file, and the profile's modules are not there)",
            "cwd": "the current directory (no configuration file, no version control, and the profile's "
                   "modules are not there)",
            "path": "the path's own directory (no configuration file, no version control, and the profile's "
                    "modules are not there)",
        }[self.reason]


def resolve_root(path: Path, cwd: Path, config_file: Path | None = None) -> RootResolution:
    """The workspace root of ``path`` (a file or directory; it need not exist, as for
    ``--stdin-filename``), seen from ``cwd``. ``config_file``: an explicit ``--config``."""
    cwd = cwd.resolve()
    start = _existing_dir(path if path.is_absolute() else cwd / path)
    if config_file is not None:
        explicit = config_file if config_file.is_absolute() else cwd / config_file
        return RootResolution(explicit.resolve().parent, explicit.resolve(), "config")
    found = find_config_file(start)
    if found is not None:
        return RootResolution(found.parent, found, "config")
    vcs = _vcs_root(start)
    below_cwd = _is_within(start, cwd)
    bound = vcs if vcs is not None else (cwd if below_cwd else None)
    holder = _profile_holder(start, bound)
    if holder is not None:
        return RootResolution(holder, None, "modules")
    if vcs is not None:
        return RootResolution(vcs, None, "vcs")
    if below_cwd:
        return RootResolution(cwd, None, "cwd")
    return RootResolution(start, None, "path")


class PathsInSeveralWorkspaces(ConfigError):
    """Paths of one run whose roots differ: each would need its own configuration and index (a
    usage error, exit 2, like a configuration error)."""

    def __init__(self, problem: str) -> None:
        super().__init__("", "", problem)

    def __str__(self) -> str:
        return self.problem


def resolve_common_root(paths: Sequence[Path], cwd: Path, config_file: Path | None = None) -> RootResolution:
    """The one root of all ``paths`` (the current directory when there are none); an error naming
    each root when they differ."""
    resolutions = [(p, resolve_root(p, cwd, config_file)) for p in paths or [cwd]]
    roots = {r.root for _, r in resolutions}
    if len(roots) == 1:
        return resolutions[0][1]
    listing = "; ".join(f"{_shown(p, cwd)} -> {r.root}" for p, r in resolutions)
    raise PathsInSeveralWorkspaces(f"the paths belong to different workspaces ({listing}); "
                                   "run once per workspace, or pass --config to use one configuration")


def open_workspace(paths: list[Path], config_file: Path | None = None, select: str | None = None,
                   ignore: str | None = None, root: Path | None = None, cwd: Path | None = None,
                   force_exclude: bool = False) -> Workspace:
    """The workspace the paths belong to (``root`` forces the root), with command-line overrides."""
    if root is not None:
        resolution = RootResolution(root.resolve(), config_file, "config" if config_file else "path")
    else:
        resolution = resolve_common_root(paths, cwd or Path.cwd(), config_file)
    return workspace_at(resolution, select, ignore, force_exclude=force_exclude)


def workspace_at(resolution: RootResolution, select: str | None = None, ignore: str | None = None,
                 force_exclude: bool = False) -> Workspace:
    """The workspace of a resolved root: its configuration file (or the built-in profile) there."""
    if resolution.config_file is not None:
        config = load_config(resolution.root, resolution.config_file, resolution.root)
    else:
        config = default_config(resolution.root)
    return Workspace(with_cli_overrides(config, select, ignore, force_exclude=force_exclude))


# -- the steps ---------------------------------------------------------------------------------------
def _existing_dir(path: Path) -> Path:
    """The directory a path stands for: itself, its parent for a file, and the nearest existing
    ancestor for a path that does not exist (yet)."""
    path = Path(os.path.abspath(path))
    if path.is_dir():
        return path.resolve()
    for parent in path.parents:
        if parent.is_dir():
            return parent.resolve()
    return Path(path.anchor)


def _vcs_root(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        if any(os.path.lexists(directory / marker) for marker in VCS_MARKERS):
            return directory
    return None


def _is_within(path: Path, directory: Path) -> bool:
    return path == directory or directory in path.parents


def _profile_holder(start: Path, bound: Path | None) -> Path | None:
    """The nearest directory from ``start`` up to ``bound`` (inclusive; None: the filesystem root)
    in which one of the profile's modules resolves, skipping those excluded as seen from a farther one."""
    holders = []
    for directory in (start, *start.parents):
        if profile_modules_resolve(directory):
            holders.append(directory)
        if directory == bound:
            break
    for i, holder in enumerate(holders):
        if not any(_excluded_below(farther, holder) for farther in holders[i + 1:]):
            return holder
    return None


@lru_cache(maxsize=1)
def _profile() -> tuple[tuple[str, ...], GlobSet]:
    """The profile's module names (as relative paths without suffix) and its exclusions."""
    config = default_config(Path("/"))
    modules = sorted({m for g in config.groups for m in named_modules(g)})
    return tuple(m.replace(".", "/") for m in modules), GlobSet(config.exclude)


def profile_packages() -> list[str]:
    """The top-level packages of the built-in profile's modules (what a user must run next to)."""
    module_paths, _ = _profile()
    return sorted({rel.partition("/")[0] for rel in module_paths})


def profile_modules_resolve(directory: Path) -> bool:
    """Whether one of the built-in profile's modules is a file under ``directory`` (or its ``src/``),
    as the profile's module naming would find it."""
    module_paths, _ = _profile()
    for base in (directory, directory / "src"):
        for rel in module_paths:
            target = base / rel
            if (os.path.isfile(f"{target}.py") or os.path.isfile(f"{target}.pyi")
                    or os.path.isfile(target / "__init__.py")):
                return True
    return False


def _excluded_below(root: Path, directory: Path) -> bool:
    """Whether the profile, rooted at ``root``, excludes ``directory`` (or a directory above it)."""
    _, exclude = _profile()
    parts = directory.relative_to(root).parts
    for end in range(1, len(parts) + 1):
        rel = "/".join(parts[:end])
        if exclude.matches(rel) or exclude.matches(rel + "/") or exclude.matches(rel + "/x.py"):
            return True
    return False


def _shown(path: Path, cwd: Path) -> str:
    try:
        return os.path.relpath(path, cwd)
    except ValueError:
        return str(path)


# -- what the configuration names ----------------------------------------------------------------------
def named_modules(group: Group) -> set[str]:
    """The modules a group names (canonical, factory, legacy, and those of its legacy symbols)."""
    return {group.canonical_module, *group.factory_modules, *group.legacy_modules,
            *(s.partition(":")[0] for s in group.legacy_symbols)}


def profile_applies(config: Config, modules: set[str]) -> bool:
    """Whether any module the configuration names exists in the workspace."""
    return any(named_modules(group) & modules for group in config.groups)

