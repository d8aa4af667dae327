from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine

X = 1
