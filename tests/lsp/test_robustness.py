"""Robustness: failures are contained, the process exits cleanly, workspace code never runs."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

from lsprotocol import types

from .helpers import (
    SERVER_ENV,
    copy_demo,
    expected_count,
    initialize,
    open_doc,
    wait_for_diagnostics,
)


async def test_failing_handler_answers_and_server_keeps_running(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root)
    doc = open_doc(client, root / "netra_backend/app/services/pipeline_runner.py")
    broken = types.CodeAction(title="x", data={"kind": "suppress", "uri": doc, "version": 1,
                                               "code": "SSOT001", "span": "not a span"})
    resolved = await client.code_action_resolve_async(broken)
    assert resolved.title == "x"
    bad_range = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=doc),
        range=types.Range(start=types.Position(line=10**6, character=10**6), end=types.Position(line=10**6, character=0)),
        context=types.CodeActionContext(diagnostics=[]))
    actions = await client.text_document_code_action_async(bad_range)
    assert [a.kind for a in actions] == ["source.fixAll.ssot"]  # answered in full: only the file-level action
    await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    assert not [m for m in client.messages if m.type == types.MessageType.Error]  # no error dialog
    assert any("failed" in m.message for m in client.log_messages)  # but a log entry


def _frame(payload: dict) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"processId": None, "rootUri": None, "capabilities": {}}}


def test_server_exits_cleanly_when_stdin_closes():
    proc = subprocess.Popen([sys.executable, "-m", "ssot_lsp", "serve"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=SERVER_ENV)
    proc.stdin.write(_frame(INITIALIZE))
    proc.stdin.flush()
    proc.stdout.read(20)  # the start of the initialize response
    proc.stdin.close()
    assert proc.wait(timeout=10) == 0
    assert proc.stderr.read() == b""


def test_tcp_transport_answers_initialize(tmp_path: Path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "ssot_lsp", "serve", "--tcp", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=SERVER_ENV)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                conn = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        with conn:
            conn.sendall(_frame(INITIALIZE))
            data = b""
            while b'"capabilities"' not in data:
                chunk = conn.recv(65536)
                assert chunk, "connection closed"
                data += chunk
        assert b'"positionEncoding"' in data
    finally:
        proc.kill()
        proc.wait()


async def test_workspace_code_is_never_executed(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    marker = tmp_path / "EXECUTED"
    payload = f"open({str(marker)!r}, 'w').write('x')\n"
    canonical = root / "netra_backend/app/agents/supervisor/user_execution_engine.py"
    canonical.write_text(payload + canonical.read_text())
    (root / "netra_backend/app/__init__.py").write_text(payload)
    await initialize(client, root, options={"diagnosticMode": "workspace"})
    doc = open_doc(client, root / "netra_backend/app/services/pipeline_runner.py")
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    target = next(d for d in diags if d.code == "SSOT002")
    await client.text_document_hover_async(types.HoverParams(  # hover may consult jedi (static only)
        text_document=types.TextDocumentIdentifier(uri=doc), position=target.range.start))
    # answered once the whole workspace is indexed: both files were read and analysed by then
    listed = await client.workspace_execute_command_async(types.ExecuteCommandParams(command="ssot.listViolations"))
    assert len(listed) == expected_count(root)
    assert not marker.exists()
