from unittest import mock


def test_run_is_timed(engine):
    with mock.patch("netra_backend.app.agents.supervisor.request_scoped_execution_engine.time") as mock_time:
        mock_time.monotonic.return_value = 10.0
        assert engine is not None
