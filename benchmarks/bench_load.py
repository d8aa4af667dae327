"""Language-server load benchmark: RSS growth and the longest event-loop block under editing load.

Scenario (tests/reliability/load_driver.py): 20 open documents of examples/migration-demo and
N incremental didChange notifications with non-BMP ranges, interleaved with codeAction, hover and
diagnostic requests.

Figures printed:
* RSS of the server process (VmRSS from /proc/<pid>/status) after opening and a warm-up of
  1,000 changes, and after the load; growth in percent (target <= 5 %). The warm-up also asks
  for a hover and the code actions at findings of a few documents: the load's requests land on
  random positions, so without that the first hover or quick fix on a finding (which loads jedi
  and its grammar, or libcst, once per process: about 10 MB) happened at a random point of the
  measured load, and was counted as growth.
* The size of the open documents' texts at the same points: the edits insert, replace and delete
  lines of their own, at most 12 per document, so the texts grow a little until every document
  holds its 12 (more text is legitimately more memory: syntax trees, facts, findings).
* The peak RSS during each phase (sampled every 50 ms) and VmHWM, to tell a transient peak (the
  unpaced flood queues work) from memory that stays.
* Longest event-loop block (target <= 200 ms): round-trip latency of a hover on an empty
  position (line 0, column 0 of a file without findings), sent every 20 ms during a paced load
  (changes sent in bursts every 20 ms, so the latency is not dominated by the client flooding
  the pipe). The round-trip latency during the unpaced flood is printed too, for reference; it
  includes queueing behind thousands of notifications, not only blocking.

Usage: python benchmarks/bench_load.py [--changes 10000] [--seed 759] [--json] [--tracemalloc FILE]

``--tracemalloc FILE`` plugs the memory tracer of ``benchmarks/lsp_tracers.py`` into the server and
asks it (SIGUSR1) for the allocations grown between the end of the warm-up and the end of the load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "reliability"))

from load_driver import as_tuples, expected_diagnostics, pick_documents, run_load
from lsprotocol import types
from ssot_reliability_support import DEMO, lsp_session


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return -1


def text_size(docs) -> str:
    return f"{sum(len(d.text) for d in docs)} chars/{sum(d.text.count(chr(10)) for d in docs)} lines"


def hwm_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return -1


class RssSampler:
    """Samples the server's RSS every ``interval`` seconds (from the client's loop)."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid, self.interval, self.peak, self.task = pid, interval, 0, None

    async def _run(self) -> None:
        while True:
            self.peak = max(self.peak, rss_kb(self.pid))
            await asyncio.sleep(self.interval)

    def start(self) -> None:
        self.peak = 0
        self.task = asyncio.ensure_future(self._run())

    async def stop(self) -> int:
        self.peak = max(self.peak, rss_kb(self.pid))
        if self.task:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)
        return self.peak


async def exercise_findings(client, docs, count: int = 3) -> int:
    """Hover and code actions at the findings of the first ``count`` documents with findings."""
    done = 0
    for doc in docs:
        ident = types.TextDocumentIdentifier(uri=doc.uri)
        report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=ident))
        items = list(getattr(report, "items", None) or [])
        if not items:
            continue
        for diagnostic in items:
            await client.text_document_hover_async(types.HoverParams(text_document=ident,
                                                                     position=diagnostic.range.start))
            await client.text_document_code_action_async(types.CodeActionParams(
                text_document=ident, range=diagnostic.range,
                context=types.CodeActionContext(diagnostics=[diagnostic])))
        done += 1
        if done == count:
            break
    return done


def server_pid(client) -> int:
    proc = getattr(client, "_server", None)
    return proc.pid


