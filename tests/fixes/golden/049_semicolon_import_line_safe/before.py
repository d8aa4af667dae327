import os; from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


def f(e: ExecutionEngine):
    return os.sep
