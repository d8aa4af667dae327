"""Which files belong to the workspace: the walk, ``include``/``exclude`` and ``.gitignore`` files.

Works on path strings throughout: resolving every file costs a system call per path component,
which was most of the time of a warm run on a large tree, and building a ``Path`` per file was
40 % of what remained.
"""

from __future__ import annotations

import itertools
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from ssot_lsp.config.model import Config
from ssot_lsp.core.globs import GlobSet, prunes_directories

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

    from ssot_lsp.core.violations import FileError

ALWAYS_SKIPPED_DIRS = {".git", "__pycache__", "node_modules", ".ssot-cache", ".hg", ".svn", ".tox", ".nox",
                       ".mypy_cache", ".ruff_cache", ".pytest_cache"}

# (directory prefix ending in os.sep, its .gitignore, ``could_match`` of it)
Specs = list[tuple[str, "GitIgnoreSpec", "Callable[[str], object] | None"]]


class WorkspaceFiles:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.root = config.root
        self._root_prefix = str(self.root).rstrip(os.sep) + os.sep
        self._include = GlobSet(config.include)
        self._exclude = GlobSet(config.exclude)
        # what `exclude` can still say of a file once every directory above it was matched on the way
        # down from the root: a pattern ending in "/**" matches a file only below a directory it matches
        # (8 of the default profile's 9 patterns; matching them for each of 11,000 files took 10 ms)
        self._exclude_files = GlobSet(p for p in config.exclude if not prunes_directories(p))
        # the default include (every .py and .pyi file) needs no regular expression per file
        self._include_all_python = {"**/*.py", "**/*.pyi"} <= set(config.include)

    def relpath(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError, RuntimeError):  # outside the root, or a symlink loop
            return path.as_posix()

    def is_included(self, relpath: str) -> bool:
        return self._included(relpath, self._exclude)

    def _included(self, relpath: str, exclude: GlobSet) -> bool:
        included = (self._include_all_python and relpath.endswith((".py", ".pyi"))) or self._include.matches(relpath)
        return included and not exclude.matches(relpath)

    def is_excluded_file(self, path: Path) -> bool:
        """Whether a walk of the root would leave this file out for `exclude`, `include` or a
        directory always skipped (``.git``, ``node_modules``, the cache, ...); what
        `force-exclude` applies to files named explicitly."""
        try:
            rel = path.resolve().relative_to(self.root)
        except (ValueError, OSError, RuntimeError):
            return False  # outside the root: no exclusion applies to it
        parts = rel.parts
        for end in range(1, len(parts)):
            directory = "/".join(parts[:end])
            if parts[end - 1] in ALWAYS_SKIPPED_DIRS or self._exclude.matches(directory) \
                    or self._exclude.matches(directory + "/"):
                return True
        return not self.is_included(rel.as_posix())

    def discover_recorded(self) -> tuple[list[str], WalkRecord]:
        """``discover()`` of the root, and what it looked at (``WalkRecord``)."""
        record = WalkRecord([], [])
        return self._walk(str(self.root.resolve()), set(), record), record

    def discover(self, paths: Iterable[Path] | None = None, errors: list[FileError] | None = None) -> list[str]:
        """Absolute paths of the Python files under ``paths`` (default: the root), honouring
        include/exclude and .gitignore. A file named explicitly is included even when excluded
        (as in ruff: ``check path/to/file.py`` always answers) unless `force-exclude` is set."""
        return list(self.discovering(paths, errors))

    def discovering(self, paths: Iterable[Path] | None = None,
                    errors: list[FileError] | None = None) -> Iterator[str]:
        """``discover``, one file at a time as the walk finds them: a command-line check reads the
        first files while it walks on (``core/streaming.py``)."""
        seen_dirs: set[tuple[int, int]] = set()
        for start in paths or [self.root]:
            start = Path(start)
            if start.is_file():
                if not (self.config.force_exclude and self.is_excluded_file(start)):
                    yield str(start.absolute())
            elif start.is_dir():
                yield from self._walking(str(start.resolve()), seen_dirs)
            elif errors is not None:
                from ssot_lsp.core.violations import FileError  # not with the module: a warm `check` walks nothing

                errors.append(FileError(str(start), "no such file or directory"))

    def _walk(self, top: str, seen_dirs: set[tuple[int, int]], record: WalkRecord | None = None) -> list[str]:
        return list(self._walking(top, seen_dirs, record))

    def _walking(self, top: str, seen_dirs: set[tuple[int, int]], record: WalkRecord | None = None) -> Iterator[str]:
        gitignore = self.config.respect_gitignore
        if record is not None:
            record.directories.append(stamp(top))  # before os.walk lists it
        top_specs: Specs = self._gitignores_above(Path(top), record) if gitignore else []
        # from the root, every directory a file is under was matched against `exclude` (``_kept_dirs``)
        exclude = self._exclude_files if top.rstrip(os.sep) + os.sep == self._root_prefix else self._exclude
        specs_by_dir: dict[str, Specs] = {}
        for directory, dirnames, filenames in os.walk(top, followlinks=False):
            try:
                info = os.stat(directory)
            except OSError:
                dirnames[:] = []
                continue
            if (info.st_dev, info.st_ino) in seen_dirs:  # a directory reached twice (bind mounts)
                dirnames[:] = []
                continue
            seen_dirs.add((info.st_dev, info.st_ino))
            specs = specs_by_dir.pop(directory, top_specs)
            if gitignore and ".gitignore" in filenames:
                if record is not None:
                    record.gitignores.append(stamp(os.path.join(directory, ".gitignore")))
                spec = load_gitignore(Path(directory) / ".gitignore")
                if spec is not None:
                    specs = [*specs, (directory.rstrip(os.sep) + os.sep, spec, could_match(spec))]
            prefix = directory + os.sep
            rel_dir = prefix[len(self._root_prefix):] if prefix.startswith(self._root_prefix) else None
            dirnames[:] = self._kept_dirs(directory, rel_dir, sorted(dirnames), specs, specs_by_dir)
            if record is not None:  # each directory to be listed next, before os.walk lists it
                record.directories.extend(stamp(os.path.join(directory, name)) for name in dirnames)
            yield from self._kept_files(directory, rel_dir, sorted(filenames), specs, exclude)

    def _kept_dirs(self, directory: str, rel_dir: str | None, names: list[str], specs: Specs,
                   specs_by_dir: dict[str, Specs]) -> list[str]:
        kept = []
        for name in names:
            if name in ALWAYS_SKIPPED_DIRS:
                continue
            full = os.path.join(directory, name)
            if self._ignored(full, None if rel_dir is None else rel_dir + name, specs, True):
                continue
            kept.append(name)
            specs_by_dir[full] = specs
        return kept

    def _kept_files(self, directory: str, rel_dir: str | None, names: list[str], specs: Specs,
                    exclude: GlobSet) -> list[str]:
        """The Python files of one directory that are included and not ignored. What does not
        depend on the file (its directory's path, relative to each .gitignore's) is computed once
        per directory: this runs for every file of the workspace, on the critical path of a cold
        check. ``exclude``: the patterns left to match (``_walk``)."""
        prefix = directory if directory.endswith(os.sep) else directory + os.sep
        ignores = [(prefix[len(base):].replace(os.sep, "/"), spec, quick)
                   for base, spec, quick in specs if prefix.startswith(base)]
        kept = []
        for name in names:
            if not name.endswith((".py", ".pyi")):
                continue
            if rel_dir is not None and not self._included(rel_dir + name, exclude):  # include, and exclude
                continue
            if ignores and _ignored_in(name, ignores):
                continue
            kept.append(prefix + name)
        return kept

    def _gitignores_above(self, start: Path, record: WalkRecord | None = None) -> Specs:
        specs: Specs = []
        for directory in [start, *start.parents]:
            if directory != start:
                if record is not None:
                    record.gitignores.append(stamp(str(directory / ".gitignore")))
                spec = load_gitignore(directory / ".gitignore")
                if spec is not None:
                    specs.append((str(directory).rstrip(os.sep) + os.sep, spec, could_match(spec)))
            if (directory / ".git").exists() or directory == self.root:
                break
        return specs

    def _ignored(self, full: str, rel: str | None, specs: Specs, is_dir: bool) -> bool:
        exclude = self._exclude
        if rel is not None and exclude and (exclude.matches(rel) or (is_dir and exclude.matches(rel + "/"))):
            return True
        return self._git_ignored(full, specs, is_dir)

    @staticmethod
    def _git_ignored(full: str, specs: Specs, is_dir: bool) -> bool:
        for base, spec, quick in specs:
            if not full.startswith(base):
                continue
            relative = full[len(base):].replace(os.sep, "/") + ("/" if is_dir else "")
            if quick is not None and not quick(relative):
                continue
            if spec.match_file(relative):
                return True
        return False