class HoverProbe:
    """Sends a cheap hover every ``interval`` seconds and records round-trip latencies."""

    def __init__(self, client, uri: str, interval: float = 0.02) -> None:
        self.client, self.uri, self.interval = client, uri, interval
        self.latencies: list[float] = []
        self.task: asyncio.Task | None = None
        self.stopped = False

    async def _one(self) -> None:
        start = time.perf_counter()
        await self.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri), position=types.Position(line=0, character=0)))
        self.latencies.append(time.perf_counter() - start)

    async def _run(self) -> None:
        inflight = []
        while not self.stopped:
            inflight.append(asyncio.ensure_future(self._one()))
            await asyncio.sleep(self.interval)
        await asyncio.gather(*inflight, return_exceptions=True)

    def start(self) -> None:
        self.task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        self.stopped = True
        if self.task:
            await self.task


async def paced_load(client, docs, changes: int, seed: int, burst: int = 10, interval: float = 0.02):
    """Like run_load, but ``burst`` changes every ``interval`` seconds (about 500 changes per second)."""
    import random

    from load_driver import next_edit

    rng = random.Random(seed)
    for serial in range(changes):
        doc = rng.choice(docs)
        rng_, new = next_edit(doc, rng, 10_000_000 + serial)
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version),
            content_changes=[types.TextDocumentContentChangePartial(range=rng_, text=new)]))
        if serial % burst == burst - 1:
            await asyncio.sleep(interval)


