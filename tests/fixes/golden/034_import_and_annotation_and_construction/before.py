from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


async def run(registry, bridge, ctx) -> ExecutionEngine:
    engine: ExecutionEngine = ExecutionEngine(registry, bridge, user_context=ctx)
    return engine
