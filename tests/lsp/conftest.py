from __future__ import annotations

import asyncio
from pathlib import Path

import pytest_lsp
from pytest_lsp import LanguageClient

from .helpers import CONFIG, server_config

SHUTDOWN_SECONDS = 20


def _end_server(client: LanguageClient) -> None:
    server = client._server  # pytest-lsp's stop() only waits for the process to end by itself
    if server is not None and server.returncode is None:
        server.kill()


async def _shutdown(client: LanguageClient) -> None:
    """``shutdown``, ``exit``, and the server process ends; a server that does not end, or a fatal
    protocol error, fails the test. After a fatal error, or when the test failed before the session
    was initialized, pytest-lsp sends neither message and would wait for the process forever: the
    process is ended here instead of hanging the run."""
    try:
        await asyncio.wait_for(client.shutdown_session(), SHUTDOWN_SECONDS)
    except asyncio.TimeoutError:
        _end_server(client)
        raise AssertionError(f"the server did not exit within {SHUTDOWN_SECONDS} s of shutdown + exit") from None
    if client.error is not None or client.capabilities is None:
        # pytest-lsp sent neither message (a fatal error, or no session was initialized)
        _end_server(client)
    if client.error is not None:
        raise AssertionError(f"fatal protocol error between client and server: {client.error}")


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient):
    yield
    await _shutdown(lsp_client)


@pytest_lsp.fixture(config=server_config(SSOT_LSP_TRACER=f"{Path(__file__).parent / 'tracers.py'}:SlowScan"))
async def slow_index_client(lsp_client: LanguageClient):
    """A server whose first index takes at least 1.5 s (to observe work before it completes)."""
    yield
    await _shutdown(lsp_client)


@pytest_lsp.fixture(config=server_config(SSOT_LSP_JOBS="2"))
async def parallel_client(lsp_client: LanguageClient):
    """A server that scans with two worker processes (workspaces above the core's parallel threshold)."""
    yield
    await _shutdown(lsp_client)
