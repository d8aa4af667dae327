from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


async def run(registry, bridge, ctx):
    engine = ExecutionEngine(
        registry,  # shared registry
        bridge,
        user_context=ctx,  # the user
    )
    return engine
