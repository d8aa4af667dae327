"""`ssot-lsp serve --ws` / `--tcp`: a whole session over each network transport against the real
CLI in a subprocess, and the one-line errors (exit code 2) when a transport cannot start.

Framing (pygls 2): TCP carries the same ``Content-Length`` framed messages as stdio; a WebSocket
carries one JSON-RPC message per frame, without headers (pygls sends them as binary frames of
UTF-8 JSON and reads text and binary frames alike).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .helpers import SERVER_ENV, copy_demo, line_of, uri

pytestmark = pytest.mark.timeout(90)

LEGACY_FILE = "netra_backend/app/services/pipeline_runner.py"
LEGACY_IMPORT = "import netra_backend.app.agents.supervisor.execution_engine as ee"
STEP = 20  # seconds any one step of a session may take


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`python -m ssot_lsp serve ARGS` with its stderr in a file (never a pipe that could fill)."""

    def __init__(self, args: list[str], log_dir: Path, env: dict[str, str] | None = None) -> None:
        self.stderr_path = log_dir / "server-stderr.txt"
        with self.stderr_path.open("wb") as stderr:
            self.proc = subprocess.Popen([sys.executable, "-m", "ssot_lsp", "serve", *args],
                                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=stderr, env=env or SERVER_ENV)

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)


@pytest.fixture
def start_server(tmp_path: Path):
    servers: list[Server] = []

    def start(*args: str) -> Server:
        servers.append(Server(list(args), tmp_path))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


async def connect_with_retry(server: Server, opener, timeout: float = STEP):
    """Connect once the subprocess listens; fail early (with its stderr) if it died instead."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return await opener()
        except OSError:
            if server.proc.poll() is not None:
                raise AssertionError(f"server exited with {server.proc.returncode}: {server.stderr}") from None
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.05)


class TcpChannel:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        self.writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        await self.writer.drain()

    async def recv(self) -> dict:
        length = None
        while True:
            line = await self.reader.readline()
            if not line:
                raise ConnectionError("server closed the connection")
            if line == b"\r\n":
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        assert length is not None, "message without Content-Length"
        return json.loads(await self.reader.readexactly(length))

    async def wait_closed(self) -> None:
        assert await self.reader.read() == b""  # the server closes its side after `exit`
        self.writer.close()


class WsChannel:
    def __init__(self, connection) -> None:
        self.connection = connection

    async def send(self, message: dict) -> None:
        await self.connection.send(json.dumps(message))  # a text frame, as browser clients send

    async def recv(self) -> dict:
        return json.loads(await self.connection.recv())

    async def wait_closed(self) -> None:
        from websockets.exceptions import ConnectionClosedOK

        with pytest.raises(ConnectionClosedOK):  # the server closes the WebSocket after `exit`
            await self.connection.recv()


async def open_tcp(server: Server, port: int) -> TcpChannel:
    return TcpChannel(*await connect_with_retry(server, lambda: asyncio.open_connection("127.0.0.1", port)))


async def open_ws(server: Server, port: int) -> WsChannel:
    from websockets.asyncio.client import connect

    return WsChannel(await connect_with_retry(server, lambda: connect(f"ws://127.0.0.1:{port}",
                                                                      open_timeout=STEP)))


class Session:
    """A minimal LSP client over a channel: requests, notifications, waiting for a message."""

    def __init__(self, channel) -> None:
        self.channel = channel
        self.next_id = 0

    async def notify(self, method: str, params) -> None:
        await self.channel.send({"jsonrpc": "2.0", "method": method, "params": params})

    async def request(self, method: str, params=None):
        self.next_id += 1
        message = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            message["params"] = params
        await self.channel.send(message)
        answer = await self.wait_for(lambda m: m.get("id") == message["id"] and "method" not in m)
        assert "error" not in answer, answer
        return answer.get("result")

    async def wait_for(self, predicate, timeout: float = STEP) -> dict:
        async def loop():
            while True:
                message = await self.channel.recv()
                if "id" in message and "method" in message:  # a request from the server
                    items = (message.get("params") or {}).get("items")
                    await self.channel.send({"jsonrpc": "2.0", "id": message["id"],
                                             "result": [None] * len(items) if items is not None else None})
                if predicate(message):
                    return message

        return await asyncio.wait_for(loop(), timeout)


async def run_session(channel, root: Path) -> list[dict]:
    """initialize, initialized, didOpen of a file with a legacy import -> its diagnostics; then
    shutdown and exit. Returns the diagnostics published for the file."""
    session = Session(channel)
    folder = uri(root)
    result = await session.request("initialize", {
        "processId": None, "rootUri": folder, "workspaceFolders": [{"uri": folder, "name": root.name}],
        "capabilities": {"textDocument": {"publishDiagnostics": {}}}})
    assert "textDocumentSync" in result["capabilities"]
    await session.notify("initialized", {})
    path = root / LEGACY_FILE
    doc = uri(path)
    await session.notify("textDocument/didOpen", {"textDocument": {
        "uri": doc, "languageId": "python", "version": 1, "text": path.read_text(encoding="utf-8")}})
    published = await session.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                       and m["params"]["uri"] == doc
                                       and any(d.get("code") == "SSOT001" for d in m["params"]["diagnostics"]))
    assert await session.request("shutdown") is None
    await session.notify("exit", None)
    await asyncio.wait_for(channel.wait_closed(), STEP)
    return published["params"]["diagnostics"]


@pytest.mark.parametrize("transport", ["ws", "tcp"])
async def test_session_over_network_transport(transport: str, start_server, tmp_path: Path):
    root = copy_demo(tmp_path)
    port = free_port()
    server = start_server(f"--{transport}", f"127.0.0.1:{port}")
    channel = await (open_ws if transport == "ws" else open_tcp)(server, port)
    diagnostics = await run_session(channel, root)

    legacy_line = line_of(root / LEGACY_FILE, LEGACY_IMPORT)
    assert any(d["code"] == "SSOT001" and d["range"]["start"]["line"] == legacy_line for d in diagnostics), \
        diagnostics
    deadline = time.monotonic() + STEP
    while server.proc.poll() is None and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert server.proc.poll() == 0, f"server did not exit 0 after shutdown+exit: {server.stderr}"
    assert server.stderr == ""


def run_cli(args: list[str], env: dict[str, str] | None = None, python_args: list[str] | None = None):
    command = [sys.executable, *(python_args or ["-m", "ssot_lsp"]), *args]
    return subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          env=env or SERVER_ENV, timeout=30, check=False)


def assert_one_line_error(result, *needles: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ssot-lsp serve: "), result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert result.stdout == ""


@pytest.mark.parametrize("args", [["--ws", "nonsense"], ["--tcp", ":99999"], ["--tcp", "127.0.0.1:abc"],
                                  ["--ws", "127.0.0.1:"], ["--tcp", "127.0.0.1:0"], ["--tcp", ""]])
def test_bad_address_is_one_line_error(args: list[str]):
    assert_one_line_error(run_cli(["serve", *args]), args[0], "HOST:PORT")


@pytest.mark.parametrize("transport", ["tcp", "ws"])
def test_port_in_use_is_one_line_error(transport: str):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli(["serve", f"--{transport}", f"127.0.0.1:{port}"])
    assert_one_line_error(result, f"cannot listen on 127.0.0.1:{port}", "in use")


def test_missing_websockets_is_one_line_error():
    """As installed without websockets: the import fails (``sys.modules`` entry None)."""
    hide = ("import sys; sys.modules['websockets'] = None; from ssot_lsp.cli.main import main; "
            "raise SystemExit(main(sys.argv[1:]))")
    result = run_cli(["serve", "--ws", f"127.0.0.1:{free_port()}"], python_args=["-c", hide])
    assert_one_line_error(result, "'websockets'", "not installed", "pip install 'websockets>=13'")


def test_too_old_websockets_is_one_line_error(tmp_path: Path):
    """websockets < 13 has no ``websockets.asyncio`` API, which pygls's WebSocket server uses."""
    (tmp_path / "websockets").mkdir()
    (tmp_path / "websockets" / "__init__.py").write_text('__version__ = "12.0"\n')
    shadow = os.pathsep.join(filter(None, [str(tmp_path), SERVER_ENV.get("PYTHONPATH")]))
    env = {**SERVER_ENV, "PYTHONPATH": shadow}
    result = run_cli(["serve", "--ws", f"127.0.0.1:{free_port()}"], env=env)
    assert_one_line_error(result, "'websockets'", "too old (12.0)", "pip install 'websockets>=13'")


