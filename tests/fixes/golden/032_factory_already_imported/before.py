from netra_backend.app.agents.supervisor.execution_engine_factory import get_execution_engine_factory
from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


async def run(registry, bridge, ctx):
    f = get_execution_engine_factory
    return ExecutionEngine(registry, bridge, user_context=ctx), f
