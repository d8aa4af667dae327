from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


async def run(registry, bridge, ctx):
    engine = await UserExecutionEngine.create_from_legacy(registry, bridge, user_context=ctx)
    return engine
