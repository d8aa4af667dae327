"""Adapter that lets the old supervisor drive the legacy ExecutionEngine."""
from typing import Any, Dict

from .execution_engine_interface import ExecutionEngineAdapter, ExecutionEngineCapabilities
from .supervisor.execution_engine import ExecutionEngine


class SupervisorExecutionEngineAdapter(ExecutionEngineAdapter):
    """Presents ExecutionEngine through the IExecutionEngine interface."""

    def __init__(self, engine: ExecutionEngine):
        self._engine = engine

    def capabilities(self) -> ExecutionEngineCapabilities:
        return ExecutionEngineCapabilities(user_isolation=False, parallel_agents=False)

    async def execute_agent(self, agent_name: str, state: Dict[str, Any]) -> Any:
        """Forward to the wrapped engine unchanged."""
        return await self._engine.execute_agent(agent_name, state)

    async def cleanup(self) -> None:
        await self._engine.shutdown()
