def f(x):
    from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine

    y: ExecutionEngine = x
    return y
