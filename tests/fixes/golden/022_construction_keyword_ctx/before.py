from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


async def run(registry, websocket_bridge, ctx):
    engine = ExecutionEngine(registry, websocket_bridge, user_context=ctx)
    return await engine.execute_agent('a', {})
