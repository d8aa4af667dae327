import netra_backend.app.agents.supervisor.execution_engine as ee


async def f(registry, bridge, ctx):
    return ee.ExecutionEngine(registry, bridge, user_context=ctx)
