from unittest.mock import patch

from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


def test():
    with patch.object(UserExecutionEngine, 'execute_agent'):
        pass
