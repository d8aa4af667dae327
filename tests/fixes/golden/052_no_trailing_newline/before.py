from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


async def run(registry, bridge, ctx):
    return ExecutionEngine(registry, bridge, user_context=ctx)