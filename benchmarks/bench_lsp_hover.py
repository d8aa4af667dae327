"""Hover latency at findings: request sent -> answer received, on a big file full of findings.

Copies the demo workspace, writes the generated module of ``bench_lsp_latency.py`` (``--lines``
lines of legacy usages, about one finding per six lines), opens it in `ssot-lsp serve` (this
checkout, ``-I``), waits for its diagnostics, then hovers at the start of ``--hovers`` findings
spread over the file, one after the other. The first hover is reported apart (it may load what
later ones reuse); the target (issue 10 §2) is p95 <= 50 ms for the others.

    python benchmarks/bench_lsp_hover.py [--lines 5000] [--hovers 300] [--checkout DIR]
"""

from __future__ import annotations

import argparse
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_lsp_latency import DEMO, REPO, generate, percentile  # noqa: E402


async def run(lines: int, hovers: int, checkout: Path) -> int:
    work = Path(tempfile.mkdtemp(prefix="ssot-bench-hover-"))
    client = LanguageClient("bench-hover", "1")
    published: asyncio.Queue[list[types.Diagnostic]] = asyncio.Queue()
    try:
        root = work / "demo"
        shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns("__pycache__", ".ssot-cache"))
        path = root / "netra_backend/app/services/generated_jobs.py"
        text = generate(lines)
        path.write_text(text, encoding="utf-8")
        uri = from_fs_path(str(path))

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_publish(ls: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
            if params.uri == uri:
                published.put_nowait(list(params.diagnostics))

        client.feature(types.WINDOW_LOG_MESSAGE)(lambda ls, params: None)
        bootstrap = (f"import sys; sys.path.insert(0, {str(checkout)!r}); from ssot_lsp.cli.main import main; "
                     "sys.exit(main(['serve']))")
        env = {k: v for k, v in os.environ.items() if k != "SSOT_LSP_TRACER"}
        await client.start_io(sys.executable, "-I", "-c", bootstrap, env=env, cwd=tempfile.gettempdir())
        folder = from_fs_path(str(root))
        await client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=folder,
            workspace_folders=[types.WorkspaceFolder(uri=folder, name="demo")],
            initialization_options={"ssotLsp": {"logLevel": "error"}}))
        client.initialized(types.InitializedParams())
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=uri, language_id="python", version=1, text=text)))
        diagnostics = await asyncio.wait_for(published.get(), 60)
        await asyncio.sleep(1.0)  # the index of the small workspace settles
        while not published.empty():
            diagnostics = published.get_nowait()
        step = max(1, len(diagnostics) // hovers)
        targets = diagnostics[::step][:hovers]
        times = []
        for diagnostic in targets:
            sent = time.perf_counter()
            answer = await client.text_document_hover_async(types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=diagnostic.range.start))
            times.append((time.perf_counter() - sent) * 1000)
            assert answer is not None, diagnostic
        later = times[1:]
        print(f"{len(text.splitlines())} lines, {len(diagnostics)} findings, {len(targets)} hovers")
        print(f"first hover: {times[0]:.1f} ms")
        print(f"later hovers: p50 {statistics.median(later):.1f} ms, p95 {percentile(later, 95):.1f} ms, "
              f"max {max(later):.1f} ms (target p95 <= 50 ms)")
        print(f"cores: {os.cpu_count()}, load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        await asyncio.wait_for(client.shutdown_async(None), 30)
        client.exit(None)
        await client.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--hovers", type=int, default=300)
    parser.add_argument("--checkout", type=Path, default=REPO, help="the checkout whose server runs (before/after)")
    args = parser.parse_args()
    return asyncio.run(run(args.lines, args.hovers, args.checkout.resolve()))


if __name__ == "__main__":
    raise SystemExit(main())
