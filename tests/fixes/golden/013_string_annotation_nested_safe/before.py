from typing import Optional

from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


def f(e: "Optional[ExecutionEngine]") -> "ExecutionEngine":
    return e
