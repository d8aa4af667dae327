from __future__ import annotations

from pathlib import Path

import pytest_lsp
from pytest_lsp import LanguageClient

from .helpers import CONFIG, server_config


async def _shutdown(client: LanguageClient) -> None:
    try:
        await client.shutdown_session()
    except Exception:  # noqa: BLE001 - some tests end the server themselves
        pass


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
