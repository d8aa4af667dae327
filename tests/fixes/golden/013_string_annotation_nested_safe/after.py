from typing import Optional

from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


def f(e: "Optional[UserExecutionEngine]") -> "UserExecutionEngine":
    return e
