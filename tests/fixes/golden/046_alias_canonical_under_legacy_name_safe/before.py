from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine as ExecutionEngine


def f(e: ExecutionEngine):
    return e
