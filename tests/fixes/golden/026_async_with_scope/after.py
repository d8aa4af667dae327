from netra_backend.app.agents.supervisor.execution_engine_factory import get_execution_engine_factory


async def run(registry, bridge, ctx):
    async with (await get_execution_engine_factory()).user_execution_scope(ctx) as engine:
        return await engine.execute_agent('a', {})
