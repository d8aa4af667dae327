from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


async def run(registry, websocket_bridge, ctx):
    engine = ExecutionEngine(registry, websocket_bridge, ctx)
    return engine