async def test_a_fix_all_cancelled_in_the_same_packet_edits_nothing(start_server, tmp_path: Path):
    """Over TCP a request and its ``$/cancelRequest`` read in one go reach the server before the
    command's coroutine has started: the request is answered cancelled and its work stops too."""
    root = copy_demo(tmp_path)
    port = free_port()
    tracer = f"{Path(__file__).parent / 'tracers.py'}:SlowScan"
    server = Server(["--tcp", f"127.0.0.1:{port}"], tmp_path, env={**SERVER_ENV, "SSOT_LSP_TRACER": tracer})
    try:
        channel = await open_tcp(server, port)
        session = Session(channel)
        folder = uri(root)
        await session.request("initialize", {"processId": None, "rootUri": folder, "capabilities": {},
                                             "workspaceFolders": [{"uri": folder, "name": root.name}]})
        await session.notify("initialized", {})
        frames = b""
        for message in ({"jsonrpc": "2.0", "id": "early", "method": "workspace/executeCommand",
                         "params": {"command": "ssot.fixAll"}},
                        {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": "early"}}):
            body = json.dumps(message).encode()
            frames += b"Content-Length: %d\r\n\r\n" % len(body) + body
        channel.writer.write(frames)
        await channel.writer.drain()
        answer = await session.wait_for(lambda m: m.get("id") == "early")
        assert answer.get("error", {}).get("code") == -32800, answer  # RequestCancelled
        await channel.send({"jsonrpc": "2.0", "id": "second", "method": "workspace/executeCommand",
                            "params": {"command": "ssot.fixAll"}})
        edits = 0
        while (message := await _answer_edits(session)).get("id") != "second":
            edits += message.get("method") == "workspace/applyEdit"
        assert edits == 1 and message["result"]["files"] >= 1, (edits, message)
    finally:
        server.stop()


async def _answer_edits(session: Session) -> dict:
    """The next message from the server; a ``workspace/applyEdit`` is answered as applied."""
    message = await asyncio.wait_for(session.channel.recv(), STEP)
    if message.get("method") == "workspace/applyEdit":
        await session.channel.send({"jsonrpc": "2.0", "id": message["id"], "result": {"applied": True}})
    return message
