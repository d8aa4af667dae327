"""The files of a commit named as `check` names them, kept by difference (``audit/history/named.py``):
when two files name one module (a root and a ``src`` layout side by side), the first the walk meets
defines it, whichever came first in the history."""

from __future__ import annotations

from ssot_lsp.audit.history.named import NamedFiles

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
