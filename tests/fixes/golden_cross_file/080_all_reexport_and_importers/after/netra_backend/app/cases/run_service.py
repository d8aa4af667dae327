from netra_backend.app.agents.supervisor.execution_engine_factory import get_execution_engine_factory


async def run_for(ctx, registry, bridge):
    engine = await (await get_execution_engine_factory()).create_for_user(ctx)  # one engine per request
    return await engine.execute_agent('triage', {})
