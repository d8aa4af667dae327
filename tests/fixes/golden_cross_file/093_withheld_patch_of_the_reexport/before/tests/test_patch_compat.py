from unittest.mock import patch


def test_patched():
    with patch("netra_backend.app.cases.engine_compat.ExecutionEngine") as engine:
        assert engine is not None
