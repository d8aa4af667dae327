"""`ssot-lsp serve`: start the language server on stdio (default), TCP or WebSocket."""

from __future__ import annotations

import logging
import os
import sys


def _address(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    return host or "127.0.0.1", int(port)


def _configure_logging(log_file: str | None) -> None:
    root = logging.getLogger()
    root.handlers[:] = []
    if log_file:
        handler: logging.Handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.setLevel(logging.INFO)
    else:
        handler = logging.NullHandler()  # never write to stderr: some clients show it as errors
    root.addHandler(handler)
    logging.getLogger("pygls").setLevel(logging.WARNING)


def run_serve(args) -> int:
    _configure_logging(getattr(args, "log_file", None))
    from ssot_lsp.lsp.server import create_server

    server = create_server()
    _memory_diagnostics()
    try:
        if getattr(args, "tcp", None):
            host, port = _address(args.tcp)
            server.start_tcp(host, port)
        elif getattr(args, "ws", None):
            host, port = _address(args.ws)
            server.start_ws(host, port)
        else:
            server.start_io()
    except (KeyboardInterrupt, BrokenPipeError):
        pass
    finally:
        try:
            sys.stdout.flush()
        except Exception:  # noqa: BLE001 - the client is gone
            pass
    # Do not wait for background scans or the stdin reader thread: the client is gone.
    os._exit(0)


def _memory_diagnostics() -> None:
    """With SSOT_LSP_TRACEMALLOC=FILE, SIGUSR1 appends the allocations grown since the first
    signal to FILE (for the load benchmark's memory investigation; off by default)."""
    target = os.environ.get("SSOT_LSP_TRACEMALLOC")
    if not target:
        return
    import signal
    import tracemalloc

    tracemalloc.start(8)
    state = {}

    def dump(*_):
        import linecache

        snapshot = tracemalloc.take_snapshot().filter_traces([
            tracemalloc.Filter(False, tracemalloc.__file__), tracemalloc.Filter(False, linecache.__file__),
            tracemalloc.Filter(False, __file__)])
        with open(target, "a", encoding="utf-8") as handle:
            if "first" not in state:
                state["first"] = snapshot
                handle.write("baseline taken\n")
                return
            for stat in snapshot.compare_to(state["first"], "traceback")[:8]:
                handle.write(f"{stat}\n")
                for line in stat.traceback.format()[-8:]:
                    handle.write(f"    {line}\n")
            handle.write("----\n")

    signal.signal(signal.SIGUSR1, dump)
