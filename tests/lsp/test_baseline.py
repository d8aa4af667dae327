"""The workspace baseline (`ssot-lsp baseline`): the server reports only new violations, like `ssot-lsp check`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from lsprotocol import types

from .helpers import (
    change_doc,
    copy_demo,
    initialize,
    open_doc,
    uri,
    wait_for_diagnostics,
)

ROUTES = "netra_backend/app/routes/agent_routes.py"
NEW_VIOLATION = "from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine as Fresh\n"


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ssot_lsp", *args, "--no-cache", str(root)], cwd=root,
                          capture_output=True, text=True, check=True)


def _record_baseline(root: Path) -> Path:
    _cli(root, "baseline")
    path = root / ".ssot-baseline.json"
    assert path.is_file()
    return path


async def test_baselined_violations_are_not_reported_but_new_ones_are(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    _record_baseline(root)
    await initialize(client, root, options={"debounceMs": 0})
    doc = open_doc(client, root / ROUTES)
    assert await wait_for_diagnostics(client, doc) == []  # its 6 violations are all baselined
    change_doc(client, doc, 2, [(0, 0, 0, 0, NEW_VIOLATION)])
    diagnostics = await wait_for_diagnostics(client, doc, lambda d: len(d) > 0)
    assert [(str(d.code), d.range.start.line) for d in diagnostics] == [("SSOT001", 0)]


async def test_server_agrees_with_check_when_a_baseline_exists(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    _record_baseline(root)
    routes = root / ROUTES
    routes.write_text(NEW_VIOLATION + routes.read_text(encoding="utf-8"), encoding="utf-8")
    report = json.loads(_cli(root, "check", "--format", "json", "--exit-zero").stdout)
    expected = sorted((str((root / v["path"]).resolve()) if not Path(v["path"]).is_absolute() else v["path"],
                       v["code"], v["line"] - 1) for v in report["violations"])
    assert len(expected) == 1
    await initialize(client, root)
    listed = await client.workspace_execute_command_async(types.ExecuteCommandParams(command="ssot.listViolations"))
    assert sorted((str(Path(i["path"]).resolve()), i["code"], i["range"]["start"]["line"]) for i in listed) == expected


async def test_baseline_file_changes_are_picked_up(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    baseline = _record_baseline(root)
    await initialize(client, root, options={"debounceMs": 0})
    doc = open_doc(client, root / ROUTES)
    assert await wait_for_diagnostics(client, doc) == []
    baseline.unlink()
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=uri(baseline), type=types.FileChangeType.Deleted)]))
    assert len(await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)) == 6
    _record_baseline(root)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=uri(baseline), type=types.FileChangeType.Created)]))
    assert await wait_for_diagnostics(client, doc, lambda d: d == []) == []
