from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


async def run(registry, bridge, ctx, pool):
    return pool.submit(
        ExecutionEngine(registry, bridge, user_context=ctx),
        priority=1,
    )
