from netra_backend.app.agents.supervisor.execution_engine import (
    logger,
    ExecutionEngine
)


def f(e: ExecutionEngine):
    return logger
