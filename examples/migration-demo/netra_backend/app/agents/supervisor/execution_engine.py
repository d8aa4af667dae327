"""Legacy ExecutionEngine (shared registry, one instance per process).

Kept during the migration to UserExecutionEngine; scheduled for removal in
phase 5 of issue #759. Do not add new callers.
"""
import asyncio
import logging
from typing import Any, Dict

logger = logging.getLogger(__name__)


class ExecutionEngine:
    """Runs agents from the global agent registry."""

    def __init__(self, registry, websocket_bridge, user_context=None):
        self.registry = registry
        self.websocket_bridge = websocket_bridge
        self.user_context = user_context
        self._lock = asyncio.Lock()
        self._runs: Dict[str, Any] = {}

    @classmethod
    def create_for_request(cls, registry, websocket_bridge, user_context):
        """Older spelling used by the v1 routes."""
        return cls(registry, websocket_bridge, user_context=user_context)

    async def __aenter__(self) -> "ExecutionEngine":
        return self

    async def __aexit__(self, exc_type, exc, tb) -> None:
        await self.shutdown()

    async def execute_agent(self, agent_name: str, state: Dict[str, Any]) -> Any:
        """Run a registered agent; results are cached per agent name."""
        agent = self.registry.get(agent_name)
        run_id = getattr(self.user_context, "run_id", "shared")
        await self.websocket_bridge.notify_agent_started(run_id, agent_name)
        async with self._lock:
            result = await agent.execute(state, run_id)
            self._runs[agent_name] = result
        await self.websocket_bridge.notify_agent_completed(run_id, agent_name, result)
        return result

    async def shutdown(self) -> None:
        logger.info("legacy engine shutting down with %d cached runs", len(self._runs))
        self._runs.clear()
