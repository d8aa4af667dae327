from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


def f(e: UserExecutionEngine):
    return e
