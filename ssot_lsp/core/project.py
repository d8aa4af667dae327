"""Resolve what a run is about: the configuration and root for some paths, with explicit overrides.

Shared by the CLI subcommands and the language server so that both see the same workspace.
"""

from __future__ import annotations

from pathlib import Path

from ssot_lsp.config.loader import load_config, with_cli_overrides
from ssot_lsp.config.model import Config
from ssot_lsp.core.workspace import Workspace


def open_workspace(paths: list[Path], config_file: Path | None = None, select: str | None = None,
                   ignore: str | None = None, root: Path | None = None) -> Workspace:
    target = paths[0] if paths else Path.cwd()
    if len(paths) > 1 and root is None:
        common = Path(*_common_parts([p.resolve() for p in paths]))
        target = common
    config = with_cli_overrides(load_config(target, config_file, root), select, ignore)
    return Workspace(config)


def _common_parts(paths: list[Path]) -> tuple[str, ...]:
    parts = list(paths[0].parts if paths[0].is_dir() else paths[0].parent.parts)
    for path in paths[1:]:
        other = path.parts if path.is_dir() else path.parent.parts
        i = 0
        while i < min(len(parts), len(other)) and parts[i] == other[i]:
            i += 1
        parts = parts[:i]
    return tuple(parts) or ("/",)


def profile_applies(config: Config, workspace: Workspace, modules: set[str]) -> bool:
    """Whether any module the configuration names exists in the workspace."""
    for group in config.groups:
        named = {group.canonical_module, *group.factory_modules, *group.legacy_modules,
                 *(s.partition(":")[0] for s in group.legacy_symbols)}
        if named & modules:
            return True
    return False


def missing_canonical_modules(config: Config, modules: set[str]) -> list[str]:
    return [f"canonical module {g.canonical_module} (group {g.name}) is not in the workspace"
            for g in config.groups if g.canonical_module not in modules]
