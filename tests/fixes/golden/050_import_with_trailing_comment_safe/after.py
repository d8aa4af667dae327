from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine  # TODO remove


def f(e: UserExecutionEngine):
    return e
