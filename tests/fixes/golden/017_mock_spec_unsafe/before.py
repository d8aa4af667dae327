from unittest.mock import Mock

from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine

m = Mock(spec=ExecutionEngine)
