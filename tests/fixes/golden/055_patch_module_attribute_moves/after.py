from unittest import mock


async def test_shutdown_logs_the_cached_runs(engine):
    with mock.patch("netra_backend.app.agents.supervisor.user_execution_engine.logger") as mock_logger:
        await engine.shutdown()
        mock_logger.info.assert_called_once()
