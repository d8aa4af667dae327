"""Tests for the synchronous cron runner."""
from types import SimpleNamespace
from unittest.mock import AsyncMock, Mock, patch

from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine
from netra_backend.app.services import sync_runner


def make_engine(result) -> Mock:
    engine = Mock(spec=ExecutionEngine)
    engine.execute_agent = AsyncMock(return_value=result)
    return engine


@patch("netra_backend.app.agents.supervisor.execution_engine.ExecutionEngine")
def test_run_agent_blocking_returns_result(engine_cls):
    engine_cls.return_value = make_engine({"rows": 3})
    ctx = SimpleNamespace(user_id="cron", run_id="nightly")
    assert sync_runner.run_agent_blocking(Mock(), Mock(), ctx, "report", {}) == {"rows": 3}


def test_spec_engine_passes_isinstance_checks():
    engine = make_engine(None)
    assert isinstance(engine, ExecutionEngine)
