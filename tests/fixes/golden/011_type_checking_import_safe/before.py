from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


def f(e: "ExecutionEngine") -> None:
    pass
