from unittest.mock import MagicMock

from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine

m = MagicMock(UserExecutionEngine)
