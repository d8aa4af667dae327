from netra_backend.app.agents.supervisor.execution_engine import (  # legacy names
    logger,  # keep me
)
from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


def f(e: UserExecutionEngine):
    return logger
