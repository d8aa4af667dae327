from netra_backend.app.agents.supervisor.execution_engine_factory import get_execution_engine_factory


async def run(registry, bridge, c1, c2):
    return [await (await get_execution_engine_factory()).create_for_user(c1), await (await get_execution_engine_factory()).create_for_user(c2)]
