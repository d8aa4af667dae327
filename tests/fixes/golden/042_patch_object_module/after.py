from unittest.mock import patch


def test():
    with patch('netra_backend.app.agents.supervisor.user_execution_engine.UserExecutionEngine') as cls:
        return cls
