from unittest.mock import Mock

from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


def test_engine_double():
    engine = Mock(spec=UserExecutionEngine)
    assert engine is not None
