"""MCPEnhancedExecutionEngine: ExecutionEngine plus MCP tool servers."""
import logging
from typing import Any, Dict, List

from .execution_engine import ExecutionEngine

logger = logging.getLogger(__name__)


class MCPEnhancedExecutionEngine(ExecutionEngine):
    """Adds Model Context Protocol servers to the tools an agent can call."""

    def __init__(self, registry, websocket_bridge, user_context=None, mcp_servers: List[str] = ()):
        super().__init__(registry, websocket_bridge, user_context=user_context)
        self.mcp_servers = list(mcp_servers)

    async def execute_agent(self, agent_name: str, state: Dict[str, Any]) -> Any:
        """Attach the MCP servers to the state, then run as usual."""
        state = dict(state, mcp_servers=self.mcp_servers)
        logger.debug("running %s with %d MCP servers", agent_name, len(self.mcp_servers))
        return await super().execute_agent(agent_name, state)

    def add_server(self, url: str) -> None:
        if url not in self.mcp_servers:
            self.mcp_servers.append(url)
