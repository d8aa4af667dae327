from unittest.mock import patch

from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


def test_request_constructor_is_used():
    with patch.object(ExecutionEngine, "create_for_request") as create:
        assert create is not None
