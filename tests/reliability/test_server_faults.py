"""Server faults: broken configuration while running, malformed JSON-RPC, the client vanishing,
code actions for stale document versions."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess

import pytest
from lsprotocol import types

from ssot_reliability_support import DEMO, lsp_session, server_command, wait_for

GOOD = """\
[[groups]]
name = "engine"
canonical = "netra_backend.app.agents.supervisor.user_execution_engine:UserExecutionEngine"
legacy-modules = ["netra_backend.app.agents.supervisor.execution_engine"]
{extra}
"""
TARGET = "netra_backend/app/routes/agent_routes.py"


def _frame(payload: bytes) -> bytes:
    return b"Content-Length: " + str(len(payload)).encode() + b"\r\n\r\n" + payload


def _request(ident, method, params=None) -> bytes:
    return _frame(json.dumps({"jsonrpc": "2.0", "id": ident, "method": method, "params": params or {}}).encode())


def _spawn(tmp_path):
    return subprocess.Popen(server_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=tmp_path, env={k: v for k, v in os.environ.items() if not k.startswith("PYTHON")})


def _read_response(proc, ident) -> dict:
    """Read framed messages from the server's stdout until the response to request ``ident``."""
    while True:
        header = b""
        while not header.endswith(b"\r\n\r\n"):
            byte = proc.stdout.read(1)
            assert byte, f"the server closed stdout before answering request {ident}"
            header += byte
        length = int([h for h in header.split(b"\r\n") if h.lower().startswith(b"content-length")][0].split(b":")[1])
        message = json.loads(proc.stdout.read(length))
        if message.get("id") == ident and ("result" in message or "error" in message):
            return message


def _read_messages(data: bytes) -> list[dict]:
    out = []
    while b"\r\n\r\n" in data:
        header, _, rest = data.partition(b"\r\n\r\n")
        length = int([h for h in header.split(b"\r\n") if h.lower().startswith(b"content-length")][0].split(b":")[1])
        out.append(json.loads(rest[:length]))
        data = rest[length:]
    return out


@pytest.mark.parametrize("garbage", [
    b"{bad json",
    b'{"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": {"textDocument": 5}}',
    b'{"jsonrpc": "2.0", "id": 8, "method": "no/such/method", "params": {}}',
    b'[1, 2, 3]',
    b'"just a string"',
    b'{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": "file:///nope.py", '
    b'"version": 3}, "contentChanges": [{"range": {"start": {"line": -5, "character": 99999}, "end": {"line": 0, '
    b'"character": 0}}, "text": "x"}]}}',
    b"\xff\xfe\x00 not utf-8",
])
def test_malformed_json_rpc_answers_error_without_traceback(tmp_path, garbage):
    proc = _spawn(tmp_path)
    try:
        init = {"processId": None, "rootUri": DEMO.as_uri(), "capabilities": {},
                "initializationOptions": {"ssotLsp": {"debounceMs": 0}}}
        proc.stdin.write(_request(1, "initialize", init))
        proc.stdin.write(_frame(b'{"jsonrpc": "2.0", "method": "initialized", "params": {}}'))
        proc.stdin.write(_frame(garbage))
        proc.stdin.write(_request(2, "shutdown"))
        proc.stdin.write(_frame(b'{"jsonrpc": "2.0", "method": "exit"}'))
        proc.stdin.flush()
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    messages = _read_messages(out)
    answered = {m.get("id") for m in messages if "result" in m or "error" in m}
    assert 1 in answered and 2 in answered, messages
    for ident in (7, 8):
        if str(ident).encode() in garbage and b'"id"' in garbage:
            assert any(m.get("id") == ident and "error" in m for m in messages), messages
    assert b"Traceback" not in err, err.decode(errors="replace")
    assert proc.returncode == 0


@pytest.mark.parametrize("when", ["before-initialize", "after-initialize", "mid-message"])
def test_client_disappears_server_exits_cleanly(tmp_path, when):
    proc = _spawn(tmp_path)
    try:
        if when != "before-initialize":
            proc.stdin.write(_request(1, "initialize", {"processId": None, "rootUri": DEMO.as_uri(),
                                                          "capabilities": {}}))
            proc.stdin.write(_frame(b'{"jsonrpc": "2.0", "method": "initialized", "params": {}}'))
            proc.stdin.flush()
            _read_response(proc, 1)  # the server is serving when the client goes away
        if when == "mid-message":
            proc.stdin.write(b"Content-Length: 500\r\n\r\n{\"jsonrpc\": \"2.0\", \"id\": 3, \"meth")
        proc.stdin.flush()
        _, err = proc.communicate(timeout=30)  # closes stdin
    finally:
        if proc.poll() is None:
            proc.kill()
    assert b"Traceback" not in err, err.decode(errors="replace")
    assert proc.returncode == 0, err.decode(errors="replace")


def _workspace_with_config(tmp_path, extra=""):
    ws = tmp_path / "ws"
    shutil.copytree(DEMO, ws, ignore=shutil.ignore_patterns(".ssot-cache", "__pycache__"))
    (ws / "ssot-lsp.toml").write_text(GOOD.format(extra=extra), encoding="utf-8")
    return ws


