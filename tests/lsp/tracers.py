"""Tracers the tests plug into the server (``SSOT_LSP_TRACER``), see ``ssot_lsp/lsp/tracing.py``."""

from __future__ import annotations

import time

from ssot_lsp.lsp.tracing import Tracer

SCAN_DELAY = 1.5


class SlowScan(Tracer):
    """Every scan starts ``SCAN_DELAY`` seconds late (in the scan thread, like a slow disk): makes
    "before the first index is complete" observable."""

    def scan_started(self, root: str) -> None:
        time.sleep(SCAN_DELAY)
