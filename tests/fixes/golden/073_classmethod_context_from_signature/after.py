from netra_backend.app.agents.supervisor.execution_engine_factory import get_execution_engine_factory


async def engine_for(registry, websocket_bridge, request_context):
    # the classmethod's third parameter is user_context
    return await (await get_execution_engine_factory()).create_for_user(request_context)
