from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


async def warm_up(registry, bridge):
    engine = ExecutionEngine(registry, bridge, user_context=None)  # warm-up run, no user yet
    return engine
