"""Workspace indexing of the language server against a cold `ssot-lsp check`, on the benchmark corpus.

Starts `ssot-lsp serve` over stdio the way an editor does (``<python> -I``, working directory outside
the workspace; this checkout's code, not the installed package), initializes it with the corpus as the only workspace folder,
and times ``initialized`` -> the ``$/progress`` end of ``SSOT: indexing workspace``. Then reads the
server's resident memory (``VmRSS``, and the peak ``VmHWM``, from ``/proc/PID/status``). In the same
run it times ``ssot-lsp check --no-cache --exit-zero DIR`` (the CLI, cold). The server's facts cache
(``DIR/.ssot-cache``) is removed before every server run so both sides start cold.

    python benchmarks/bench_lsp_index.py [--corpus DIR] [--runs 1] [--jobs N]

Without ``--corpus`` the corpus is generated into a temporary directory with
``benchmarks/generate_corpus.py`` (the realistic corpus: 25,000 files, ~10M lines; about 10 s) and removed afterwards.
Targets: server indexing <= 1.2x the CLI cold, server RSS after indexing <= 400 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

REPO = Path(__file__).resolve().parents[1]
TITLE = "SSOT: indexing workspace"
CACHE_DIR = ".ssot-cache"


def generate(out: Path) -> None:
    started = time.perf_counter()
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate_corpus.py"), "--out", str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    print(f"corpus generated in {time.perf_counter() - started:.1f}s: {out}")


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS / VmHWM in KiB (empty when /proc is not available)."""
    values = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    values[key] = int(rest.split()[0])
    except OSError:
        pass
    return values


def cli_cold(corpus: Path, jobs: int | None) -> float:
    shutil.rmtree(corpus / CACHE_DIR, ignore_errors=True)
    cmd = [sys.executable, "-m", "ssot_lsp", "check", "--no-cache", "--exit-zero", str(corpus)]
    if jobs:
        cmd[4:4] = ["--jobs", str(jobs)]
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tempfile.gettempdir())
    return time.perf_counter() - started


async def server_index(corpus: Path, jobs: int | None) -> tuple[float, dict[str, int], str]:
    shutil.rmtree(corpus / CACHE_DIR, ignore_errors=True)
    env = {**os.environ}
    env.pop("SSOT_LSP_TRACER", None)
    if jobs:
        env["SSOT_LSP_JOBS"] = str(jobs)
    client = LanguageClient("bench-index", "1")
    tokens: dict[str, str] = {}  # progress token -> title
    reports: list[tuple[float, int]] = []  # (time, percentage) of the indexing progress: begin, reports, end
    done = asyncio.Event()
    result = {"end": None, "message": ""}
    logs: list[str] = []

    @client.feature(types.WINDOW_WORK_DONE_PROGRESS_CREATE)
    def on_create(ls, params):
        return None

    @client.feature(types.PROGRESS)
    def on_progress(ls, params: types.ProgressParams):
        value = params.value
        kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
        if kind == "begin":
            title = value.get("title") if isinstance(value, dict) else value.title
            tokens[str(params.token)] = title
            if title == TITLE:
                reports.append((time.perf_counter(), 0))
        elif kind == "report" and tokens.get(str(params.token)) == TITLE:
            percent = value.get("percentage") if isinstance(value, dict) else value.percentage
            reports.append((time.perf_counter(), percent or 0))
        elif kind == "end" and tokens.get(str(params.token)) == TITLE:
            reports.append((time.perf_counter(), 100))
            result["end"] = time.perf_counter()
            result["message"] = (value.get("message") if isinstance(value, dict) else value.message) or ""
            done.set()

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def on_log(ls, params: types.LogMessageParams):
        logs.append(params.message)

    @client.feature(types.WINDOW_SHOW_MESSAGE)
    def on_show(ls, params):
        logs.append(params.message)

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(ls, params):
        pass

    # isolated like an editor's launch, but this checkout's code (`-I -m ssot_lsp` imports the installed one)
    bootstrap = (f"import sys; sys.path.insert(0, {str(REPO)!r}); from ssot_lsp.cli.main import main; "
                 "sys.exit(main(['serve']))")
    await client.start_io(sys.executable, "-I", "-c", bootstrap, env=env, cwd=tempfile.gettempdir())
    pid = client._server.pid  # the server process pygls started
    folder = from_fs_path(str(corpus))
    await client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(
            window=types.WindowClientCapabilities(work_done_progress=True),
            workspace=types.WorkspaceClientCapabilities(configuration=False, workspace_folders=True)),
        root_uri=folder,
        workspace_folders=[types.WorkspaceFolder(uri=folder, name=corpus.name)],
        initialization_options={"ssotLsp": {"logLevel": "info"}}))
    started = time.perf_counter()
    client.initialized(types.InitializedParams())
    try:
        await asyncio.wait_for(done.wait(), 600)
        elapsed = result["end"] - started
        await asyncio.sleep(0.5)  # let the installed index settle (diagnostics of open files: none)
        memory = proc_status(pid)
    finally:
        try:
            await asyncio.wait_for(client.shutdown_async(None), 10)
            client.exit(None)
            await asyncio.sleep(0.2)
            await client.stop()
        except Exception:  # noqa: BLE001
            pass
    indexed = next((m for m in logs if m.startswith("indexed ")),
                   next((m for m in logs if m.startswith("indexing ")), result["message"]))
    return elapsed, memory, indexed + "\n        " + progress_summary(reports)


