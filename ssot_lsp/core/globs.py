"""Gitignore-like globs over '/'-separated paths relative to the configuration root.

``include``/``exclude`` and ``per-path`` patterns are matched for every file of a scan, so a set of
patterns is compiled once into one regular expression.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from ssot_lsp.config.model import Config


@lru_cache(maxsize=512)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """``**`` spans directories, ``*`` and ``?`` do not."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def prunes_directories(pattern: str) -> bool:
    """Whether ``pattern`` is ``P/**``, matching exactly the paths below a directory ``P`` matches:
    a walk that matched every directory on its way down (``dir/`` included) need not match it
    against the files. Checked on the regular expressions, which must be ``P``'s followed by "/.*"."""
    if not pattern.endswith("/**") or len(pattern) == 3:
        return False
    return glob_regex(pattern).pattern == glob_regex(pattern[:-3]).pattern[:-2] + "/.*" + r"\Z"


def matches_any(relpath: str, patterns: Iterable[str]) -> bool:
    patterns = tuple(patterns)
    if not patterns:
        return False
    return _combined(patterns).match(relpath) is not None


@lru_cache(maxsize=128)
def _combined(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{glob_regex(p).pattern})" for p in patterns))


def relpath_of(config: Config, path: str) -> str:
    """``path`` relative to the configuration root, '/'-separated (string arithmetic first:
    resolving every path costs a system call per component)."""
    root = str(config.root).rstrip(os.sep) + os.sep
    if path.startswith(root):
        return path[len(root):].replace(os.sep, "/")
    try:
        return Path(path).resolve().relative_to(config.root).as_posix()
    except (ValueError, OSError, RuntimeError):
        return Path(path).as_posix()


class GlobSet:
    """A set of globs compiled once, when first matched: the file walk matches every file and
    directory against the configuration's ``include`` and ``exclude``; a warm `check` answered
    from its cache opens the workspace without walking it, and compiles nothing."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self._patterns = tuple(patterns)
        self._match: Callable[[str], re.Match[str] | None] | None = None

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def matches(self, relpath: str) -> bool:
        match = self._match
        if match is None:
            if not self._patterns:
                return False
            match = self._match = _combined(self._patterns).match
        return match(relpath) is not None
