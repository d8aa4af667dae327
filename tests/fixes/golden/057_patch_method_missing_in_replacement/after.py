from unittest.mock import AsyncMock, patch


@patch("netra_backend.app.agents.supervisor.execution_engine.ExecutionEngine.shutdown", new_callable=AsyncMock)
async def test_exit_shuts_down(mock_shutdown, engine):
    async with engine:
        pass
    mock_shutdown.assert_awaited_once()
