"""The tracing hook: what instrumentation (benchmarks, memory investigations) can rely on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from .helpers import SERVER_ENV, change_doc, copy_demo, initialize, open_doc, server_config, wait_for_diagnostics

TRACERS = Path(__file__).parent / "tracers.py"
TRACE = Path(tempfile.gettempdir()) / f"ssot-lsp-test-trace-{os.getpid()}.jsonl"
PIPELINE = "netra_backend/app/services/pipeline_runner.py"


@pytest_lsp.fixture(config=server_config(SSOT_LSP_TRACER=f"{TRACERS}:Recording", SSOT_TEST_TRACE=str(TRACE)))
async def traced(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=server_config(SSOT_LSP_TRACER=f"{TRACERS}:Broken"))
async def broken_tracer(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


def _events() -> list[dict]:
    return [json.loads(line) for line in TRACE.read_text(encoding="utf-8").splitlines()]


async def test_a_tracer_sees_each_edit_from_its_arrival_to_its_diagnostics(traced, tmp_path: Path):
    TRACE.unlink(missing_ok=True)
    client = traced
    root = copy_demo(tmp_path)
    await initialize(client, root, options={"debounceMs": 0})
    doc = open_doc(client, root / PIPELINE)
    await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    change_doc(client, doc, 2, [(0, 0, 0, 0, "# edited\n")])
    await wait_for_diagnostics(client, doc, lambda d: d and d[0].data["version"] == 2)
    events = _events()
    hooks = [e["hook"] for e in events]
    assert hooks[0] == "server_started" and {"scan_started", "index_built"} <= set(hooks)
    change = hooks.index("message_received", next(i for i, e in enumerate(events)
                                                  if e.get("method") == types.TEXT_DOCUMENT_DID_CHANGE))
    after = [(e["hook"], e.get("version")) for e in events[change:] if e.get("uri", doc) == doc]
    assert after[:3] == [("message_received", 2), ("document_analysed", 2), ("diagnostics_published", 2)]
    published = next(e for e in events[change:] if e["hook"] == "diagnostics_published")
    assert published["count"] == 6


async def test_a_failing_tracer_is_turned_off_and_the_server_keeps_working(broken_tracer, tmp_path: Path):
    client = broken_tracer
    root = copy_demo(tmp_path)
    await initialize(client, root)
    doc = open_doc(client, root / PIPELINE)
    assert len(await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)) == 6
    assert [m.message for m in client.log_messages if "tracer hook" in m.message] == [
        "tracer hook message_received failed (RuntimeError: broken tracer); tracing is off"]


def test_a_tracer_that_cannot_be_loaded_stops_serve_with_one_line(tmp_path: Path):
    env = {**SERVER_ENV, "SSOT_LSP_TRACER": f"{tmp_path / 'missing.py'}:Tracer"}
    run = subprocess.run([sys.executable, "-m", "ssot_lsp", "serve"], env=env, capture_output=True, text=True,
                         timeout=30, stdin=subprocess.DEVNULL, check=False)
    assert run.returncode == 2
    assert run.stderr.startswith("ssot-lsp serve: SSOT_LSP_TRACER=") and run.stderr.count("\n") == 1