def _ignored_in(name: str, ignores: list[tuple[str, GitIgnoreSpec, Callable[[str], object] | None]]) -> bool:
    """Whether a .gitignore ignores the file ``name`` of a directory (its path relative to each
    .gitignore's directory given, see ``_kept_files``)."""
    for relative_dir, spec, quick in ignores:
        relative = relative_dir + name
        if quick is not None and not quick(relative):
            continue
        if spec.match_file(relative):
            return True
    return False


Stamp = tuple[str, int, int]  # (path, mtime_ns, ctime_ns); (path, -1, -1) when it could not be read


@dataclass
class WalkRecord:
    """What a walk of the root looked at: every directory it listed and every .gitignore it read,
    each stamped before it was read. A directory's mtime and ctime change when an entry is added,
    removed or renamed in it (not when a file's content changes); while no stamp changed, the same
    walk gives the same files, without listing a directory or matching a .gitignore (a warm `check`
    then neither walks nor imports pathspec)."""

    directories: list[Stamp]
    gitignores: list[Stamp]

    def unchanged(self) -> bool:
        return all(stamp(path) == (path, mtime, ctime)
                   for path, mtime, ctime in itertools.chain(self.directories, self.gitignores))


def stamp(path: str) -> Stamp:
    try:
        info = os.stat(path)
    except OSError:
        return (path, -1, -1)
    return (path, info.st_mtime_ns, info.st_ctime_ns)


