from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine as UserExecutionEngine


def f(e: UserExecutionEngine):
    return e
