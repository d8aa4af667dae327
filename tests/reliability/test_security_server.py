"""Security through the editor path and the fixer: the server started as editors start it
(`python -I -m ssot_lsp serve`, cwd outside) opening a booby-trapped workspace runs none of its code;
`ssot-lsp fix` and the server's edits never write outside the workspace through symlinks."""

from __future__ import annotations

import os
import shutil
import subprocess

from lsprotocol import types

from ssot_reliability_support import DEMO, booby_trapped_workspace, lsp_session
from test_security import plant_malicious_cache

from tests.environment import isolated_ssot_lsp


async def test_server_opening_untrusted_workspace_runs_none_of_its_code(tmp_path):
    marker = tmp_path / "MARKER"
    ws = booby_trapped_workspace(tmp_path, marker)
    plant_malicious_cache(ws, marker)
    target = ws / "netra_backend" / "app" / "routes" / "agent_routes.py"
    async with lsp_session(ws, {"ssotLsp": {"debounceMs": 0, "diagnosticMode": "workspace"}}) as client:
        for path in (target, ws / "conftest.py", ws / "setup.py", ws / "ssot_lsp" / "__init__.py"):
            client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
                uri=path.as_uri(), language_id="python", version=1, text=path.read_text())))
        report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=target.as_uri())))
        assert any(d.code == "SSOT001" for d in report.items)
        for item in report.items[:3]:
            await client.text_document_hover_async(types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=target.as_uri()), position=item.range.start))
            await client.text_document_code_action_async(types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=target.as_uri()), range=item.range,
                context=types.CodeActionContext(diagnostics=[item])))
        await client.workspace_execute_command_async(types.ExecuteCommandParams(command="ssot.listViolations"))
        # answered once the new index is built and published
        await client.workspace_execute_command_async(types.ExecuteCommandParams(command="ssot.reindex"))
    assert not marker.exists(), f"workspace code ran in the server: {marker.read_text()}"


def _outside_fixture(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(DEMO, ws, ignore=shutil.ignore_patterns(".ssot-cache", "__pycache__"))
    outside = tmp_path / "outside"
    outside.mkdir()
    source = ws / "netra_backend" / "app" / "routes" / "agent_routes.py"
    victim = outside / "agent_routes_copy.py"
    victim.write_text(source.read_text())
    link = ws / "netra_backend" / "app" / "routes" / "linked_routes.py"
    link.symlink_to(victim)
    return ws, victim, link


def test_cli_fix_does_not_write_through_symlinks_out_of_the_workspace(tmp_path):
    ws, victim, link = _outside_fixture(tmp_path)
    before = victim.read_text()
    proc = subprocess.run(isolated_ssot_lsp("fix", "--unsafe-fixes", "--no-cache"), cwd=ws,
                          capture_output=True, text=True, timeout=120, env={**os.environ, "CI": "true"})
    assert "Traceback" not in proc.stderr, proc.stderr
    assert victim.read_text() == before, "a file outside the workspace was rewritten through a symlink"
    assert link.is_symlink(), "the symlink itself was replaced"
    # the workspace's own files were fixed (the command did work)
    assert (ws / "netra_backend" / "app" / "routes" / "agent_routes.py").read_text() != before


async def test_server_fix_all_does_not_edit_files_outside_the_workspace(tmp_path):
    ws, victim, link = _outside_fixture(tmp_path)
    edits: list = []
    async with lsp_session(ws, {"ssotLsp": {"debounceMs": 0}}) as client:
        @client.feature(types.WORKSPACE_APPLY_EDIT)
        def apply_edit(params: types.ApplyWorkspaceEditParams):
            edits.append(params.edit)
            return types.ApplyWorkspaceEditResult(applied=False)

        await client.workspace_execute_command_async(types.ExecuteCommandParams(
            command="ssot.fixAll", arguments=[{"unsafe": True}]))
    uris = set()
    for edit in edits:
        uris.update((edit.changes or {}).keys())
        for change in edit.document_changes or []:
            uri = getattr(getattr(change, "text_document", None), "uri", None)
            if uri:
                uris.add(uri)
    assert uris, "fixAll proposed nothing: scenario broken"
    bad = [u for u in uris if victim.as_uri() in u or link.as_uri() == u]
    assert not bad, f"edits for a file whose real path is outside the workspace: {bad}"
