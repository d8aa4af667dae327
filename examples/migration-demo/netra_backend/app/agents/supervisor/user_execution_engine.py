"""UserExecutionEngine: the single source of truth for running agents.

One engine per user request. It owns the user's context, builds agents through
the per-user agent factory and reports progress through the user's emitter, so
no state is shared between users.
"""
import asyncio
import logging
import warnings
from typing import Any, Dict, Optional

logger = logging.getLogger(__name__)


class UserExecutionEngine:
    """Runs agents for exactly one user context."""

    def __init__(self, context, agent_factory, websocket_emitter):
        self.context = context
        self.agent_factory = agent_factory
        self.websocket_emitter = websocket_emitter
        self._active_runs: Dict[str, asyncio.Task] = {}
        self._closed = False

    @classmethod
    async def create_from_legacy(cls, registry, websocket_bridge, user_context=None):
        """Build an engine from the arguments of the old ExecutionEngine.

        Deprecated: use ``ExecutionEngineFactory.create_for_user`` instead.
        """
        warnings.warn(
            "create_from_legacy is deprecated; use the execution engine factory",
            DeprecationWarning,
            stacklevel=2,
        )
        if user_context is None:
            raise ValueError("a user context is required")
        return cls(user_context, registry.as_agent_factory(), websocket_bridge.emitter_for(user_context))

    async def execute_agent(self, agent_name: str, state: Dict[str, Any]) -> Any:
        """Create ``agent_name`` for this user and run it with ``state``."""
        if self._closed:
            raise RuntimeError("engine already cleaned up")
        agent = self.agent_factory.create(agent_name, self.context)
        await self.websocket_emitter.notify_agent_started(agent_name)
        task = asyncio.ensure_future(agent.run(state))
        self._active_runs[agent_name] = task
        try:
            result = await task
        finally:
            self._active_runs.pop(agent_name, None)
        await self.websocket_emitter.notify_agent_completed(agent_name, result)
        return result

    async def cleanup(self, timeout: Optional[float] = 5.0) -> None:
        """Cancel what is still running and release the user's resources."""
        self._closed = True
        for task in self._active_runs.values():
            task.cancel()
        if self._active_runs:
            await asyncio.wait(list(self._active_runs.values()), timeout=timeout)
        logger.debug("engine for user %s cleaned up", self.context.user_id)
