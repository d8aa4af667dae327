"""The one optional instrumentation hook of the server.

Benchmarks and memory investigations need to see inside the server (when a ``didChange`` arrived,
when its diagnostics left, how long indexing took) without the product code knowing about them.
The server calls a ``Tracer`` at a few fixed points; the default does nothing. Handlers never
call it: the protocol layer reports incoming messages, the session's services report the rest.

A tracer is plugged in when the server starts (``ssot-lsp serve`` reads ``SSOT_LSP_TRACER``, see
docs/protocol.md): ``path/to/file.py:Name`` or ``package.module:Name``, where ``Name`` is a
``Tracer`` subclass (or any callable returning one) taking no arguments. The benchmarks' tracers
live in ``benchmarks/lsp_tracers.py``.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
from typing import Any, Callable

logger = logging.getLogger(__name__)


class Tracer:
    """Every hook is a no-op; override the ones you need. Hooks must be cheap and never raise
    (an exception is logged and the tracer is dropped)."""

    def server_started(self, server: Any) -> None:
        """The pygls server exists and is about to serve (install signal handlers here)."""

    def message_received(self, method: str, params: Any) -> None:
        """A request or notification arrived, before its handler runs."""

    def document_analysed(self, uri: str, version: int | None, seconds: float) -> None:
        """An open document's text was analysed (facts and rules)."""

    def diagnostics_published(self, uri: str, version: int | None, count: int) -> None:
        """``textDocument/publishDiagnostics`` left for an open document."""

    def scan_started(self, root: str) -> None:
        """A workspace scan starts. Runs in the scan's executor thread, not on the event loop."""

    def index_built(self, root: str, files: int, seconds: float) -> None:
        """A folder's index was installed (``files`` analysed files)."""


NO_TRACER = Tracer()


class GuardedTracer(Tracer):
    """A plugged-in tracer whose first failure is logged and turns it off: instrumentation must
    never break the server it measures."""

    def __init__(self, inner: Tracer, log: Callable[[str], None]) -> None:
        self.inner: Tracer = inner
        self.log = log

    def _call(self, hook: str, *args: Any) -> None:
        try:
            getattr(self.inner, hook)(*args)
        except Exception as exc:  # noqa: BLE001
            self.inner = NO_TRACER
            self.log(f"tracer hook {hook} failed ({type(exc).__name__}: {exc}); tracing is off")

    def server_started(self, server: Any) -> None:
        self._call("server_started", server)

    def message_received(self, method: str, params: Any) -> None:
        self._call("message_received", method, params)

    def document_analysed(self, uri: str, version: int | None, seconds: float) -> None:
        self._call("document_analysed", uri, version, seconds)

    def diagnostics_published(self, uri: str, version: int | None, count: int) -> None:
        self._call("diagnostics_published", uri, version, count)

    def scan_started(self, root: str) -> None:
        self._call("scan_started", root)

    def index_built(self, root: str, files: int, seconds: float) -> None:
        self._call("index_built", root, files, seconds)


class TracerError(Exception):
    """``SSOT_LSP_TRACER`` names nothing loadable."""


def load_tracer(spec: str) -> Tracer:
    """The tracer named by ``FILE.py:NAME`` or ``MODULE:NAME`` (see the module docstring)."""
    source, _, name = spec.rpartition(":")
    if not source or not name:
        raise TracerError(f"SSOT_LSP_TRACER={spec!r}: expected FILE.py:NAME or MODULE:NAME")
    try:
        if source.endswith(".py") or os.sep in source:
            module_spec = importlib.util.spec_from_file_location(f"ssot_lsp_tracer_{abs(hash(source))}", source)
            if module_spec is None or module_spec.loader is None:
                raise TracerError(f"SSOT_LSP_TRACER: cannot load {source}")
            module = importlib.util.module_from_spec(module_spec)
            module_spec.loader.exec_module(module)
        else:
            module = importlib.import_module(source)
        factory = getattr(module, name)
        tracer = factory()
    except TracerError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure is reported as one line by `serve`
        raise TracerError(f"SSOT_LSP_TRACER={spec!r}: {type(exc).__name__}: {exc}") from None
    if not isinstance(tracer, Tracer):
        raise TracerError(f"SSOT_LSP_TRACER={spec!r}: {name} did not return a ssot_lsp.lsp.tracing.Tracer")
    return tracer
