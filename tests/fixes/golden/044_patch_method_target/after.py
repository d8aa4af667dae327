from unittest.mock import patch


@patch('netra_backend.app.agents.supervisor.user_execution_engine.UserExecutionEngine.execute_agent')
def test(m):
    return m
