"""Code health the CI enforces: every function of ``ssot_lsp/`` is annotated and type-checks, and no
product function is longer than 80 lines (except declarative wiring, listed below with the reason)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "ssot_lsp"
MAX_FUNCTION_LINES = 80
# declarative wiring allowed to be longer, as (path, function); none needed now: the server's
# handlers (ssot_lsp/lsp/handlers.py) are registered in short groups
WIRING: set[tuple[str, str]] = set()


def test_the_package_passes_mypy_with_untyped_definitions_disallowed():
    """mypy's settings live in pyproject.toml ([tool.mypy]: disallow_untyped_defs and friends)."""
    run = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", "/dev/null", "ssot_lsp"],
                         cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Success: no issues found" in run.stdout


def long_functions(root: Path, base: Path = REPO) -> list[str]:
    """``path:line name (N lines)`` of every function under ``root`` longer than the limit."""
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(base).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (rel, node.name) not in WIRING:
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                length = (node.end_lineno or node.lineno) - first + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(f"{rel}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_no_product_function_is_longer_than_80_lines():
    assert long_functions(PACKAGE) == []


def test_the_length_check_sees_a_long_function(tmp_path):
    module = tmp_path / "long.py"
    module.write_text("def long():\n" + "    x = 1\n" * MAX_FUNCTION_LINES, encoding="utf-8")
    (found,) = long_functions(tmp_path, tmp_path)
    assert found == "long.py:1 long (81 lines)"
