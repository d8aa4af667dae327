"""`ssot-lsp serve`: start the language server on stdio (default), TCP or WebSocket."""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys


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


def run_serve(args: argparse.Namespace) -> int:
    try:
        return _serve(args)
    except ServeError as exc:
        print(f"ssot-lsp serve: {exc}", file=sys.stderr)
        return 2


def _serve(args: argparse.Namespace) -> int:
    tcp, ws = getattr(args, "tcp", None), getattr(args, "ws", None)
    address = _address("--tcp", tcp) if tcp is not None else _address("--ws", ws) if ws is not None else None
    if ws is not None:
        _require_websockets()
    _configure_logging(getattr(args, "log_file", None))
    from ssot_lsp.lsp.server import create_server

    server = create_server()
    _memory_diagnostics()
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


def _memory_diagnostics() -> None:
    """With SSOT_LSP_TRACEMALLOC=FILE, SIGUSR1 appends the allocations grown since the first
    signal to FILE (for the load benchmark's memory investigation; off by default)."""
    target = os.environ.get("SSOT_LSP_TRACEMALLOC")
    if not target:
        return
    import signal
    import tracemalloc

    tracemalloc.start(8)
    state: dict[str, tracemalloc.Snapshot] = {}

    def dump(*_: object) -> None:
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
