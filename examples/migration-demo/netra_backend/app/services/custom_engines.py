"""Engines written by individual teams before the SSOT engine existed."""
import asyncio
from typing import Any, Dict

from netra_backend.app.agents.supervisor.request_scoped_execution_engine import RequestScopedExecutionEngine
from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


class LocalExecutionEngine:
    """Runs agents in-process for local development without WebSockets."""

    def __init__(self, registry):
        self.registry = registry

    async def execute_agent(self, agent_name: str, state: Dict[str, Any]) -> Any:
        return await self.registry.get(agent_name).execute(state, "local")


class BatchWorker(RequestScopedExecutionEngine):
    """Processes queued requests with a higher concurrency limit."""

    def __init__(self, user_context, registry, websocket_bridge):
        super().__init__(user_context, registry, websocket_bridge, max_concurrent_executions=8)

    async def drain(self, queue: asyncio.Queue) -> int:
        """Run every queued (agent, state) pair; return how many ran."""
        count = 0
        while not queue.empty():
            agent_name, state = queue.get_nowait()
            await self.execute_agent(agent_name, state)
            count += 1
        return count


class TenantEngine(UserExecutionEngine):
    """Adds the tenant id to every state passed to an agent."""

    async def execute_agent(self, agent_name: str, state: Dict[str, Any]) -> Any:
        state = dict(state, tenant_id=self.context.tenant_id)
        return await super().execute_agent(agent_name, state)


class ExecutionEngineRegistry:
    """Keeps track of which engine served which request (for dashboards)."""

    def __init__(self):
        self._by_request: Dict[str, str] = {}

    def record(self, request_id: str, engine: object) -> None:
        self._by_request[request_id] = type(engine).__name__

    def engines_in_use(self) -> set:
        return set(self._by_request.values())
