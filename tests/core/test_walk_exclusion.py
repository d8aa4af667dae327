"""The walk matches `exclude` patterns of the form ``P/**`` against directories only: such a pattern
matches a file exactly when it matches a directory above it, and a walk from the root matched every
one of those on its way down. The files it finds are the same as matching every pattern per file;
a walk that starts below the root (directories above it unmatched) still matches them all."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from ssot_lsp.config.loader import default_config
from ssot_lsp.core.files import WorkspaceFiles
from ssot_lsp.core.globs import glob_regex, prunes_directories

PATTERNS = ["**/backups/**", "**/backup/**", "archive/**", "a*/**", "x/**/y/**", "**/*.backup*", "**/**", "/**",
            "**", "**/gen_*.py", "docs/**/tmp/**", "?/**"]
PATHS = ["app/main.py", "backups/app/main.py", "app/backups/x/main.py", "app/backupsx/main.py", "archive/a.py",
         "app/archive/a.py", "archive.py", "x/y/z.py", "x/q/r/y/z.py", "x/y.py", "q/x/y/z.py", "app/m.backup_1.py",
         "docs/a/tmp/b.py", "docs/tmp.py", "b/c.py", "bb/c.py", "apple.py", "a/b.py"]


def _directories_above(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:end]) for end in range(1, len(parts))]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_directory_pattern_matches_a_file_exactly_when_it_matches_a_directory_above_it(pattern: str):
    if not prunes_directories(pattern):
        return
    regex = glob_regex(pattern)
    for path in PATHS:
        above = any(regex.match(directory + "/") for directory in _directories_above(path))
        assert (regex.match(path) is not None) == above, path


def test_which_patterns_only_prune_directories():
    assert [p for p in PATTERNS if prunes_directories(p)] == [
        "**/backups/**", "**/backup/**", "archive/**", "a*/**", "x/**/y/**", "docs/**/tmp/**", "?/**"]


TREE = ["app/main.py", "app/engine.backup_1757538478.py", "app/backups/old.py", "backups/2024/app/main.py",
        "archive/a.py", "app/archive/a.py", "x/y/z.py", "x/q/y/z.py", "x/y.py", "docs/a/tmp/b.py", "docs/a/c.py",
        "b/c.py", "apple/c.py", "top.py"]
EXCLUDE = ("**/backups/**", "archive/**", "x/**/y/**", "**/*.backup*", "docs/**/tmp/**", "appl*/**")


@pytest.fixture
def files(tmp_path: Path) -> WorkspaceFiles:
    for name in TREE:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x = 1\n")
    config = dataclasses.replace(default_config(tmp_path.resolve()), exclude=EXCLUDE)
    return WorkspaceFiles(config)


def _relative(files: WorkspaceFiles, found: list[str]) -> list[str]:
    return sorted(os.path.relpath(path, files.root).replace(os.sep, "/") for path in found)


def test_a_walk_from_the_root_finds_the_files_every_pattern_matched_per_file_leaves(files: WorkspaceFiles):
    expected = sorted(name for name in TREE if files.is_included(name))  # every pattern against each file
    assert expected == ["app/archive/a.py", "app/main.py", "b/c.py", "docs/a/c.py", "top.py", "x/y.py"]
    assert _relative(files, files.discover()) == expected
    assert _relative(files, files.discover_recorded()[0]) == expected


@pytest.mark.parametrize("start", ["backups/2024", "x/q/y", "apple", "docs/a/tmp", "app/backups"])
def test_a_walk_from_inside_an_excluded_directory_still_leaves_its_files_out(files: WorkspaceFiles, start: str):
    assert list(files.discover([files.root / start])) == []
