from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


def f(e: "UserExecutionEngine") -> None:
    pass