async def main_async(args) -> dict:
    docs = pick_documents(DEMO, 20)
    probe_doc = next(p for p in sorted(DEMO.rglob("__init__.py")) if ".ssot-cache" not in p.parts)
    figures: dict = {"changes": args.changes, "documents": len(docs)}
    env = {}
    if args.tracemalloc:
        env = {"SSOT_LSP_TRACER": f"{REPO / 'benchmarks' / 'lsp_tracers.py'}:MemoryTracer",
               "SSOT_LSP_TRACEMALLOC": str(Path(args.tracemalloc).resolve())}
    async with lsp_session(DEMO, {"ssotLsp": {"debounceMs": 50}}, env=env) as client:
        pid = server_pid(client)
        figures["rss_start_kb"] = rss_kb(pid)
        # warm-up: open everything, index, 1,000 changes
        sampler = RssSampler(pid)
        sampler.start()
        warm = await run_load(client, docs, 1000, seed=args.seed)
        figures["warmup_documents_with_findings_exercised"] = await exercise_findings(client, docs)
        await asyncio.sleep(1.0)
        figures["rss_peak_warmup_kb"] = await sampler.stop()
        figures["rss_after_warmup_kb"] = rss_kb(pid)
        figures["docs_after_warmup"] = text_size(docs)
        if args.tracemalloc:
            os.kill(pid, signal.SIGUSR1)  # the memory tracer's baseline

        # 1) the unpaced flood, probed
        sampler.start()
        probe = HoverProbe(client, probe_doc.as_uri())
        probe.start()
        flood_docs = docs  # run_load re-opens: fine (didOpen replaces the text, versions continue)
        for doc in flood_docs:
            doc.version += 1
        stats = await run_load(client, flood_docs, args.changes, seed=args.seed + 1)
        await probe.stop()
        await asyncio.sleep(1.0)
        figures["rss_peak_flood_kb"] = await sampler.stop()
        figures["rss_after_flood_kb"] = rss_kb(pid)
        figures["docs_after_flood"] = text_size(docs)
        figures["flood"] = {
            "sent_seconds": round(stats.send_seconds, 2), "answered_seconds": round(stats.total_seconds, 2),
            "requests": stats.requests, "answered": stats.answered, "failures": len(stats.failures),
            "changes_per_second": round(stats.changes / stats.total_seconds),
            "hover_rtt_max_ms": round(max(probe.latencies) * 1000, 1),
            "hover_rtt_p50_ms": round(statistics.median(probe.latencies) * 1000, 1),
        }

        # 2) paced load: the longest block of the event loop
        sampler.start()
        probe = HoverProbe(client, probe_doc.as_uri())
        probe.start()
        await paced_load(client, docs, args.changes, args.seed + 2)
        await asyncio.sleep(0.5)
        await probe.stop()
        lat = sorted(probe.latencies)
        figures["paced"] = {
            "hover_samples": len(lat),
            "longest_loop_block_ms": round(lat[-1] * 1000, 1),
            "hover_rtt_p99_ms": round(lat[int(len(lat) * 0.99) - 1] * 1000, 1),
            "hover_rtt_p50_ms": round(statistics.median(lat) * 1000, 1),
        }
        await asyncio.sleep(1.0)
        figures["rss_peak_paced_kb"] = await sampler.stop()
        figures["rss_end_kb"] = rss_kb(pid)
        figures["docs_end"] = text_size(docs)
        if args.tracemalloc:
            os.kill(pid, signal.SIGUSR1)  # what grew since the baseline
        figures["vm_hwm_kb"] = hwm_kb(pid)
        figures["rss_growth_pct"] = round(100.0 * (figures["rss_end_kb"] - figures["rss_after_warmup_kb"])
                                          / figures["rss_after_warmup_kb"], 2)
        figures["rss_growth_second_phase_pct"] = round(
            100.0 * (figures["rss_end_kb"] - figures["rss_after_flood_kb"]) / figures["rss_after_flood_kb"], 2)
        figures["rss_growth_from_start_pct"] = round(100.0 * (figures["rss_end_kb"] - figures["rss_start_kb"])
                                                     / figures["rss_start_kb"], 2)
        # final diagnostics still exact
        expected = expected_diagnostics(DEMO, docs)
        exact = 0
        for doc in docs:
            report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
                text_document=types.TextDocumentIdentifier(uri=doc.uri)))
            exact += as_tuples(report.items) == expected[doc.uri]
        figures["final_diagnostics_exact"] = f"{exact}/{len(docs)}"
    figures["warmup_failures"] = len(warm.failures)
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=759)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--tracemalloc", metavar="FILE", help="write the allocations grown during the load to FILE")
    args = parser.parse_args(argv)
    figures = asyncio.run(main_async(args))
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    ok_rss = figures["rss_growth_pct"] <= 5.0
    ok_block = figures["paced"]["longest_loop_block_ms"] <= 200.0
    print(f"server RSS: {figures['rss_start_kb']} kB at start, {figures['rss_after_warmup_kb']} kB after warm-up, "
          f"{figures['rss_after_flood_kb']} kB after {args.changes} more (flood), "
          f"{figures['rss_end_kb']} kB after {args.changes} more (paced)")
    print(f"RSS growth after warm-up: {figures['rss_growth_pct']} % (target <= 5 %) "
          f"{'OK' if ok_rss else 'OVER'}; second phase alone: {figures['rss_growth_second_phase_pct']} %; "
          f"from start (before indexing): {figures['rss_growth_from_start_pct']} %")
    print(f"open documents' text: {figures['docs_after_warmup']} after warm-up, {figures['docs_after_flood']} "
          f"after the flood, {figures['docs_end']} at the end")
    print(f"peak RSS (sampled every 50 ms): warm-up {figures['rss_peak_warmup_kb']} kB, "
          f"flood {figures['rss_peak_flood_kb']} kB, paced {figures['rss_peak_paced_kb']} kB; "
          f"VmHWM {figures['vm_hwm_kb']} kB")
    print(f"longest event-loop block (hover RTT every 20 ms, paced load): "
          f"{figures['paced']['longest_loop_block_ms']} ms (target <= 200 ms) {'OK' if ok_block else 'OVER'}; "
          f"p99 {figures['paced']['hover_rtt_p99_ms']} ms, p50 {figures['paced']['hover_rtt_p50_ms']} ms")
    flood = figures["flood"]
    print(f"flood: {args.changes} changes sent in {flood['sent_seconds']} s, {flood['requests']} requests all "
          f"answered after {flood['answered_seconds']} s ({flood['changes_per_second']} changes/s); hover RTT "
          f"max {flood['hover_rtt_max_ms']} ms (includes queueing), p50 {flood['hover_rtt_p50_ms']} ms")
    print(f"final diagnostics equal the core's analysis: {figures['final_diagnostics_exact']}")
    return 0 if ok_rss and ok_block else 1


if __name__ == "__main__":
    raise SystemExit(main())
