"""Which files of a commit belong to the workspace: the walk of ``core/files.py``, over a tree listing.

A checkout of the commit walked by ``check`` keeps a file when no directory above it is pruned
(always-skipped names, ``exclude``, a ``.gitignore`` of a directory above it), it is a ``.py``/``.pyi``
file that ``include``/``exclude`` keep, and no ``.gitignore`` ignores it. The same decisions are
taken here on the paths of the commit's tree, with the ``.gitignore`` files read from the commit.
Symbolic links and submodules are left out (the walk would follow a link to a file; a history
rarely has one).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from ssot_lsp.audit.history.git import REGULAR_MODES
from ssot_lsp.config.model import Config
from ssot_lsp.core.files import ALWAYS_SKIPPED_DIRS, WorkspaceFiles, could_match, gitignore_spec
from ssot_lsp.core.globs import GlobSet

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

Entries = Mapping[str, tuple[str, str]]  # root-relative path -> (mode, blob)
Ignore = tuple["GitIgnoreSpec", "Callable[[str], object] | None"]  # a .gitignore's patterns, their quick test
GITIGNORE = ".gitignore"


class TreeFiles:
    """The workspace's files among the paths of one tree; ``read`` gives a blob's bytes."""

    def __init__(self, config: Config, entries: Entries, read: Callable[[str], bytes]) -> None:
        self.files = WorkspaceFiles(config)
        self.exclude = GlobSet(config.exclude)
        # directory ('' for the root, else 'a/b/') -> its patterns, and their quick test (``could_match``)
        self.specs: dict[str, Ignore] = {}
        if config.respect_gitignore:
            for path, (mode, oid) in entries.items():
                if (path == GITIGNORE or path.endswith("/" + GITIGNORE)) and mode in REGULAR_MODES:
                    spec = gitignore_spec(read(oid).decode("utf-8", "replace"))
                    if spec is not None:
                        self.specs[path[:-len(GITIGNORE)]] = (spec, could_match(spec))
        self._pruned: dict[str, bool] = {}
        self._above: dict[str, list[tuple[str, Ignore]]] = {}  # directory -> the .gitignore files above it

    def keeps(self, path: str, mode: str) -> bool:
        if mode not in REGULAR_MODES or not path.endswith((".py", ".pyi")):
            return False
        cut = path.rfind("/")
        if cut >= 0 and self._dir_pruned(path[:cut]):
            return False
        return self.files.is_included(path) and not self._git_ignored(path, False, path[:cut + 1])

    def _dir_pruned(self, directory: str) -> bool:
        found = self._pruned.get(directory)
        if found is None:
            cut = directory.rfind("/")
            name = directory[cut + 1:]
            found = ((cut >= 0 and self._dir_pruned(directory[:cut])) or name in ALWAYS_SKIPPED_DIRS
                     or self.exclude.matches(directory) or self.exclude.matches(directory + "/")
                     or self._git_ignored(directory, True, directory[:cut + 1]))
            self._pruned[directory] = found
        return found

    def _git_ignored(self, path: str, is_dir: bool, parent: str) -> bool:
        """Whether a .gitignore of a directory above ``path`` ignores it (``parent``: its directory,
        '' or 'a/b/'). Like the walk (``core/files.py``): a file no pattern's expression matches —
        nearly every file — is known not ignored from one joined expression (``could_match``)."""
        if not self.specs:
            return False
        suffix = "/" if is_dir else ""
        for base, (spec, quick) in self._ignores_above(parent):
            relative = path[len(base):] + suffix
            if quick is not None and not quick(relative):
                continue
            if spec.match_file(relative):
                return True
        return False

    def _ignores_above(self, parent: str) -> list[tuple[str, Ignore]]:
        """The .gitignore files of ``parent`` ('' or 'a/b/') and of every directory above it, the root's first."""
        found = self._above.get(parent)
        if found is None:
            if parent:
                cut = parent.rfind("/", 0, len(parent) - 1)
                found = list(self._ignores_above(parent[:cut + 1]))
            else:
                found = []
            own = self.specs.get(parent)
            if own is not None:
                found.append((parent, own))
            self._above[parent] = found
        return found


def workspace_files(config: Config, entries: Entries, read: Callable[[str], bytes]) -> dict[str, str]:
    """``{root-relative path: blob}`` of the files ``check`` would analyse in a checkout of the tree."""
    tree = TreeFiles(config, entries, read)
    return {path: oid for path, (mode, oid) in entries.items() if tree.keeps(path, mode)}
