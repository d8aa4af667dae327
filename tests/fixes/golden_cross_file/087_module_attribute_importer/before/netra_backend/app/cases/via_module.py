"""Runs agents through the old import path, reached as a module."""
import netra_backend.app.cases.engine_compat as compat
from netra_backend.app.cases import engine_compat


async def run_for(ctx, registry, bridge) -> "compat.ExecutionEngine":
    engine: engine_compat.ExecutionEngine = compat.ExecutionEngine(registry, bridge, user_context=ctx)
    return engine


def is_engine(obj) -> bool:
    return isinstance(obj, compat.ExecutionEngine)
