from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


async def run(registry, bridge, ctx):
    async with ExecutionEngine(registry, bridge, user_context=ctx) as engine:
        return await engine.execute_agent('a', {})
