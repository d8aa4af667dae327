"""ssot_lsp/config/ is fully annotated: mypy --disallow-untyped-defs passes on it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_configuration_package_passes_mypy_with_untyped_defs_disallowed():
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--disallow-untyped-defs", "--cache-dir", "/dev/null", "ssot_lsp/config"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
