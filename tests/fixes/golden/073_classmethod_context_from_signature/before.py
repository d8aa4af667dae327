from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


async def engine_for(registry, websocket_bridge, request_context):
    # the classmethod's third parameter is user_context
    return ExecutionEngine.create_for_request(registry, websocket_bridge, request_context)
