from netra_backend.app.agents.supervisor.request_scoped_execution_engine import RequestScopedExecutionEngine


async def run(registry, bridge, ctx):
    return RequestScopedExecutionEngine(ctx, registry, bridge, max_concurrent_executions=2)
