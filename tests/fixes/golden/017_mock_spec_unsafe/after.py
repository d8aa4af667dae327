from unittest.mock import Mock

from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine

m = Mock(spec=UserExecutionEngine)
