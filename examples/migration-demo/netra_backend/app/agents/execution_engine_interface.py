"""Interface every execution engine presents to the supervisor.

``IExecutionEngine``, ``ExecutionEngineCapabilities`` and ``ExecutionEngineAdapter``
stay after the migration; ``GenericExecutionEngineAdapter`` does not.
"""
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Dict, Protocol


class IExecutionEngine(Protocol):
    """What the supervisor needs from an engine."""

    async def execute_agent(self, agent_name: str, state: Dict[str, Any]) -> Any:
        """Run one agent and return its result."""

    async def cleanup(self) -> None:
        """Release everything the engine holds."""


@dataclass(frozen=True)
class ExecutionEngineCapabilities:
    """Feature flags an engine advertises."""

    user_isolation: bool = True
    parallel_agents: bool = True
    tool_events: bool = True


class ExecutionEngineAdapter(ABC):
    """Base class for adapters around engines with another API."""

    @abstractmethod
    def capabilities(self) -> ExecutionEngineCapabilities:
        """Describe what the wrapped engine supports."""

    @abstractmethod
    async def execute_agent(self, agent_name: str, state: Dict[str, Any]) -> Any:
        """Run one agent through the wrapped engine."""


class GenericExecutionEngineAdapter(ExecutionEngineAdapter):
    """Wraps any object with a ``run(agent_name, state)`` coroutine."""

    def __init__(self, target):
        self._target = target

    def capabilities(self) -> ExecutionEngineCapabilities:
        return ExecutionEngineCapabilities(user_isolation=False)

    async def execute_agent(self, agent_name: str, state: Dict[str, Any]) -> Any:
        return await self._target.run(agent_name, state)
