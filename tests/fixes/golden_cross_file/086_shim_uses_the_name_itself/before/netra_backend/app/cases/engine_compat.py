"""Old import path of the engine."""
from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine

__all__ = ["ExecutionEngine", "is_engine"]


def is_engine(obj) -> bool:
    return isinstance(obj, ExecutionEngine)
