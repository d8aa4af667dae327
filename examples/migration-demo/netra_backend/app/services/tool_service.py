"""Tool service: runs tools for agents, with optional MCP and isolation support."""
import logging
from typing import TYPE_CHECKING, Any, Dict, Optional

if TYPE_CHECKING:
    from netra_backend.app.agents.supervisor.mcp_execution_engine import MCPEnhancedExecutionEngine

try:
    from netra_backend.app.agents.execution_engine_consolidated import IsolatedExecutionEngine
except ImportError:  # removed in phase 3
    IsolatedExecutionEngine = None

logger = logging.getLogger(__name__)


def mcp_servers_of(engine: "MCPEnhancedExecutionEngine") -> list:
    """List the MCP servers attached to an engine (for the admin page)."""
    return list(engine.mcp_servers)


def is_isolated(engine: object) -> bool:
    return IsolatedExecutionEngine is not None and isinstance(engine, IsolatedExecutionEngine)


async def run_tool_request(ctx, registry, websocket_bridge, request: Dict[str, Any]) -> Optional[Any]:
    """Run the agent named in the request with a per-request concurrency limit."""
    # Imported here to avoid an import cycle with the supervisor package.
    from netra_backend.app.agents.supervisor.request_scoped_execution_engine import RequestScopedExecutionEngine

    engine = RequestScopedExecutionEngine(ctx, registry, websocket_bridge, max_concurrent_executions=1)
    if not request.get("agent"):
        logger.warning("tool request without an agent from %s", ctx.user_id)
        return None
    return await engine.execute_agent(request["agent"], request.get("state", {}))