_NAMED_GROUP = re.compile(r"(?<!\\)\(\?P<\w+>")


def could_match(spec: GitIgnoreSpec) -> Callable[[str], object] | None:
    """A quick test before ``spec.match_file``: one regular expression joining all the patterns'
    own expressions, so a path none of them matches — nearly every file — is known not ignored in
    one match, where pathspec tries each pattern in turn (that loop was two thirds of a walk).
    A path it matches still goes to ``match_file`` (negations, directory priority). None when the
    patterns cannot be joined."""
    patterns = [p.regex for p in spec.patterns if p.include is not None]
    regexes = [r for r in patterns if isinstance(r, re.Pattern)]
    if len(regexes) != len(patterns):
        return None
    if not regexes:
        return lambda path: None  # only comments: nothing is ignored
    if len({r.flags for r in regexes}) != 1 or any("(?P=" in r.pattern for r in regexes):
        return None
    try:
        joined = re.compile("|".join(f"(?:{_NAMED_GROUP.sub('(?:', r.pattern)})" for r in regexes), regexes[0].flags)
    except re.error:
        return None
    return joined.match


def load_gitignore(path: Path) -> GitIgnoreSpec | None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return gitignore_spec(text)


def gitignore_spec(text: str) -> GitIgnoreSpec | None:
    """The patterns of a .gitignore file's text (None when it has none)."""
    pathspec = _pathspec()
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if not lines:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _pathspec() -> ModuleType:
    """pathspec, imported without typing_extensions when nothing has imported that yet.

    Before Python 3.13 pathspec takes ``deprecated`` from typing_extensions, whose decorator imports
    asyncio to look at each function it wraps: 20-40 ms of a cold `check` of a tree with a .gitignore,
    spent while the walk waits for it and the other core idles, on an event loop nothing runs.
    pathspec has no required dependencies and defines its own ``deprecated`` (the same warnings) when
    that import fails; ``None`` in ``sys.modules`` is the documented way to make an import fail. The
    entry goes once pathspec is loaded: whatever imports typing_extensions later gets it."""
    if "typing_extensions" in sys.modules or "pathspec" in sys.modules:
        import pathspec

        return pathspec
    sys.modules["typing_extensions"] = None  # type: ignore[assignment]
    try:
        import pathspec
    finally:
        if sys.modules.get("typing_extensions", sys) is None:
            del sys.modules["typing_extensions"]
    return pathspec
