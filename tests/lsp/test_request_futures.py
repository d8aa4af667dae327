"""The server keeps no per-message state once a message (or a progress) is handled.

pygls 2.1 registers the future of every notification run by a generator handler (didOpen,
didChange, didClose, $/setTrace ...) or an ``async`` handler in ``_request_futures`` under a
fresh uuid and only removes entries of answered requests: one ``concurrent.futures.Future`` per
keystroke stayed alive, which was the whole RSS growth of ``benchmarks/bench_load.py`` (+90 %
over 20,000 edits). ``SsotProtocol`` drops a future when it completes.
"""

from __future__ import annotations

import asyncio
import json

from ssot_lsp.lsp.client import Progress
from ssot_lsp.lsp.handlers import create_server


class _Writer:
    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.sent.append(data)

    def close(self) -> None:
        pass


def _feed(protocol, payload: dict) -> None:
    message = json.loads(json.dumps({"jsonrpc": "2.0", **payload}), object_hook=protocol.structure_message)
    protocol.handle_message(message)


def test_handled_notifications_and_requests_leave_no_future_behind():
    server = create_server()
    protocol = server.protocol
    writer = _Writer()
    protocol.set_writer(writer)
    uri = "file:///nowhere/not_open.py"

    async def scenario() -> None:
        _feed(protocol, {"id": "init", "method": "initialize", "params": {"capabilities": {}}})
        for version in range(200):
            _feed(protocol, {"method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                              "end": {"line": 0, "character": 0}}, "text": "x"}]}})
        _feed(protocol, {"method": "$/setTrace", "params": {"value": "off"}})
        _feed(protocol, {"method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}})
        for msg_id in range(5):
            _feed(protocol, {"id": msg_id, "method": "textDocument/diagnostic",
                             "params": {"textDocument": {"uri": uri}}})
        for _ in range(50):  # let the async handlers finish
            await asyncio.sleep(0.01)
            if not protocol._request_futures:
                break

    asyncio.run(scenario())
    assert protocol._request_futures == {}
    answered = [json.loads(chunk.split(b"\r\n\r\n", 1)[1]) for chunk in writer.sent]
    assert sorted(m["id"] for m in answered if isinstance(m.get("id"), int)) == list(range(5))
    assert all("error" not in m for m in answered), answered


def test_ended_progress_leaves_no_token_behind():
    # pygls keeps every token it began in work_done_progress.tokens; an indexing run or a fix-all
    # would add one each for the life of the server
    server = create_server()
    writer = _Writer()
    server.protocol.set_writer(writer)
    from lsprotocol import types

    for run in range(3):
        token = f"ssot-index-{run}"
        server.work_done_progress.begin(token, types.WorkDoneProgressBegin(title="SSOT: indexing workspace"))
        Progress(server.session.client, token).end("done")
    assert server.work_done_progress.tokens == {}
    ends = [json.loads(chunk.split(b"\r\n\r\n", 1)[1]) for chunk in writer.sent]
    assert [m["params"]["value"]["kind"] for m in ends if m.get("method") == "$/progress"] == ["begin", "end"] * 3
