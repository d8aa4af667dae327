"""Tracers the tests plug into the server (``SSOT_LSP_TRACER``), see ``ssot_lsp/lsp/tracing.py``."""

from __future__ import annotations

import json
import os
import time
from typing import Any

from ssot_lsp.lsp.tracing import Tracer

SCAN_DELAY = 1.5


class SlowScan(Tracer):
    """Every scan starts ``SCAN_DELAY`` seconds late (in the scan thread, like a slow disk): makes
    "before the first index is complete" observable."""

    def scan_started(self, root: str) -> None:
        time.sleep(SCAN_DELAY)


class Recording(Tracer):
    """Every hook call appended as one JSON line to ``$SSOT_TEST_TRACE``."""

    def __init__(self) -> None:
        self.path = os.environ["SSOT_TEST_TRACE"]

    def _write(self, **event: object) -> None:
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(event) + "\n")

    def server_started(self, server: object) -> None:
        self._write(hook="server_started")

    def message_received(self, method: str, params: Any) -> None:
        document = getattr(params, "text_document", None)
        self._write(hook="message_received", method=method, version=getattr(document, "version", None))

    def document_analysed(self, uri: str, version: int | None, seconds: float) -> None:
        self._write(hook="document_analysed", uri=uri, version=version)

    def diagnostics_published(self, uri: str, version: int | None, count: int) -> None:
        self._write(hook="diagnostics_published", uri=uri, version=version, count=count)

    def scan_started(self, root: str) -> None:
        self._write(hook="scan_started", root=root)

    def index_built(self, root: str, files: int, seconds: float) -> None:
        self._write(hook="index_built", root=root, files=files)


class Broken(Tracer):
    """Fails in the first hook the server calls after starting."""

    def message_received(self, method: str, params: Any) -> None:
        raise RuntimeError("broken tracer")
