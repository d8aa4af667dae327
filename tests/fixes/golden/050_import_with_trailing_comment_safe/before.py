from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine  # TODO remove


def f(e: ExecutionEngine):
    return e
