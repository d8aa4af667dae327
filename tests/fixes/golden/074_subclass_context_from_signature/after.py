from netra_backend.app.agents.supervisor.execution_engine_factory import get_execution_engine_factory


async def engine_for(registry, websocket_bridge, ctx):
    engine = await (await get_execution_engine_factory()).create_for_user(ctx)
    return engine
