from netra_backend.app.cases.engine_compat import ExecutionEngine


async def run_for(ctx, registry, bridge):
    engine = ExecutionEngine(registry, bridge, user_context=ctx)  # one engine per request
    return await engine.execute_agent('triage', {})
