"""Old import path of the engine."""
from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine

__all__ = ["is_engine"]


def is_engine(obj) -> bool:
    return isinstance(obj, UserExecutionEngine)
