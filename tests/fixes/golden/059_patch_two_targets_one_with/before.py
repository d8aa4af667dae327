from unittest.mock import patch


def test_supervisor_routes_and_logs():
    with (
        patch("netra_backend.app.agents.supervisor_consolidated.logger") as mock_logger,
        patch("netra_backend.app.agents.supervisor_consolidated.SupervisorAgent") as mock_supervisor,
    ):
        assert mock_logger is not mock_supervisor
