from ..agents.supervisor.execution_engine import ExecutionEngine


def f(e: ExecutionEngine):
    return e
