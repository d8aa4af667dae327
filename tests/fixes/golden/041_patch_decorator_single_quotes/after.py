from unittest.mock import patch


@patch('netra_backend.app.agents.supervisor.user_execution_engine.UserExecutionEngine')
def test(cls):
    return cls
