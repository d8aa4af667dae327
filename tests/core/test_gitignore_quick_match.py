"""``files.could_match``: the one-expression test a walk runs before pathspec's own matching may
only ever say "no" for a path the .gitignore does not ignore."""

from __future__ import annotations

import itertools

import pytest

from ssot_lsp.core.files import could_match, gitignore_spec

GITIGNORES = [
    "__pycache__/\n*.pyc\n.env\nnode_modules/\n.pytest_cache/\n",
    "build\n!build/keep.py\n/dist/\ndocs/**/generated_*.py\n",
    "*.py\n!app/*.py\napp/old_*.py\n",
    "backups/\n**/legacy/**\nsrc/[abc]_tmp.py\nweird\\#name.py\nspace\\ .py\n",
    "/only_root.py\n*/nested.py\na/**/b.py\n?.py\n",
    "# only a comment\n\n",
]
PATHS = ["app/main.py", "app/old_engine.py", "build/keep.py", "build/x.py", "build/", "dist/a.py", "x/dist/a.py",
         "docs/a/b/generated_x.py", "docs/generated_y.py", "backups/2024/app/main.py", "backups/",
         "lib/legacy/x.py", "src/a_tmp.py", "src/d_tmp.py", "weird#name.py", "space .py", "only_root.py",
         "sub/only_root.py", "z/nested.py", "z/y/nested.py", "a/b.py", "a/x/y/b.py", "q.py", "qq.py",
         "__pycache__/m.py", "pkg/__pycache__/m.py", "pkg/.env", "node_modules/x/y.py", "app/", "app/sub/"]


@pytest.mark.parametrize("text", GITIGNORES)
def test_a_path_the_quick_test_rejects_is_not_ignored(text):
    spec = gitignore_spec(text)
    if spec is None:
        return
    quick = could_match(spec)
    assert quick is not None, "these patterns can be joined"
    for path in PATHS:
        if spec.match_file(path):
            assert quick(path), path


def test_the_quick_test_rejects_most_paths_of_a_usual_gitignore():
    spec = gitignore_spec(GITIGNORES[0])
    assert spec is not None
    quick = could_match(spec)
    assert quick is not None
    assert not any(quick(p) for p in ("app/main.py", "netra_backend/app/agents/x.py", "tests/test_a.py"))


def test_every_combination_agrees_on_its_verdict():
    lines = ["*.py", "!keep.py", "build/", "/root.py", "a/**/b.py", "!a/x/b.py"]
    for size in (1, 2, 3):
        for chosen in itertools.permutations(lines, size):
            spec = gitignore_spec("\n".join(chosen) + "\n")
            assert spec is not None
            quick = could_match(spec)
            for path in PATHS + ["keep.py", "root.py", "x/root.py", "a/x/b.py", "a/y/b.py"]:
                if spec.match_file(path):
                    assert quick is None or quick(path), (chosen, path)