# a client that watches files for the server (as VS Code does): the server registers watchers instead
# of polling the disk, so the change notifications a test sends are all the changes the server sees
_WATCHING_CLIENT = types.ClientCapabilities(
    general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16]),
    text_document=types.TextDocumentClientCapabilities(diagnostic=types.DiagnosticClientCapabilities(),
                                                       hover=types.HoverClientCapabilities()),
    workspace=types.WorkspaceClientCapabilities(
        configuration=True, workspace_folders=True,
        did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True)))


# a client that resolves code action edits lazily (codeAction/resolve), as VS Code does
_RESOLVING_CLIENT = types.ClientCapabilities(
    general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16]),
    text_document=types.TextDocumentClientCapabilities(
        diagnostic=types.DiagnosticClientCapabilities(),
        code_action=types.CodeActionClientCapabilities(
            code_action_literal_support=types.ClientCodeActionLiteralOptions(
                code_action_kind=types.ClientCodeActionKindOptions(value_set=["quickfix", "source"])),
            resolve_support=types.ClientCodeActionResolveOptions(properties=["edit"]))),
    workspace=types.WorkspaceClientCapabilities(configuration=True, workspace_folders=True, apply_edit=True))


async def _codes(client, uri):
    report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))
    return sorted(str(d.code) for d in report.items)


async def test_config_becomes_invalid_toml_then_repaired(tmp_path):
    ws = _workspace_with_config(tmp_path)
    config = ws / "ssot-lsp.toml"
    target = ws / TARGET
    async with lsp_session(ws, capabilities=_WATCHING_CLIENT) as client:
        assert await wait_for(lambda: client.registrations, 10), "no file watchers registered: the server polls"
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=target.as_uri(), language_id="python", version=1, text=target.read_text())))
        before = await _codes(client, target.as_uri())
        assert "SSOT001" in before, before

        def changed():
            client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
                types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]))

        messages_before = len(client.messages)
        config.write_text("[[groups]\nname = ", encoding="utf-8")  # invalid TOML
        changed()
        assert await wait_for(lambda: len(client.messages) > messages_before, 15), "no showMessage for a broken config"
        await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=target.as_uri()), position=types.Position(line=0, character=0)))
        changed()  # a second change to the same broken file: still one message
        await _codes(client, target.as_uri())  # answered after the change was handled (in order)
        new = [m for m in client.messages[messages_before:]]
        assert len(new) == 1, [m.message for m in new]
        assert "ssot-lsp.toml" in new[0].message and "TOML" in new[0].message, new[0].message
        assert new[0].type in (types.MessageType.Error, types.MessageType.Warning)
        assert await _codes(client, target.as_uri()) == before, "the last good configuration must stay in force"

        config.write_text(GOOD.format(extra='[severity]\nSSOT001 = "off"\n'), encoding="utf-8")  # repaired, new
        changed()
        after = await _codes(client, target.as_uri())
        for _ in range(40):
            if "SSOT001" not in after:
                break
            await asyncio.sleep(0.25)
            after = await _codes(client, target.as_uri())
        assert "SSOT001" not in after and after, f"repaired configuration not applied: {after}"


async def test_code_action_for_stale_version_is_refused(tmp_path):
    ws = _workspace_with_config(tmp_path)
    (ws / "ssot-lsp.toml").unlink()  # the built-in profile: it knows the factory, so fixes exist
    target = ws / TARGET
    uri = target.as_uri()
    text = target.read_text()
    async with lsp_session(ws, capabilities=_RESOLVING_CLIENT) as client:
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=uri, language_id="python", version=1, text=text)))
        report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
        # constructions: each has a quick fix of its own (the import fixes rewrite them all: fix-all only)
        diagnostics = [d for d in report.items if d.code == "SSOT002"][:1]
        assert diagnostics
        fresh = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=diagnostics[0].range,
            context=types.CodeActionContext(diagnostics=diagnostics)))
        fresh_fixes = [a for a in fresh or [] if isinstance(a, types.CodeAction) and "uppress" not in a.title]
        assert fresh_fixes, "precondition: the current version offers a fix"
        deferred = [a for a in fresh if isinstance(a, types.CodeAction) and a.edit is None and a.data is not None]
        assert deferred, "precondition: the suppression and fix-all actions are resolved later"
        # the document moves on (version 2: two lines inserted at the top), the client still holds v1's diagnostics
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
                text="# \U0001f600 moved\n# again\n")]))
        stale = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=diagnostics[0].range,
            context=types.CodeActionContext(diagnostics=diagnostics)))
        edits = []
        for action in stale or []:
            if not isinstance(action, types.CodeAction):
                continue
            if action.edit is None and action.data is not None:
                action = await client.code_action_resolve_async(action)
            if action.edit is not None and (action.edit.changes or action.edit.document_changes):
                edits.append(action.title)
        assert not edits, f"edits offered for diagnostics of a stale version: {edits}"
        # resolving an action created for v1 after the change produces no edit either
        for action in deferred:
            resolved = await client.code_action_resolve_async(action)
            assert resolved.edit is None or not (resolved.edit.changes or resolved.edit.document_changes), \
                f"stale resolve produced an edit: {resolved.title}"