def progress_summary(reports: list[tuple[float, int]]) -> str:
    """How the indexing `$/progress` behaved: the longest time without a report (target <= 2 s) and
    the percentage shown at a quarter, half and three quarters of the time (files done: proportional)."""
    if len(reports) < 2:
        return "progress: no reports"
    start, end = reports[0][0], reports[-1][0]
    gap = max(b[0] - a[0] for a, b in zip(reports, reports[1:]))

    def shown_at(fraction: float) -> int:
        moment = start + fraction * (end - start)
        return max((p for t, p in reports if t <= moment), default=0)

    quarters = "/".join(f"{shown_at(f)}%" for f in (0.25, 0.5, 0.75))
    return (f"progress: {len(reports) - 2} reports, longest gap {gap:.2f}s (target <= 2 s); "
            f"shown at 25/50/75 % of the time: {quarters}")


async def run(corpus: Path, runs: int, jobs: int | None) -> int:
    server_times, cli_times, memories = [], [], []
    for number in range(runs):
        cli_times.append(cli_cold(corpus, jobs))
        elapsed, memory, message = await server_index(corpus, jobs)
        server_times.append(elapsed)
        memories.append(memory)
        rss = memory.get("VmRSS", 0) / 1024
        print(f"run {number + 1}: CLI cold {cli_times[-1]:.2f}s, server indexing {elapsed:.2f}s "
              f"({elapsed / cli_times[-1]:.2f}x), server RSS {rss:.0f} MB (peak {memory.get('VmHWM', 0) / 1024:.0f} MB)")
        print(f"        server: {message}")
    cli, server = statistics.median(cli_times), statistics.median(server_times)
    rss = max(m.get("VmRSS", 0) for m in memories) / 1024
    peak = max(m.get("VmHWM", 0) for m in memories) / 1024
    print(f"cores: {os.cpu_count()}, load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"ssot-lsp check --no-cache (CLI cold): {cli:.2f}s (median of {runs})")
    print(f"server initialized -> indexing end:   {server:.2f}s (median of {runs})")
    print(f"ratio server / CLI cold: {server / cli:.2f}x (target <= 1.2x)")
    print(f"server RSS after indexing: {rss:.0f} MB (target <= 400 MB); peak {peak:.0f} MB")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="existing corpus (default: generate one into a temp dir)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--jobs", type=int, help="worker processes for both sides (default: every core)")
    args = parser.parse_args()
    temp = None
    corpus = args.corpus
    if corpus is None:
        temp = Path(tempfile.mkdtemp(prefix="ssot-bench-index-"))
        corpus = temp / "corpus"
        generate(corpus)
    elif not corpus.is_dir():
        generate(corpus)
    try:
        return asyncio.run(run(corpus.resolve(), max(1, args.runs), args.jobs))
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
