"""Pull diagnostics (clients with textDocument.diagnostic): result ids, workspace reports, refresh."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

from lsprotocol import types

from .helpers import (
    change_doc,
    copy_demo,
    expected_count,
    initialize,
    open_doc,
    uri,
    wait_until,
)

PIPELINE = "netra_backend/app/services/pipeline_runner.py"
ROUTES = "netra_backend/app/routes/agent_routes.py"


def _params(doc: str, previous: str | None = None):
    return types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=doc),
                                          previous_result_id=previous)


async def test_document_pull_returns_result_id_then_unchanged(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, profile="vscode-pull")
    doc = open_doc(client, root / PIPELINE)
    full = await client.text_document_diagnostic_async(_params(doc))
    assert full.kind == "full" and len(full.items) == 6 and full.result_id
    again = await client.text_document_diagnostic_async(_params(doc, full.result_id))
    assert again.kind == "unchanged" and again.result_id == full.result_id


async def test_every_document_version_gets_its_own_result_id(client, tmp_path: Path):
    """An edit that moves no finding still changes the report: its data names the new version, and
    a client that kept the old one as "unchanged" would hold diagnostics of a version gone."""
    root = copy_demo(tmp_path)
    await initialize(client, root, profile="vscode-pull")
    path = root / PIPELINE
    doc = open_doc(client, path)
    first = await client.text_document_diagnostic_async(_params(doc))
    below = len(path.read_text().split("\n")) - 1
    change_doc(client, doc, 2, [(below, 0, below, 0, "# tail\n")])
    second = await client.text_document_diagnostic_async(_params(doc, first.result_id))
    assert second.kind == "full" and second.result_id != first.result_id
    assert [d.range for d in second.items] == [d.range for d in first.items]
    assert {d.data["version"] for d in second.items} == {2}


async def test_pull_client_gets_no_pushed_diagnostics_for_open_documents(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, profile="vscode-pull")
    doc = open_doc(client, root / PIPELINE)
    report = await client.text_document_diagnostic_async(_params(doc))
    assert len(report.items) == 6
    # the server analyses on didOpen and on the pull, before answering: a push from either would
    # have been written before the answer; the index (complete before the open) pushes nothing later
    assert doc not in client.diagnostics
    change_doc(client, doc, 2, [(0, 0, 0, 0, "# edited\n")])
    again = await client.text_document_diagnostic_async(_params(doc))
    assert again.kind == "full" and len(again.items) == 6
    assert doc not in client.diagnostics


async def test_pull_reflects_unsaved_edits(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, profile="vscode-pull", options={"debounceMs": 5000})
    doc = open_doc(client, root / PIPELINE)
    change_doc(client, doc, 2, "import os\n")
    report = await client.text_document_diagnostic_async(_params(doc))
    assert list(report.items) == []


async def _pull_workspace(client, previous: dict[str, str] | None = None) -> dict[str, object]:
    ids = [types.PreviousResultId(uri=u, value=v) for u, v in (previous or {}).items()]
    report = await client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=ids))
    by_uri = {item.uri: item for item in report.items}
    assert len(by_uri) == len(report.items), "a file reported twice"
    return by_uri


def _ids(*reports: dict[str, object]) -> dict[str, str]:
    return {u: item.result_id for report in reports for u, item in report.items()}


async def test_workspace_pull_in_workspace_mode_reports_every_finding(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, profile="vscode-pull", options={"diagnosticMode": "workspace"})
    open_doc(client, root / PIPELINE)
    by_uri = await _pull_workspace(client)
    total = sum(len(item.items) for item in by_uri.values())
    assert total == expected_count(root)  # what `ssot-lsp check` finds: open and unopened files alike
    unopened = by_uri[uri(root / ROUTES)]
    assert unopened.version is None and len(unopened.items) == 6
    assert by_uri[uri(root / PIPELINE)].version == 1
    second = await _pull_workspace(client, _ids(by_uri))
    assert {i.kind for i in second.values()} == {"unchanged"}


async def test_workspace_pull_leaves_out_clean_files_the_client_holds_nothing_for(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, profile="vscode-pull", options={"diagnosticMode": "workspace"})
    by_uri = await _pull_workspace(client)
    assert by_uri and all(item.items for item in by_uri.values())
    assert uri(root / "netra_backend/app/agents/supervisor/user_execution_engine.py") not in by_uri


async def test_workspace_pull_sends_one_empty_report_for_a_file_that_became_clean(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, profile="vscode-pull", options={"diagnosticMode": "workspace"})
    first = await _pull_workspace(client)
    routes = uri(root / ROUTES)
    assert first[routes].items
    before = client.diagnostic_refresh_count
    (root / ROUTES).write_text("import os\n", encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=routes, type=types.FileChangeType.Changed)]))
    await wait_until(lambda: client.diagnostic_refresh_count > before, 5)
    second = await _pull_workspace(client, _ids(first))
    assert second[routes].kind == "full" and list(second[routes].items) == []
    third = await _pull_workspace(client, {**_ids(first), **_ids(second)})
    assert routes not in third


async def test_workspace_pull_in_open_files_mode_reports_open_documents_only(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, profile="vscode-pull", options={"diagnosticMode": "openFiles"})
    doc = open_doc(client, root / PIPELINE)
    by_uri = await _pull_workspace(client)
    assert list(by_uri) == [doc] and len(by_uri[doc].items) == 6


async def test_workspace_pull_in_open_files_mode_clears_a_closed_document(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, profile="vscode-pull", options={"diagnosticMode": "openFiles"})
    doc = open_doc(client, root / PIPELINE)
    first = await _pull_workspace(client)
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=doc)))
    second = await _pull_workspace(client, _ids(first))
    assert list(second) == [doc] and second[doc].kind == "full" and list(second[doc].items) == []


async def test_workspace_pull_clears_unopened_files_when_the_mode_becomes_open_files(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, profile="vscode-pull", options={"diagnosticMode": "workspace"})
    first = await _pull_workspace(client)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"ssotLsp": {"diagnosticMode": "openFiles"}}))
    await wait_until(lambda: client.diagnostic_refresh_count >= 2, 5)
    second = await _pull_workspace(client, _ids(first))
    assert set(second) == set(first) and all(list(item.items) == [] for item in second.values())


async def test_workspace_refresh_requested_when_cross_file_facts_change(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, profile="vscode-pull", options={"debounceMs": 0})
    await wait_until(lambda: client.diagnostic_refresh_count >= 1, 5)  # the index completed
    before = client.diagnostic_refresh_count
    compat = root / "netra_backend/app/compat.py"
    doc = open_doc(client, compat)
    await client.text_document_diagnostic_async(_params(doc))
    text = compat.read_text()
    change_doc(client, doc, 2, text.replace("LegacyEngine = ExecutionEngine\n", ""))
    await wait_until(lambda: client.diagnostic_refresh_count > before, 5)
    runner = open_doc(client, root / PIPELINE)
    report = await client.text_document_diagnostic_async(_params(runner))
    assert len(report.items) == 2  # LegacyEngine/OldEngine no longer resolve to the legacy engine


async def test_neovim_011_pulls_with_utf8(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    result = await initialize(client, root, profile="neovim-0.11")
    assert result.capabilities.diagnostic_provider.workspace_diagnostics is True
    doc = open_doc(client, root / PIPELINE)
    report = await client.text_document_diagnostic_async(_params(doc))
    assert len(report.items) == 6
    assert doc not in client.diagnostics


def _cli_items(root: Path, rel: str) -> list[tuple[str, int, int]]:
    """What `ssot-lsp check --format json` reports for one file: (code, line, column), 0-based."""
    out = subprocess.run([sys.executable, "-m", "ssot_lsp", "check", "--format", "json", "--no-cache",
                          "--exit-zero", str(root)], capture_output=True, text=True, check=True, cwd=root)
    report = json.loads(out.stdout)
    target = (root / rel).resolve()
    return sorted((v["code"], v["line"] - 1, v["column"] - 1) for v in report["violations"]
                  if (root / v["path"]).resolve() == target or Path(v["path"]).resolve() == target)


async def test_pull_without_refresh_support_waits_for_the_index(slow_index_client, tmp_path: Path):
    """Neovim 0.11 pulls but cannot be asked to pull again: its first pull must see the full index."""
    client = slow_index_client
    root = copy_demo(tmp_path)
    await initialize(client, root, profile="neovim-0.11", wait_index=False)
    assert client.capabilities.workspace.diagnostics is None  # no refreshSupport
    doc = open_doc(client, root / ROUTES)
    report = await asyncio.wait_for(client.text_document_diagnostic_async(_params(doc)), 25)
    got = sorted((str(d.code), d.range.start.line, d.range.start.character) for d in report.items)
    expected = _cli_items(root, ROUTES)
    assert len(expected) == 6 and got == expected
    assert client.diagnostic_refresh_count == 0


async def test_a_file_changed_on_disk_reports_names_the_migration_left_unbound(client, tmp_path: Path):
    """Files read from disk by the server record unbound uses of group names like `check` does (SSOT011)."""
    root = copy_demo(tmp_path)
    await initialize(client, root, profile="vscode-pull", options={"diagnosticMode": "workspace"})
    await wait_until(lambda: client.diagnostic_refresh_count >= 1, 5)  # the index completed
    renamed = root / "netra_backend/app/services/metrics.py"  # an existing file, not open
    renamed.write_text("from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine "
                       "as ExecutionEngine\n\n\ndef build(ctx, factory, emitter):\n"
                       "    return UserExecutionEngine(ctx, factory, emitter)\n", encoding="utf-8")
    before = client.diagnostic_refresh_count
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=uri(renamed), type=types.FileChangeType.Changed)]))
    await wait_until(lambda: client.diagnostic_refresh_count > before, 5)  # the new facts are in
    report = await client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[]))
    (item,) = [item for item in report.items if item.uri == uri(renamed)]
    assert sorted(str(d.code) for d in item.items) == ["SSOT008", "SSOT011"]


async def test_workspace_pull_after_indexing_sees_buffers_opened_during_the_index(slow_index_client, tmp_path: Path):
    """The scan's own findings answer the first pull, except where an open buffer shows other files
    something else than its disk text: here the buffer of compat.py drops the legacy aliases."""
    client = slow_index_client
    root = copy_demo(tmp_path)
    await initialize(client, root, profile="vscode-pull", options={"diagnosticMode": "workspace"},
                     wait_index=False)
    compat = root / "netra_backend/app/compat.py"
    open_doc(client, compat, text=compat.read_text().replace("LegacyEngine = ExecutionEngine\n", ""))
    by_uri = await _pull_workspace(client)  # answered once the index is complete
    assert len(by_uri[uri(root / PIPELINE)].items) == 2
