"""`ssot-lsp serve`: start the language server on stdio (default), TCP or WebSocket.

The environment is read here, once, when the server starts (``SSOT_LSP_JOBS``,
``SSOT_LSP_POLL_SECONDS``, ``SSOT_LSP_FIRST_INDEX_WAIT``, ``SSOT_LSP_TRACER``: docs/protocol.md),
and handed to the server as typed ``ServerOptions``; nothing in ``ssot_lsp.lsp`` reads it.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import socket
import sys
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from ssot_lsp.lsp.options import ServerOptions


class ServeError(Exception):
    """A transport that cannot start: printed as one line, exit code 2 (no traceback)."""


def _address(option: str, value: str) -> tuple[str, int]:
    """``HOST:PORT``, ``:PORT`` or ``PORT`` (host 127.0.0.1); an IPv6 host may be in brackets."""
    host, _, port = value.strip().rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not (port.isascii() and port.isdigit()) or not 1 <= int(port) <= 65535:
        raise ServeError(f"{option}: invalid address {value!r}: expected HOST:PORT with a port "
                         "from 1 to 65535, e.g. 127.0.0.1:2087")
    return host or "127.0.0.1", int(port)


def _require_websockets() -> None:
    """pygls's WebSocket transport needs ``websockets`` >= 13 (its ``asyncio`` API, the ``pygls[ws]``
    extra); without it pygls only logs an error and exits 1, which nobody sees."""
    try:
        import websockets.asyncio.server
    except ImportError:
        try:
            import websockets
        except ImportError:
            found = "is not installed"
        else:
            found = f"is too old ({getattr(websockets, '__version__', 'unknown version')})"
        raise ServeError(f"--ws needs the Python package 'websockets' >= 13, which {found}; "
                         "install it with: python -m pip install 'websockets>=13'") from None


def _listen_failure(host: str, port: int, exc: OSError) -> ServeError:
    if isinstance(exc, socket.gaierror):
        reason = exc.strerror or str(exc)
    elif exc.errno:
        reason = os.strerror(exc.errno)
    else:
        reason = str(exc)
    where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return ServeError(f"cannot listen on {where}: {reason}")


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


def _options() -> ServerOptions:
    from ssot_lsp.lsp.options import OptionError, options_from_environment
    from ssot_lsp.lsp.tracing import NO_TRACER, TracerError, load_tracer

    try:
        spec = os.environ.get("SSOT_LSP_TRACER", "").strip()
        return options_from_environment(os.environ, load_tracer(spec) if spec else NO_TRACER)
    except (OptionError, TracerError) as exc:
        raise ServeError(str(exc)) from None


def _configure_worker_processes(jobs: int) -> None:
    """The scan runs in an executor thread of a process with other threads (the event loop, the
    stdin reader); forking such a process is unsafe (locks held by other threads stay locked in
    the child; Python 3.12 warns about it). ``Workspace.scan`` creates its ``ProcessPoolExecutor``
    with the default context, so make that default "forkserver" for the server process: workers
    fork from a clean single-threaded server that has the readers' modules preloaded (each worker
    imported them, ~25 ms, in every scan). The forkserver starts now, while the server starts
    and the client initializes (0.15-0.2 s: its interpreter and the preloaded modules): the first
    scan began with that wait for its first workers (a tenth of a cold index of the realistic
    corpus)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return  # Windows: "spawn" is the default (and only) method anyway
    if multiprocessing.get_start_method(allow_none=True) not in (None, "fork"):
        return
    multiprocessing.set_start_method("forkserver", force=True)
    multiprocessing.set_forkserver_preload(["ssot_lsp.core.workspace", "ssot_lsp.core.pool",
                                            "ssot_lsp.core.partial.scan"])
    if jobs > 1:  # a server that reads in its own thread starts no worker
        from multiprocessing import forkserver

        forkserver.ensure_running()


def run_serve(args: argparse.Namespace) -> int:
    try:
        _serve(args)
    except ServeError as exc:
        print(f"ssot-lsp serve: {exc}", file=sys.stderr)
        return 2


def _serve(args: argparse.Namespace) -> NoReturn:
    tcp, ws = getattr(args, "tcp", None), getattr(args, "ws", None)
    address = _address("--tcp", tcp) if tcp is not None else _address("--ws", ws) if ws is not None else None
    if ws is not None:
        _require_websockets()
    _configure_logging(getattr(args, "log_file", None))
    options = _options()
    _configure_worker_processes(options.scan_jobs)  # first: its forkserver starts while the server does
    from ssot_lsp.lsp.handlers import create_server

    server = create_server(options)
    try:
        if address is None:
            server.start_io()
        else:
            start = server.start_tcp if tcp is not None else server.start_ws
            try:
                start(*address)
            except (KeyboardInterrupt, BrokenPipeError):
                raise
            except OSError as exc:
                # pygls keeps the listening server once it is bound: without one, binding failed
                # (address in use, unknown host, no permission); later errors are not ours to word.
                if getattr(server, "_server", None) is not None:
                    raise
                raise _listen_failure(*address, exc) from None
    except (KeyboardInterrupt, BrokenPipeError):
        pass
    finally:
        try:
            sys.stdout.flush()
        except Exception:  # noqa: BLE001 - the client is gone
            pass
    # Do not wait for background scans or the stdin reader thread: the client is gone.
    os._exit(0)

