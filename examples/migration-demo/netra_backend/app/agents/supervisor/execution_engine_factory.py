"""ExecutionEngineFactory: the only place that constructs UserExecutionEngine."""
import asyncio
from contextlib import asynccontextmanager
from typing import AsyncIterator, Callable, Optional

from .user_execution_engine import UserExecutionEngine


class ExecutionEngineFactory:
    """Creates one isolated engine per user request."""

    def __init__(self, agent_factory, emitter_factory: Callable, max_engines_per_user: int = 2):
        self._agent_factory = agent_factory
        self._emitter_factory = emitter_factory
        self._max_engines_per_user = max_engines_per_user
        self._engines_by_user: dict = {}

    async def create_for_user(self, context) -> UserExecutionEngine:
        """Return a fresh engine bound to ``context``."""
        active = self._engines_by_user.setdefault(context.user_id, [])
        if len(active) >= self._max_engines_per_user:
            raise RuntimeError(f"too many concurrent engines for user {context.user_id}")
        emitter = self._emitter_factory(context)
        engine = UserExecutionEngine(context, self._agent_factory, emitter)
        active.append(engine)
        return engine

    async def release(self, engine: UserExecutionEngine) -> None:
        """Clean the engine up and forget it."""
        await engine.cleanup()
        self._engines_by_user.get(engine.context.user_id, []).remove(engine)

    @asynccontextmanager
    async def user_execution_scope(self, context) -> AsyncIterator[UserExecutionEngine]:
        """``async with factory.user_execution_scope(ctx) as engine: ...``"""
        engine = await self.create_for_user(context)
        try:
            yield engine
        finally:
            await self.release(engine)


_factory: Optional[ExecutionEngineFactory] = None
_factory_lock = asyncio.Lock()


def configure_execution_engine_factory(agent_factory, emitter_factory: Callable) -> None:
    """Install the process-wide factory (called once at start-up)."""
    global _factory
    _factory = ExecutionEngineFactory(agent_factory, emitter_factory)


async def get_execution_engine_factory() -> ExecutionEngineFactory:
    """Return the configured factory; fail loudly if start-up did not run."""
    async with _factory_lock:
        if _factory is None:
            raise RuntimeError("execution engine factory is not configured")
        return _factory
