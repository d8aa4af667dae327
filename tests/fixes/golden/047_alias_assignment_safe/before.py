from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine

ExecutionEngine = UserExecutionEngine


def f(e: ExecutionEngine):
    return e
