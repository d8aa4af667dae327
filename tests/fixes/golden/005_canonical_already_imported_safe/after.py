from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


def f(a: UserExecutionEngine, b: UserExecutionEngine):
    return a, b
