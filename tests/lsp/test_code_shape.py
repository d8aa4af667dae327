"""The server's code keeps its shape: fully annotated (mypy), no function longer than a screen."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SERVER_CODE = ["ssot_lsp/lsp", "ssot_lsp/cli/serve.py"]
LONGEST = 80  # lines; declarative wiring (handlers.py registers one handler after another) is split too


def test_server_passes_mypy_with_untyped_defs_disallowed():
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--disallow-untyped-defs", "--cache-dir", "/dev/null", *SERVER_CODE],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def test_no_server_function_is_longer_than_80_lines():
    files = [p for entry in SERVER_CODE for p in ((REPO / entry).rglob("*.py") if (REPO / entry).is_dir()
                                                   else [REPO / entry])]
    long = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno is not None:
                if node.end_lineno - node.lineno + 1 > LONGEST:
                    long.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name}")
    assert files and not long, long
