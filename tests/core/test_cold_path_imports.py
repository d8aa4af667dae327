"""What a cold `check` does not import: asyncio (pathspec is loaded without typing_extensions, whose
``deprecated`` imports it before Python 3.13: 20-40 ms of every cold `check` of a tree with a
.gitignore, before the walk can start), difflib (only a misspelt configuration key needs it) and,
with --no-cache, the findings cache."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)],
                          check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_gitignore_is_matched_without_importing_typing_extensions_or_asyncio():
    out = _run("""
        import sys
        from ssot_lsp.core.files import gitignore_spec
        spec = gitignore_spec("__pycache__/\\n*.pyc\\n!keep.pyc\\n")
        print(spec.match_file("a/b.pyc"), spec.match_file("keep.pyc"), spec.match_file("a/__pycache__/m.py"),
              "typing_extensions" in sys.modules, "asyncio" in sys.modules)
    """)
    assert out == "True False True False False"


def test_typing_extensions_can_still_be_imported_after_pathspec():
    out = _run("""
        from ssot_lsp.core.files import gitignore_spec
        gitignore_spec("*.pyc\\n")
        import typing_extensions
        print(typing_extensions.__name__)
    """)
    assert out == "typing_extensions"


def test_pathspec_after_typing_extensions_is_the_same_pathspec():
    out = _run("""
        import typing_extensions
        from ssot_lsp.core.files import gitignore_spec
        import pathspec
        print(type(gitignore_spec("*.pyc\\n")) is pathspec.GitIgnoreSpec)
    """)
    assert out == "True"


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_a_cold_check_of_a_tree_with_a_gitignore_never_imports_asyncio(tmp_path: Path, fmt: str):
    (tmp_path / ".gitignore").write_text("__pycache__/\n*.pyc\nbackups/\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "engine.py").write_text("class ExecutionEngine:\n    pass\n")
    (tmp_path / "app" / "use.py").write_text("from app.engine import ExecutionEngine\n\nengine = ExecutionEngine()\n")
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "ssot_lsp", "check", "--no-cache",
                           "--exit-zero", "--format", fmt, str(tmp_path)],
                          check=False, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "pathspec" in imported, "the walk read the .gitignore"
    assert "asyncio" not in imported
    assert "difflib" not in imported, "only a misspelt configuration key needs it"
    assert "ssot_lsp.core.findings_cache" not in imported, "--no-cache"
