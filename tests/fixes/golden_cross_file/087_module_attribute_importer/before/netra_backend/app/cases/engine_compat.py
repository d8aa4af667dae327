"""Old import path of the engine; kept until every caller moved (issue #759)."""
from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine

__all__ = ["ExecutionEngine"]
