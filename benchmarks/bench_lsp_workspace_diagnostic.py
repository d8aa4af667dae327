"""``workspace/diagnostic`` on a real-sized workspace: the first answer after indexing, and the
steady-state pull VS Code repeats every two seconds.

Starts `ssot-lsp serve` as an editor does (``<python> -I``, this checkout's code), as a pull client
with refresh support (VS Code >= 1.67) and ``diagnosticMode`` given by ``--mode``, waits for the
``$/progress`` end of ``SSOT: indexing workspace``, then times:

- the first ``workspace/diagnostic`` (no previous result ids): request sent -> answer received;
- ``--pulls`` further pulls, each with the result ids of the answers so far (what the client
  sends), median and maximum;

and prints the number of report items and the size of the first answer in JSON.

    python benchmarks/bench_lsp_workspace_diagnostic.py --corpus /work/corpora/realistic [--mode workspace]
        [--pulls 5] [--checkout DIR]

``--checkout`` runs another checkout's server (e.g. main, for a before/after figure).
Target (issue 17 / 10 §2): first answer <= 1 s after indexing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

REPO = Path(__file__).resolve().parents[1]
TITLE = "SSOT: indexing workspace"


def _client() -> tuple[LanguageClient, asyncio.Event, dict[str, Any]]:
    client = LanguageClient("bench-workspace-diagnostic", "1")
    tokens: dict[str, str] = {}
    indexed = asyncio.Event()
    state: dict[str, Any] = {"end": None, "refreshes": 0}

    @client.feature(types.WINDOW_WORK_DONE_PROGRESS_CREATE)
    def on_create(ls: LanguageClient, params: Any) -> None:
        return None

    @client.feature(types.PROGRESS)
    def on_progress(ls: LanguageClient, params: types.ProgressParams) -> None:
        value = params.value
        kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
        if kind == "begin":
            tokens[str(params.token)] = value.get("title") if isinstance(value, dict) else value.title
        elif kind == "end" and tokens.get(str(params.token)) == TITLE:
            state["end"] = time.perf_counter()
            indexed.set()

    @client.feature(types.WORKSPACE_DIAGNOSTIC_REFRESH)
    def on_refresh(ls: LanguageClient, params: Any) -> None:
        state["refreshes"] += 1

    for method in (types.WINDOW_LOG_MESSAGE, types.WINDOW_SHOW_MESSAGE, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS):
        client.feature(method)(lambda ls, params: None)
    return client, indexed, state


async def run(corpus: Path, mode: str, pulls: int, checkout: Path) -> int:
    client, indexed, state = _client()
    bootstrap = (f"import sys; sys.path.insert(0, {str(checkout)!r}); from ssot_lsp.cli.main import main; "
                 "sys.exit(main(['serve']))")
    env = {k: v for k, v in os.environ.items() if k != "SSOT_LSP_TRACER"}
    await client.start_io(sys.executable, "-I", "-c", bootstrap, env=env, cwd=tempfile.gettempdir())
    folder = from_fs_path(str(corpus))
    await client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(
            window=types.WindowClientCapabilities(work_done_progress=True),
            text_document=types.TextDocumentClientCapabilities(diagnostic=types.DiagnosticClientCapabilities()),
            workspace=types.WorkspaceClientCapabilities(
                configuration=False, workspace_folders=True,
                diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True))),
        root_uri=folder, workspace_folders=[types.WorkspaceFolder(uri=folder, name=corpus.name)],
        initialization_options={"ssotLsp": {"diagnosticMode": mode}}))
    started = time.perf_counter()
    client.initialized(types.InitializedParams())
    try:
        await asyncio.wait_for(indexed.wait(), 900)
        print(f"indexing: {state['end'] - started:.1f}s")
        previous: dict[str, str] = {}
        times: list[float] = []
        for number in range(pulls + 1):
            ids = [types.PreviousResultId(uri=u, value=v) for u, v in previous.items()]
            sent = time.perf_counter()
            raw = await client.protocol.send_request_async(
                types.WORKSPACE_DIAGNOSTIC, types.WorkspaceDiagnosticParams(previous_result_ids=ids))
            times.append(time.perf_counter() - sent)
            items = raw.items
            if number == 0:
                size = len(json.dumps(client.protocol._converter.unstructure(raw)))
                findings = sum(len(getattr(i, "items", None) or []) for i in items)
                print(f"first workspace/diagnostic: {times[0] * 1000:.0f} ms after indexing ended; "
                      f"{len(items)} items, {findings} diagnostics, {size / 1024:.0f} KiB of JSON")
            previous.update({i.uri: i.result_id for i in items if i.result_id})
        steady = times[1:]
        if steady:
            print(f"later pulls (with previous result ids): median {statistics.median(steady) * 1000:.0f} ms, "
                  f"max {max(steady) * 1000:.0f} ms over {len(steady)}; last answer {len(items)} items")
        print(f"cores: {os.cpu_count()}, load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        await asyncio.wait_for(client.shutdown_async(None), 30)
        client.exit(None)
        await client.stop()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--mode", choices=("workspace", "openFiles"), default="workspace")
    parser.add_argument("--pulls", type=int, default=5)
    parser.add_argument("--checkout", type=Path, default=REPO, help="the checkout whose server runs")
    args = parser.parse_args()
    return asyncio.run(run(args.corpus.resolve(), args.mode, args.pulls, args.checkout.resolve()))


if __name__ == "__main__":
    raise SystemExit(main())
