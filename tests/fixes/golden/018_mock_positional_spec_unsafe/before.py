from unittest.mock import MagicMock

from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine

m = MagicMock(ExecutionEngine)
