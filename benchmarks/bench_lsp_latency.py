"""Keystroke latency of the language server: didChange received -> its diagnostics sent.

Runs `ssot-lsp serve` with ``debounceMs=0`` and ``SSOT_LSP_TIMINGS=<file>`` (the server appends
``uri version t_received t_published`` per published version), applies 200 single-character
edits to a generated file of >= 4,000 lines full of legacy usages inside a copy of the demo
workspace, and compares p50/p95 with ``ast.parse`` of the same text measured in this process.

    python benchmarks/bench_lsp_latency.py [--edits 200] [--lines 4000]
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "migration-demo"

HEADER = '''"""Generated module with many legacy engine usages."""
import netra_backend.app.agents.supervisor.execution_engine as ee
from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine
from netra_backend.app.compat import LegacyEngine

'''

BLOCK = '''

async def job_{n}(registry, bridge, ctx, value={n}):
    """Job {n}."""
    engine = ExecutionEngine(registry, bridge, user_context=ctx)
    other = ee.ExecutionEngine(registry, bridge, user_context=ctx)
    result = await engine.execute_agent("step_{n}", {{"value": value, "other": other}})
    if result and value % 3 == 0:
        return [item for item in result if item is not None]
    return LegacyEngine
'''


def generate(lines: int) -> str:
    parts = [HEADER]
    n = 0
    while sum(p.count("\n") for p in parts) < lines:
        parts.append(BLOCK.format(n=n))
        n += 1
    return "".join(parts)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


async def run(edits: int, lines: int) -> int:
    work = Path(tempfile.mkdtemp(prefix="ssot-bench-"))
    try:
        root = work / "demo"
        shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns("__pycache__", ".ssot-cache"))
        path = root / "netra_backend/app/services/generated_jobs.py"
        text = generate(lines)
        path.write_text(text, encoding="utf-8")
        timings = work / "timings.txt"
        env = {**os.environ, "SSOT_LSP_TIMINGS": str(timings)}

        client = LanguageClient("bench", "1")
        published: dict[int, asyncio.Event] = {}
        counts: dict[int, int] = {}

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_publish(ls, params: types.PublishDiagnosticsParams):
            counts[params.version] = len(params.diagnostics)
            published.setdefault(params.version, asyncio.Event()).set()

        @client.feature(types.WINDOW_LOG_MESSAGE)
        def on_log(ls, params):
            pass

        @client.feature(types.WINDOW_WORK_DONE_PROGRESS_CREATE)
        def on_progress_create(ls, params):
            return None

        @client.feature(types.PROGRESS)
        def on_progress(ls, params):
            pass

        await client.start_io(sys.executable, "-m", "ssot_lsp", "serve", env=env)
        await client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(window=types.WindowClientCapabilities(work_done_progress=False)),
            root_uri=from_fs_path(str(root)),
            workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(root)), name="demo")],
            initialization_options={"ssotLsp": {"debounceMs": 0, "logLevel": "error"}}))
        client.initialized(types.InitializedParams())
        uri = from_fs_path(str(path))
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=uri, language_id="python", version=1, text=text)))
        await asyncio.wait_for(published.setdefault(1, asyncio.Event()).wait(), 30)
        await asyncio.sleep(1.0)  # let the background index finish and settle

        # each edit changes the default value of one job: 'value=N' -> 'value=N7' and back
        line_numbers = [i for i, line in enumerate(text.split("\n")) if "value=" in line and "async def" in line]
        for k in range(edits):
            version = k + 2
            line = line_numbers[(k * 37) % len(line_numbers)]
            col = text.split("\n")[line].index(", value=") + len(", value=")
            change = types.TextDocumentContentChangePartial(
                range=types.Range(start=types.Position(line=line, character=col),
                                  end=types.Position(line=line, character=col)), text="7")
            event = published.setdefault(version, asyncio.Event())
            client.text_document_did_change(types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[change]))
            await asyncio.wait_for(event.wait(), 30)
            lines_now = text.split("\n")
            lines_now[line] = lines_now[line][:col] + "7" + lines_now[line][col:]
            text = "\n".join(lines_now)

        await client.shutdown_async(None)
        client.exit(None)
        await asyncio.sleep(0.2)
        try:
            await client.stop()
        except Exception:  # noqa: BLE001
            pass

        latencies = []
        for row in timings.read_text().splitlines():
            _uri, version, received, sent = row.split()
            if version != "None" and int(version) >= 2:
                latencies.append((float(sent) - float(received)) * 1000)
        parse_times = []
        for _ in range(max(30, edits // 4)):
            start = time.perf_counter()
            ast.parse(text)
            parse_times.append((time.perf_counter() - start) * 1000)

        p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
        a50, a95 = percentile(parse_times, 50), percentile(parse_times, 95)
        print(f"file: {text.count(chr(10))} lines, {len(text)} chars, {counts.get(edits + 1, '?')} diagnostics")
        print(f"edits measured: {len(latencies)}")
        print(f"didChange -> publishDiagnostics: p50 {p50:.2f} ms  p95 {p95:.2f} ms  max {max(latencies):.2f} ms")
        print(f"ast.parse (same text):           p50 {a50:.2f} ms  p95 {a95:.2f} ms")
        print(f"ratio p95 latency / p50 ast.parse: {p95 / a50:.2f}x (target <= 1.5x)")
        print(f"ratio p50 latency / p50 ast.parse: {p50 / a50:.2f}x")
        print(f"mean latency {statistics.mean(latencies):.2f} ms")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--lines", type=int, default=4000)
    args = parser.parse_args()
    return asyncio.run(run(args.edits, args.lines))


if __name__ == "__main__":
    raise SystemExit(main())
