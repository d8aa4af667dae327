"""The files of a commit's tree that `audit --history` analyses are those `check`'s walk finds in a
checkout of the commit (``audit/history/tree.py`` against ``core/files.py``), .gitignore files at
every level included."""

from __future__ import annotations

from pathlib import Path

from ssot_lsp.audit.history.configuration import ConfigurationAt
from ssot_lsp.audit.history.git import Repository
from ssot_lsp.audit.history.tree import workspace_files
from ssot_lsp.config.loader import load_config
from ssot_lsp.core.workspace import Workspace
from tests.audit.conftest import History, checkout, git
from tests.cli.conftest import SMALL_CONFIG, SMALL_FILES

PY = "VALUE = 1\n"
IGNORING = {
    ".gitignore": "build/\n*.gen.py\n/top_only.py\n!keep.gen.py\n",
    "top_only.py": PY, "app/top_only.py": PY,  # anchored to the root: only the first is ignored
    "app/model.gen.py": PY, "app/keep.gen.py": PY,  # a pattern, and its negation
    "build/out.py": PY, "app/build/out.py": PY,  # a directory pattern, at any depth
    "app/services/.gitignore": "legacy_*.py\n!legacy_keep.py\n",  # a nested .gitignore ...
    "app/services/legacy_a.py": PY, "app/services/legacy_keep.py": PY, "app/services/deep/legacy_b.py": PY,
    "app/legacy_c.py": PY,  # ... does not reach above its directory
    "app/services/deep/.gitignore": "*.py\n!kept.py\n", "app/services/deep/kept.py": PY,
    "app/services/deep/other.py": PY,
    "tools/.gitignore": "scratch/\n", "tools/scratch/run.py": PY, "tools/run.py": PY,
}


def walked(tree: Path) -> set[str]:
    """What ``check``'s walk finds in a checkout."""
    return {Path(p).relative_to(tree).as_posix() for p in Workspace(load_config(tree)).discover_files()}


def test_the_files_of_a_tree_are_those_the_walk_finds_in_its_checkout(history: History, tmp_path: Path):
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES, **IGNORING}, "Ignore at every level")
    git(history.repo, "add", "-f", ".")  # committed all the same, as files added before their rule are
    commit = history.commit({}, "The ignored files too")
    repo = Repository(history.repo.resolve())
    try:
        entries = repo.tree(commit, "")
        config, _ = ConfigurationAt(history.repo.resolve(), None, None, None, None).at(entries, repo.blob, commit)
        listed = set(workspace_files(config, entries, repo.blob))
    finally:
        repo.close()
    expected = walked(checkout(history.repo, commit, tmp_path / "checkout"))
    assert "app/services/deep/kept.py" in expected and "app/services/legacy_a.py" not in expected
    assert "app/services/legacy_a.py" in entries  # in the tree: the .gitignore files decide, or this shows nothing
    assert listed == expected
