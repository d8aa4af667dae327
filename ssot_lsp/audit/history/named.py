"""The workspace's files at the commit being analysed, named as ``check`` names them — kept up to
date by difference, so that a commit changing 500 of 25,000 files costs 500 updates, not 25,000.

``check`` walks the tree and names each file's module; when two files name one module (``a.py`` at
the root and under ``src/``), the first the walk meets defines it (``modules.setdefault``). Here the
paths naming each module are kept in walk order, so the module's path is known after any change
without walking again. What changed since the last scan is handed out once (``take``): the scan of
the next commit reuses everything else.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping

Name = tuple[str, bool]  # (module, is_package)


def walk_order(path: str) -> str:
    """The order in which ``check``'s walk meets files: depth first, a directory's files before its
    subdirectories, names sorted (the first file of two with one module name wins).

    As one string, built in C — the same paths change again and again along a history and each
    change sorts them (the named files, the scan's reads, the read-ahead child's): each directory's
    name follows a "\x01", the file's a "\x00". Where two keys first differ, either both hold a
    name there (compared as the names are: one that ends first is followed by "\x00" or "\x01",
    below any character of a file name) or one goes on with a file and the other with a directory
    ("\x00" before "\x01")."""
    directories, _, name = path.rpartition("/")
    if not directories:
        return "\x00" + name
    return "\x01" + directories.replace("/", "\x01") + "\x00" + name


class NamedFiles:
    """``module_of`` (absolute path -> name), ``modules`` (module -> the path defining it) and
    ``blobs`` (absolute path -> blob) of the files of one commit, as ``core/scan.Scan`` keeps them."""

    def __init__(self, root: str) -> None:
        self.root = root.rstrip("/") + "/"
        self.module_of: dict[str, Name] = {}
        self.modules: dict[str, str] = {}
        self.blobs: dict[str, str] = {}
        self._claims: dict[str, list[str]] = {}  # module -> the root-relative paths naming it, in walk order
        self.changed: set[str] = set()  # absolute paths added, removed, renamed or of another blob since ``take``
        self.changed_modules: set[str] = set()  # modules added, removed or defined by another path since ``take``
        self.come_or_gone: set[str] = set()  # modules added or removed since ``take_come_or_gone``

    def update(self, paths: Iterable[str], files: Mapping[str, str], names: Mapping[str, Name]) -> None:
        """Bring ``paths`` (root-relative, changed in any way) to ``files`` (path -> blob) and ``names``;
        a path not in ``files`` is gone from the workspace.

        Paths are claimed and unclaimed in walk order; a path whose name stays — a file edited, ~98 %
        of a commit's changes — claims nothing, so only the others are sorted."""
        root, module_of, blobs = self.root, self.module_of, self.blobs
        renamed = []
        for rel in paths:
            path = root + rel
            blob = files.get(rel)
            old_name = module_of.get(path)
            if old_name != (names[rel] if blob is not None else None):
                renamed.append(rel)
            elif blobs.get(path) != blob:
                self.changed.add(path)
                if blob is None:
                    blobs.pop(path, None)
                else:
                    blobs[path] = blob
        for rel in sorted(renamed, key=walk_order):
            path = root + rel
            blob = files.get(rel)
            old_name = module_of.get(path)
            new_name = names[rel] if blob is not None else None
            self.changed.add(path)
            if old_name is not None and old_name != new_name:
                self._unclaim(old_name[0], rel)
                del self.module_of[path]
            if blob is None:
                self.blobs.pop(path, None)
                continue
            assert new_name is not None
            self.blobs[path] = blob
            if old_name != new_name:
                self.module_of[path] = new_name
                self._claim(new_name[0], rel)

    def take(self) -> tuple[set[str], set[str]]:
        """(paths, modules) changed since the last ``take``."""
        out = (self.changed, self.changed_modules)
        self.changed, self.changed_modules = set(), set()
        return out

    def take_come_or_gone(self) -> set[str]:
        """The modules added or removed since the last call (the set of modules changed only there)."""
        out, self.come_or_gone = self.come_or_gone, set()
        return out

    def _claim(self, module: str, rel: str) -> None:
        claims = self._claims.setdefault(module, [])
        if claims:
            bisect.insort(claims, rel, key=walk_order)
        else:  # nearly every module has one file
            claims.append(rel)
        self._define(module, claims)

    def _unclaim(self, module: str, rel: str) -> None:
        claims = self._claims[module]
        claims.remove(rel)
        if not claims:
            del self._claims[module]
        self._define(module, claims)

    def _define(self, module: str, claims: list[str]) -> None:
        path = self.root + claims[0] if claims else None
        if self.modules.get(module) == path:
            return
        self.changed_modules.add(module)
        if path is None:
            del self.modules[module]
            self.come_or_gone.add(module)
        else:
            if module not in self.modules:
                self.come_or_gone.add(module)
            self.modules[module] = path
