"""RequestScopedExecutionEngine: an earlier per-request engine.

A full second implementation that predates UserExecutionEngine. It limits
concurrency per request but still resolves agents from the shared registry.
"""
import asyncio
import logging
import time
from typing import Any, Dict

logger = logging.getLogger(__name__)


class RequestScopedExecutionEngine:
    """Per-request engine with a concurrency limit."""

    def __init__(self, user_context, registry, websocket_bridge, max_concurrent_executions=3):
        self.user_context = user_context
        self.registry = registry
        self.websocket_bridge = websocket_bridge
        self._semaphore = asyncio.Semaphore(max_concurrent_executions)
        self._started_at = time.monotonic()

    async def execute_agent(self, agent_name: str, state: Dict[str, Any]) -> Any:
        """Run one agent inside the request's concurrency budget."""
        async with self._semaphore:
            agent = self.registry.get(agent_name)
            await self.websocket_bridge.notify_agent_started(self.user_context.run_id, agent_name)
            result = await agent.execute(state, self.user_context.run_id)
            await self.websocket_bridge.notify_agent_completed(
                self.user_context.run_id, agent_name, result
            )
            return result

    async def execute_parallel(self, agent_names, state: Dict[str, Any]) -> Dict[str, Any]:
        """Run several agents at once and collect their results by name."""
        results = await asyncio.gather(*(self.execute_agent(name, state) for name in agent_names))
        return dict(zip(agent_names, results))

    def elapsed(self) -> float:
        return time.monotonic() - self._started_at
