from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


async def run(registry, bridge, c1, c2):
    return [ExecutionEngine(registry, bridge, user_context=c1), ExecutionEngine(registry, bridge, user_context=c2)]
