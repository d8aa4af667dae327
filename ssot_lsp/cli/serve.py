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
