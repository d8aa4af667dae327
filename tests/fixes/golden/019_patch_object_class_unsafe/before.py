from unittest.mock import patch

from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


def test():
    with patch.object(ExecutionEngine, 'execute_agent'):
        pass
