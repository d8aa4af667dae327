from netra_backend.app.agents.supervisor.execution_engine import (  # legacy names
    ExecutionEngine,  # the old one
    logger,  # keep me
)


def f(e: ExecutionEngine):
    return logger
