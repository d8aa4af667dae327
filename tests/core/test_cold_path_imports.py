"""What a cold `check` does not import: the fixer, the language server, the audit and their libraries
(libcst, jedi, lsprotocol, pygls: each import is paid on every run, before any work can start),
asyncio (pathspec is loaded without typing_extensions, whose
``deprecated`` imports it before Python 3.13: 20-40 ms of every cold `check` of a tree with a
.gitignore, before the walk can start), difflib (only a misspelt configuration key needs it) and,
with --no-cache, the findings cache and hashlib (OpenSSL: 3 ms before the first file is read)."""

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


def _cold_check(root: Path, fmt: str) -> tuple[str, set[str]]:
    """The report of ``check --no-cache`` of ``root``, and every module it imported."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "ssot_lsp", "check", "--no-cache",
                           "--exit-zero", "--format", fmt, str(root)],
                          check=False, capture_output=True, text=True, timeout=120, cwd=root)
    assert done.returncode == 0, done.stderr
    return done.stdout, {line.split("|")[-1].strip() for line in done.stderr.splitlines()
                         if line.startswith("import time:")}


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_a_cold_check_of_a_tree_with_a_gitignore_never_imports_asyncio(tmp_path: Path, fmt: str):
    (tmp_path / ".gitignore").write_text("__pycache__/\n*.pyc\nbackups/\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "engine.py").write_text("class ExecutionEngine:\n    pass\n")
    (tmp_path / "app" / "use.py").write_text("from app.engine import ExecutionEngine\n\nengine = ExecutionEngine()\n")
    _, imported = _cold_check(tmp_path, fmt)
    assert "pathspec" in imported, "the walk read the .gitignore"
    assert "asyncio" not in imported
    assert "difflib" not in imported, "only a misspelt configuration key needs it"
    assert "ssot_lsp.core.findings_cache" not in imported, "--no-cache"
    ours = imported - _interpreter_imports()
    assert "hashlib" not in ours, "--no-cache digests nothing, and hashlib loads OpenSSL before the first read"
    assert "traceback" not in ours, "only a forked reader that fails to send its exception formats one"


def _interpreter_imports() -> set[str]:
    """What the interpreter imports before running anything (site, .pth files of the environment)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "pass"], check=False, capture_output=True,
                          text=True, timeout=60)
    return {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}


# what only `fix`, `serve` and `audit` need; a cold check pays every import before it can start
NOT_FOR_CHECK = ("libcst", "jedi", "lsprotocol", "pygls", "cattrs", "ssot_lsp.fixes", "ssot_lsp.lsp", "ssot_lsp.audit",
                 "ssot_lsp.cli.fix", "ssot_lsp.cli.serve", "ssot_lsp.cli.audit", "ssot_lsp.cli.audit_history",
                 "ssot_lsp.cli.rule", "ssot_lsp.core.partial.fix_tree", "difflib", "subprocess", "concurrent.futures",
                 "multiprocessing", "logging")


@pytest.mark.parametrize("fmt", ["json", "text", "sarif"])
def test_a_cold_check_imports_nothing_only_fixes_the_server_or_the_audit_need(tmp_path: Path, fmt: str):
    (tmp_path / "pyproject.toml").write_text('[tool.ssot-lsp]\n[[tool.ssot-lsp.groups]]\nname = "engine"\n'
                                             'canonical = "app.engine:Engine"\nlegacy-modules = ["app.old"]\n')
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "engine.py").write_text("class Engine:\n    pass\n")
    (tmp_path / "app" / "old.py").write_text("class Engine:\n    pass\n")
    (tmp_path / "app" / "use.py").write_text("from app.old import Engine  # noqa: SSOT999\n\nengine = Engine()\n")
    report, imported = _cold_check(tmp_path, fmt)
    assert "SSOT" in report, "the check found the legacy import"
    assert "ssot_lsp.core.scan" in imported
    assert sorted(m for m in imported if m.startswith(NOT_FOR_CHECK)) == []
