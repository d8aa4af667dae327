from netra_backend.app.agents.supervisor.execution_engine_factory import get_execution_engine_factory


async def run(request, state):
    return await (await get_execution_engine_factory()).create_for_user(request.state.user_context)
