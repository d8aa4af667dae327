"""workspace/executeCommand ssot.audit: the audit report of a workspace folder, as the CLI prints it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from lsprotocol import types

from .helpers import copy_demo, initialize, open_doc, uri, wait_for_diagnostics

LEGACY_LINES = ("from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine\n\n\n"
                "def build_engine():\n    return ExecutionEngine()\n")


def _audit(client, argument: dict | None = None):
    return client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="ssot.audit", arguments=[argument] if argument else None))


def cli_audit(root: Path) -> dict:
    run = subprocess.run([sys.executable, "-m", "ssot_lsp", "audit", "--format", "json"], cwd=root,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def comparable(report: dict) -> dict:
    return {key: report[key] for key in ("kind", "schema_version", "groups", "codes", "totals", "symbols",
                                         "directories", "broken", "baseline")}


async def test_the_report_equals_the_cli_audit_of_the_same_tree(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root)
    report = await _audit(client)
    assert report["kind"] == "audit" and report["totals"]["sites"] > 0
    assert comparable(report) == comparable(cli_audit(root))


async def test_an_open_buffer_counts_as_it_is_not_as_on_disk(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root)
    before = await _audit(client)
    target = root / "netra_backend/app/services/extra_builder.py"
    target.write_text("", encoding="utf-8")
    doc = open_doc(client, target, text=LEGACY_LINES)  # unsaved: the disk has an empty file
    await wait_for_diagnostics(client, doc, lambda d: len(d) >= 2)
    after = await _audit(client)
    assert after["totals"]["sites"] == before["totals"]["sites"] + 2
    rows = {row["subject"]: row for row in after["symbols"]}
    old = {row["subject"]: row for row in before["symbols"]}
    engine = "netra_backend.app.agents.supervisor.execution_engine:ExecutionEngine"
    assert rows[engine]["sites"] == old[engine]["sites"] + 2


async def test_with_a_baseline_findings_are_remaining_and_a_new_one_is_new(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    recorded = subprocess.run([sys.executable, "-m", "ssot_lsp", "baseline"], cwd=root, capture_output=True,
                              text=True, check=False)
    assert recorded.returncode == 0, recorded.stderr
    await initialize(client, root)
    doc = open_doc(client, root / "netra_backend/app/services/extra_builder.py", text=LEGACY_LINES)
    await wait_for_diagnostics(client, doc, lambda d: len(d) >= 2)
    report = await _audit(client)
    baseline = report["baseline"]
    assert baseline["new"] == 2 and baseline["fixed"] == 0
    assert baseline["remaining"] == report["totals"]["sites"] - 2
    assert {site["path"] for site in baseline["new_sites"]} == {"netra_backend/app/services/extra_builder.py"}


async def test_depth_and_a_uri_outside_every_folder(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root)
    deeper = await _audit(client, {"uri": uri(root), "depth": 2})
    assert deeper["directories"]["depth"] == 2
    assert any(row["directory"].count("/") == 1 for row in deeper["directories"]["rows"])
    elsewhere = await _audit(client, {"uri": uri(tmp_path / "elsewhere" / "x.py")})
    assert elsewhere["kind"] == "audit-unavailable" and "no workspace folder contains" in elsewhere["message"]


async def test_the_html_page_is_the_one_the_cli_writes(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root)
    page = await _audit(client, {"format": "html"})
    assert page["kind"] == "audit-html"
    out = tmp_path / "audit.html"
    run = subprocess.run([sys.executable, "-m", "ssot_lsp", "audit", "--format", "html", "-o", str(out)], cwd=root,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    # the same page but for the file counts (the CLI also counts files it could not read)
    meta = re.compile(r'<p class="meta">.*?</p>')
    assert meta.sub("", page["html"]) == meta.sub("", out.read_text(encoding="utf-8"))
    assert "By group and symbol" in page["html"]
