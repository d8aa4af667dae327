"""The files of a commit named as `check` names them, kept by difference (``audit/history/named.py``):
when two files name one module (a root and a ``src`` layout side by side), the first the walk meets
defines it, whichever came first in the history."""

from __future__ import annotations

import os
import random

from ssot_lsp.audit.history.named import NamedFiles, walk_order
from ssot_lsp.config.loader import default_config
from ssot_lsp.core.files import WorkspaceFiles

ROOT = "/ws"
NAME = ("pkg.mod", False)


def update(named: NamedFiles, files: dict[str, str], paths: set[str]) -> None:
    named.update(paths, files, {rel: NAME for rel in files})


def test_a_module_is_defined_by_the_file_the_walk_meets_first_whichever_came_first():
    named = NamedFiles(ROOT)
    files = {"src/pkg/mod.py": "b1"}
    update(named, files, {"src/pkg/mod.py"})
    assert named.modules["pkg.mod"] == "/ws/src/pkg/mod.py"
    files["pkg/mod.py"] = "b2"  # a later commit adds the root layout's file: met first by the walk
    update(named, files, {"pkg/mod.py"})
    assert named.modules["pkg.mod"] == "/ws/pkg/mod.py"
    del files["pkg/mod.py"]
    update(named, files, {"pkg/mod.py"})
    assert named.modules["pkg.mod"] == "/ws/src/pkg/mod.py"


def test_two_files_of_one_module_added_together_leave_it_to_the_first_in_walk_order():
    named = NamedFiles(ROOT)
    files = {"src/pkg/mod.py": "b1", "pkg/mod.py": "b2"}
    update(named, files, set(files))
    assert named.modules == {"pkg.mod": "/ws/pkg/mod.py"}
    assert set(named.module_of) == {"/ws/src/pkg/mod.py", "/ws/pkg/mod.py"}


NAMES = ["a", "a_b", "a-b", "ab", "a.b", "a b", "a!", "A", "b", "_x", "x1", "x10", "x2", "pkg", "pkg_old", "zz", "é"]


def test_walk_order_sorts_paths_as_the_walk_of_a_checkout_meets_them(tmp_path):
    """``walk_order`` against the walk itself (``core/files.py``) on a tree of names that are
    prefixes of one another, directories and files of one name side by side, at several depths."""
    rng = random.Random(5)
    paths = set()
    while len(paths) < 300:
        depth = rng.choice((0, 1, 1, 2, 3))
        parts = [rng.choice(NAMES) for _ in range(depth)] + [rng.choice(NAMES) + rng.choice((".py", "_.py", "1.py"))]
        paths.add("/".join(parts))
    made = []
    for rel in sorted(paths):
        target = tmp_path / rel
        if any(p.is_file() for p in target.parents) or target.is_dir():
            continue  # a name both a file and a directory: the tree cannot hold both
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("")
        made.append(rel)
    walked = [os.path.relpath(p, tmp_path).replace(os.sep, "/") for p in WorkspaceFiles(default_config(tmp_path)).discover()]
    assert sorted(made) != walked == sorted(made, key=walk_order)
