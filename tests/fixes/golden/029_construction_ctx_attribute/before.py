from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


async def run(request, state):
    return ExecutionEngine(state.agent_registry, state.websocket_bridge, user_context=request.state.user_context)
