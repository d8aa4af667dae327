from unittest.mock import patch


def test_warns_on_missing_agent():
    with patch("netra_backend.app.agents.supervisor.user_execution_engine.logger") as mock_logger:
        mock_logger.warning("missing")
        mock_logger.warning.assert_called_once()
