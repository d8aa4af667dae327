"""How the server process runs (not what it reports): fixed for the life of the process.

These come from the command that starts the server (``ssot-lsp serve`` reads them from the
environment once, see docs/protocol.md), never from module-level code, so that importing the
server has no effects and tests can build a server with the options they need.
Settings that change what is reported are the client's ``ssotLsp`` settings (``settings.py``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Mapping

from ssot_lsp.lsp.tracing import NO_TRACER, Tracer


@dataclass(frozen=True)
class ServerOptions:
    scan_jobs: int = field(default_factory=lambda: os.cpu_count() or 1)  # worker processes of a scan
    poll_seconds: float = 2.0  # period of the disk poll for clients that cannot watch files
    first_index_wait: float = 20.0  # longest wait of a first pull from a client without refresh support
    tracer: Tracer = NO_TRACER


class OptionError(ValueError):
    """An environment value that is not usable: reported as one line by ``serve``."""


def options_from_environment(environ: Mapping[str, str], tracer: Tracer = NO_TRACER) -> ServerOptions:
    """``SSOT_LSP_JOBS``, ``SSOT_LSP_POLL_SECONDS``, ``SSOT_LSP_FIRST_INDEX_WAIT`` (unset: defaults)."""
    defaults = ServerOptions()
    return ServerOptions(
        scan_jobs=int(_number(environ, "SSOT_LSP_JOBS", defaults.scan_jobs, integer=True)),
        poll_seconds=_number(environ, "SSOT_LSP_POLL_SECONDS", defaults.poll_seconds),
        first_index_wait=_number(environ, "SSOT_LSP_FIRST_INDEX_WAIT", defaults.first_index_wait),
        tracer=tracer,
    )


def _number(environ: Mapping[str, str], name: str, default: float, integer: bool = False) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        value = -1
    if value <= 0:
        kind = "an integer" if integer else "a number"
        raise OptionError(f"{name}={raw!r}: expected {kind} > 0")
    return value
