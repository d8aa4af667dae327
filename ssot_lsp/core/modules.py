"""Module names: which dotted module a file of the workspace is, from the source roots.

The roots are the configured ``source-roots`` (relative to the configuration root), else the root
itself plus ``src/`` when it exists; the longest matching root names the module.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from ssot_lsp.config.model import Config


class ModuleNames:
    def __init__(self, config: Config, is_dir: Callable[[Path], bool] = Path.is_dir) -> None:
        """``is_dir``: whether a directory exists (``audit --history`` asks a commit's tree, not the disk)."""
        root = config.root
        roots = [root / r for r in config.source_roots] if config.source_roots else [root]
        if not config.source_roots and is_dir(root / "src"):
            roots.append(root / "src")
        self.source_roots = sorted({r.resolve() for r in roots}, key=lambda p: len(p.parts), reverse=True)
        self._root_prefixes = [str(r).rstrip(os.sep) + os.sep for r in self.source_roots]

    def of(self, path: Path) -> tuple[str, bool]:
        """(module, is_package) of a file; a file under no source root is named by its stem."""
        text = str(path if path.is_absolute() else path.absolute())
        return self.of_absolute(text) or self._outside(path, text)

    def of_absolute(self, text: str) -> tuple[str, bool] | None:
        """The module of an absolute path string under a source root (None when under none);
        string arithmetic only: a scan names every file of the workspace."""
        for root in self._root_prefixes:
            if not text.startswith(root):
                continue
            parts = text[len(root):].split(os.sep)
            if not parts or not parts[-1]:
                break
            parts[-1] = parts[-1].rsplit(".", 1)[0]
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            return ".".join(parts), is_package
        return None

    def _outside(self, path: Path, text: str) -> tuple[str, bool]:
        if text != str(path.resolve()):
            return self.of(path.resolve())
        return path.stem, path.stem == "__init__"


def enclosing_packages(modules: Iterable[str]) -> set[str]:
    """Every dotted prefix of every module (``a`` and ``a.b`` for ``a.b.c``). Each module climbs only
    until it meets a package already known, whose own prefixes are then known too: about one step
    per module instead of one per dot (25,000 modules: 10 ms of the report of a cold check, and as
    much of its rules: ``classify.packages_of``)."""
    packages: set[str] = set()
    for known in modules:
        package, dot, _ = known.rpartition(".")
        while dot and package not in packages:
            packages.add(package)
            package, dot, _ = package.rpartition(".")
    return packages
