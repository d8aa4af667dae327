"""Health checks for the agent execution subsystem.

During the migration two engine families are live: the legacy ExecutionEngine
(and RequestScopedExecutionEngine) and the SSOT UserExecutionEngine. This module
only reports on them; it never imports or creates an engine.
"""
import logging
from typing import Any, Dict

logger = logging.getLogger(__name__)

# Keep in sync with netra_backend.app.agents.supervisor.execution_engine until it is removed.
LEGACY_ENGINE_NAMES = ("ExecutionEngine", "RequestScopedExecutionEngine", "MCPEnhancedExecutionEngine")


def engine_health(engine_stats: Dict[str, int]) -> Dict[str, Any]:
    """Summarise how many runs each engine class served since start-up."""
    legacy_runs = sum(engine_stats.get(name, 0) for name in LEGACY_ENGINE_NAMES)
    if legacy_runs:
        logger.warning(
            "ExecutionEngine still served %d runs; see netra_backend.app.agents.supervisor.execution_engine",
            legacy_runs,
        )
    return {
        "status": "degraded" if legacy_runs else "ok",
        "legacy_runs": legacy_runs,
        "ssot_runs": engine_stats.get("UserExecutionEngine", 0),
        "hint": "migrate callers of ExecutionEngine(...) to get_execution_engine_factory()",
    }


def describe_engine(engine: object) -> str:
    """Human-readable name for logs, e.g. 'UserExecutionEngine for user 42'."""
    user = getattr(getattr(engine, "context", None), "user_id", "?")
    return f"{type(engine).__name__} for user {user}"
