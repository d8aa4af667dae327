from netra_backend.app.agents.supervisor.execution_engine_factory import get_execution_engine_factory


async def run(registry, bridge, ctx):
    engine = await (await get_execution_engine_factory()).create_for_user(ctx)
    return engine
