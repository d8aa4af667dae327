"""Runs agents through the old import path, reached as a module."""
from netra_backend.app.agents.supervisor.execution_engine_factory import get_execution_engine_factory
from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


async def run_for(ctx, registry, bridge) -> "UserExecutionEngine":
    engine: UserExecutionEngine = await (await get_execution_engine_factory()).create_for_user(ctx)
    return engine


def is_engine(obj) -> bool:
    return isinstance(obj, UserExecutionEngine)
