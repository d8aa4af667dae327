"""End-to-end: the VS Code extension (vscode-client) in real VS Code against the real server.

Runs ``vscode-client/e2e/run-e2e.mjs``: code-server 4.100.3 (installed in the cache by
``vscode-client/e2e/install-code-server.sh``) with the packaged extension, driven by
playwright-core in Debian's headless Chromium, on a copy of examples/migration-demo. The script
checks that the extension starts with the workspace (no file opened, also after a window reload),
that the status bar count and the tree's counts equal ``ssot_lsp check`` (before and after a fix),
the tree's collapsed rules and remembered expansion, the squiggle and the factory quick fix (saved
file checked), quick fixes still offered after an edit that moves no finding, a finding without a
quick fix whose "Suppress" action says why, the "current file" filter, a restart with a command
issued during it, and "SSOT: Show Output". The server is this checkout's (``server_python``), checked by the script.

Missing node, .vsix, code-server or Chromium skips with the reason, or fails under CI=true
(tests/editors/conftest.py). The test never installs anything: .ci/run builds the .vsix and
runs install-code-server.sh before pytest.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import require_editor
from .worktree_python import REPO as CHECKOUT
from .worktree_python import server_python  # noqa: F401 - fixture

pytestmark = pytest.mark.editor

REPO = Path(__file__).parents[2]
CLIENT = REPO / "vscode-client"
SCRIPT = CLIENT / "e2e" / "run-e2e.mjs"
CODE_SERVER_VERSION = "4.100.3"
E2E_TIMEOUT_S = 480          # the whole script (its own deadline is a little shorter)
E2E_DEADLINE_S = 420


def _cache() -> Path:
    return Path(os.environ.get("SSOT_E2E_CACHE") or Path.home() / ".cache" / "ssot-lsp-e2e")


def _vsix() -> Path:
    return Path(os.environ.get("SSOT_E2E_VSIX") or CLIENT / "ssot-lsp.vsix")


def _chromium() -> str:
    return os.environ.get("SSOT_E2E_CHROMIUM") or "/usr/bin/chromium"


def _check_prerequisites() -> str:
    what = f"VS Code (code-server {CODE_SERVER_VERSION})"
    node = shutil.which("node")
    if not node:
        require_editor(what, "node not found on PATH (Node 20: apt-get install -y nodejs)")
    vsix = _vsix()
    if not vsix.is_file():
        require_editor(what, f"{vsix} not built (cd vscode-client && npm ci && npm run build && npm run package)")
    cache = _cache()
    stamp = cache / f".installed-{CODE_SERVER_VERSION}"
    entry = cache / "node_modules" / "code-server" / "out" / "node" / "entry.js"
    playwright = cache / "node_modules" / "playwright-core" / "package.json"
    if not (stamp.is_file() and entry.is_file() and playwright.is_file()):
        require_editor(what, f"code-server {CODE_SERVER_VERSION} not installed in {cache} "
                             "(bash vscode-client/e2e/install-code-server.sh; SSOT_E2E_CACHE sets the folder)")
    chromium = _chromium()
    if not os.access(chromium, os.X_OK):
        require_editor(what, f"{chromium} not found (apt-get install -y chromium; SSOT_E2E_CHROMIUM sets the path)")
    return node


def test_activation_counts_tree_quick_fix_and_restart(tmp_path, server_python):
    node = _check_prerequisites()
    shots = Path(os.environ.get("SSOT_E2E_SCREENSHOTS") or tmp_path / "screenshots")
    env = {
        **os.environ,
        "SSOT_PYTHON": server_python,
        "SSOT_E2E_EXPECT_SERVER": str(CHECKOUT),
        "SSOT_E2E_CACHE": str(_cache()),
        "SSOT_E2E_VSIX": str(_vsix()),
        "SSOT_E2E_SCREENSHOTS": str(shots),
        "SSOT_E2E_DEADLINE_S": str(E2E_DEADLINE_S),
        "SSOT_E2E_NO_APT": "1",
    }
    started = time.monotonic()
    proc = subprocess.Popen([node, str(SCRIPT)], cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        output, _ = proc.communicate(timeout=E2E_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)   # the script stops code-server and Chromium on SIGTERM
        try:
            output, _ = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            output, _ = proc.communicate()
        pytest.fail(f"run-e2e.mjs did not finish in {E2E_TIMEOUT_S} s\n--- output ---\n{output}", pytrace=False)
    elapsed = time.monotonic() - started
    print(f"run-e2e.mjs: exit {proc.returncode} in {elapsed:.1f} s (screenshots in {shots})")
    if proc.returncode != 0:
        pytest.fail(f"run-e2e.mjs failed (exit {proc.returncode}, {elapsed:.1f} s)\n--- output ---\n{output}",
                    pytrace=False)
    assert "PASS (full)" in output, output
    for name in ("squiggle.png", "hover.png", "quickfix.png", "quickfix-no-fix.png", "tree.png",
                 "tree-current-file.png"):
        assert (shots / name).is_file(), f"{name} not written\n{output}"
