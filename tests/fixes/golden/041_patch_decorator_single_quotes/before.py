from unittest.mock import patch


@patch('netra_backend.app.agents.supervisor.execution_engine.ExecutionEngine')
def test(cls):
    return cls
