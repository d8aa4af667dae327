"""Tracers the benchmarks plug into the language server (``ssot_lsp/lsp/tracing.py``).

Start the server with ``SSOT_LSP_TRACER=benchmarks/lsp_tracers.py:NAME`` (an absolute path works
from anywhere). Each tracer reads its own settings from the environment when the server starts.

* ``TimingTracer`` (``SSOT_LSP_TIMINGS=FILE``): appends ``uri version t_received t_published`` (perf
  counter seconds) for every published version of an open document: ``bench_lsp_latency.py``.
* ``MemoryTracer`` (``SSOT_LSP_TRACEMALLOC=FILE``): starts ``tracemalloc``; each ``SIGUSR1`` appends
  the allocations grown since the first signal to FILE (memory investigations under
  ``bench_load.py``: send the signal after the warm-up and again after the load).
"""

from __future__ import annotations

import os
import signal
import time
import tracemalloc
from typing import Any

from lsprotocol import types

from ssot_lsp.lsp.tracing import Tracer

SYNC = (types.TEXT_DOCUMENT_DID_OPEN, types.TEXT_DOCUMENT_DID_CHANGE)


class TimingTracer(Tracer):
    def __init__(self) -> None:
        self.path = os.environ["SSOT_LSP_TIMINGS"]
        self.received: dict[tuple[str, int | None], float] = {}

    def message_received(self, method: str, params: Any) -> None:
        if method in SYNC:
            document = params.text_document
            self.received[(document.uri, document.version)] = time.perf_counter()

    def diagnostics_published(self, uri: str, version: int | None, count: int) -> None:
        received = self.received.pop((uri, version), None)
        if received is None:
            return
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(f"{uri} {version} {received:.6f} {time.perf_counter():.6f}\n")


class MemoryTracer(Tracer):
    def __init__(self) -> None:
        self.path = os.environ["SSOT_LSP_TRACEMALLOC"]
        self.first: tracemalloc.Snapshot | None = None

    def server_started(self, server: Any) -> None:
        tracemalloc.start(8)
        signal.signal(signal.SIGUSR1, self._dump)

    def _dump(self, *_: object) -> None:
        import linecache

        snapshot = tracemalloc.take_snapshot().filter_traces([
            tracemalloc.Filter(False, tracemalloc.__file__), tracemalloc.Filter(False, linecache.__file__),
            tracemalloc.Filter(False, __file__)])
        with open(self.path, "a", encoding="utf-8") as handle:
            if self.first is None:
                self.first = snapshot
                handle.write("baseline taken\n")
                return
            for stat in snapshot.compare_to(self.first, "traceback")[:8]:
                handle.write(f"{stat}\n")
                for line in stat.traceback.format()[-8:]:
                    handle.write(f"    {line}\n")
            handle.write("----\n")
