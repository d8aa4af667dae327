def f(x):
    from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine

    y: UserExecutionEngine = x
    return y
