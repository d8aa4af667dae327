from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


def is_engine(x):
    return issubclass(x, ExecutionEngine)
