from unittest.mock import patch

from netra_backend.app.agents.supervisor import execution_engine as legacy_engine_module


def test_warns_on_missing_agent():
    with patch.object(legacy_engine_module, "logger") as mock_logger:
        mock_logger.warning("missing")
        mock_logger.warning.assert_called_once()
