from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine as Engine


def f(e: Engine) -> Engine:
    return e
