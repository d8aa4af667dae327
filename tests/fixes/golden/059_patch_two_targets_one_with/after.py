from unittest.mock import patch


def test_supervisor_routes_and_logs():
    with (
        patch("netra_backend.app.agents.supervisor_ssot.logger") as mock_logger,
        patch("netra_backend.app.agents.supervisor_ssot.SupervisorAgent") as mock_supervisor,
    ):
        assert mock_logger is not mock_supervisor
