"""UnifiedToolExecutionEngine: runs tools and reports tool events.

Tool execution moves into UserExecutionEngine in phase 4 of issue #759.
"""
import logging
import time
from typing import Any, Dict

logger = logging.getLogger(__name__)


class UnifiedToolExecutionEngine:
    """Executes registered tools for an agent run."""

    def __init__(self, tool_registry, user_context=None, timeout_s: float = 30.0):
        self.tool_registry = tool_registry
        self.user_context = user_context
        self.timeout_s = timeout_s

    async def execute_tool(self, tool_name: str, arguments: Dict[str, Any]) -> Any:
        """Look the tool up and run it, logging how long it took."""
        tool = self.tool_registry.get(tool_name)
        started = time.monotonic()
        result = await tool.run(**arguments)
        logger.info("tool %s finished in %.2fs", tool_name, time.monotonic() - started)
        return result

    def available_tools(self) -> list:
        return sorted(self.tool_registry.names())
