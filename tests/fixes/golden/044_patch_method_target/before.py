from unittest.mock import patch


@patch('netra_backend.app.agents.supervisor.execution_engine.ExecutionEngine.execute_agent')
def test(m):
    return m
