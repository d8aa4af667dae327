from netra_backend.app.agents.supervisor.execution_engine import (
    logger
)
from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


def f(e: UserExecutionEngine):
    return logger
