"""The HTML report in a real browser: headless Chromium (playwright-core) renders its charts and
tables, logs no console error or warning, raises no page error and requests nothing but the file.

Needs node, playwright-core (installed by ``vscode-client/e2e/install-code-server.sh`` into
``~/.cache/ssot-lsp-e2e``) and Chromium: skipped with the reason when one is missing, failed under
CI=true (tests/editors/conftest.py).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.audit.conftest import History
from tests.audit.test_history_matches_check import build
from tests.cli.conftest import run_ssot
from tests.editors.conftest import require_editor

pytestmark = pytest.mark.editor

CHECK = Path(__file__).with_name("chromium_check.mjs")


def open_in_chromium(page: Path, screenshot: Path | None = None) -> dict:
    node = shutil.which("node")
    cache = Path(os.environ.get("SSOT_E2E_CACHE") or Path.home() / ".cache" / "ssot-lsp-e2e")
    chromium = os.environ.get("SSOT_E2E_CHROMIUM") or "/usr/bin/chromium"
    if node is None:
        require_editor("Chromium", "node not found on PATH")
    if not (cache / "node_modules" / "playwright-core" / "package.json").is_file():
        require_editor("Chromium", f"playwright-core not installed in {cache} (bash vscode-client/e2e/install-code-server.sh)")
    if not os.access(chromium, os.X_OK):
        require_editor("Chromium", f"{chromium} not found (apt-get install -y chromium)")
    args = [node, str(CHECK), str(page)] + ([str(screenshot)] if screenshot else [])
    run = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_the_history_report_renders_charts_and_tables_without_console_errors(history: History, tmp_path: Path):
    build(history, tmp_path)
    page = tmp_path / "history.html"
    assert run_ssot("audit", "--history", "main", "--format", "html", "-o", str(page), cwd=history.repo).returncode == 0
    shot = tmp_path / "history.png"
    seen = open_in_chromium(page, shot)
    assert seen["console"] == [] and seen["pageErrors"] == [] and seen["requests"] == []
    labels = [c["label"] for c in seen["charts"]]
    assert labels == ["Findings per group, stacked", "Findings per rule, stacked"]
    assert all(c["shapes"] > 0 and c["width"] > 400 for c in seen["charts"])
    assert len(seen["tables"]) >= 4 and seen["tables"][0] == 7  # one row per commit
    assert shot.stat().st_size > 10_000


def test_the_audit_report_renders_without_console_errors(history: History, tmp_path: Path):
    build(history, tmp_path)
    page = tmp_path / "audit.html"
    assert run_ssot("audit", "--format", "html", "-o", str(page), cwd=history.repo).returncode == 0
    seen = open_in_chromium(page)
    assert seen["console"] == [] and seen["pageErrors"] == [] and seen["requests"] == []
    assert [c["label"] for c in seen["charts"]][:1] == ["Findings per group, by rule"]
    assert all(c["shapes"] > 0 for c in seen["charts"])


def test_the_check_sees_console_errors_and_requests(tmp_path: Path):
    """The checker itself: a page with a console error, a script error and a request is reported."""
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html><body><img src="https://cdn.example.org/x.png">'
                    '<script>console.error("boom"); missing();</script></body></html>', encoding="utf-8")
    seen = open_in_chromium(page)
    assert any("boom" in line for line in seen["console"])
    assert any("missing" in error for error in seen["pageErrors"])
    assert seen["requests"] == ["https://cdn.example.org/x.png"]
