"""Old names kept for callers that have not migrated yet.

Everything here goes away with phase 5 of issue #759.
"""
import os

from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine

# The batch pipeline and the admin CLI still use the pre-2024 name.
LegacyEngine = ExecutionEngine

DEFAULT_MAX_CONCURRENCY = 3


def legacy_engine_enabled() -> bool:
    """True while the NETRA_LEGACY_ENGINE switch is on (default: on)."""
    return os.environ.get("NETRA_LEGACY_ENGINE", "1") not in ("0", "false", "no")


__all__ = ["DEFAULT_MAX_CONCURRENCY", "LegacyEngine", "legacy_engine_enabled"]
