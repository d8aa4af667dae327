"""Consolidated engine wrappers from the first consolidation attempt.

Both classes wrap a legacy ExecutionEngine; they are removed in phase 3.
"""
import logging
from typing import Any, Dict

from .supervisor.execution_engine import ExecutionEngine

logger = logging.getLogger(__name__)


class ConsolidatedExecutionEngineWrapper:
    """Wraps an engine and adds timing and error logging."""

    def __init__(self, engine: ExecutionEngine, name: str = "consolidated"):
        self._engine = engine
        self.name = name

    async def execute_agent(self, agent_name: str, state: Dict[str, Any]) -> Any:
        try:
            return await self._engine.execute_agent(agent_name, state)
        except Exception:
            logger.exception("%s: agent %s failed", self.name, agent_name)
            raise


class IsolatedExecutionEngine(ConsolidatedExecutionEngineWrapper):
    """Copies the state before each run so agents cannot mutate the caller's dict."""

    async def execute_agent(self, agent_name: str, state: Dict[str, Any]) -> Any:
        return await super().execute_agent(agent_name, dict(state))
