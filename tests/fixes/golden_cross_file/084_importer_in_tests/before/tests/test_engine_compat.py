from unittest.mock import Mock

from netra_backend.app.cases.engine_compat import ExecutionEngine


def test_engine_double():
    engine = Mock(spec=ExecutionEngine)
    assert engine is not None
