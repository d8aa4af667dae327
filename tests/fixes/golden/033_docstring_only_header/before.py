"""Module doc."""


async def run(registry, bridge, ctx):
    from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine

    return ExecutionEngine(registry, bridge, user_context=ctx)
