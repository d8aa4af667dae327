"""Tests for the v1 agent routes."""
import importlib
from types import SimpleNamespace
from unittest import mock
from unittest.mock import AsyncMock, Mock, patch

import pytest

from netra_backend.app.agents.supervisor import execution_engine as execution_engine_module
from netra_backend.app.routes import agent_routes


def make_request(body: dict) -> Mock:
    request = Mock()
    request.json = AsyncMock(return_value=body)
    request.state.user_context = SimpleNamespace(user_id="u-1", run_id="r-1")
    return request


@pytest.mark.asyncio
async def test_run_agent_passes_body_as_state():
    with mock.patch("netra_backend.app.agents.supervisor.execution_engine.ExecutionEngine") as engine_cls:
        engine_cls.return_value.execute_agent = AsyncMock(return_value={"ok": True})
        result = await agent_routes.run_agent("triage", make_request({"q": 1}))
    assert result == {"ok": True}


@pytest.mark.asyncio
async def test_scoped_run_shuts_engine_down():
    with patch.object(execution_engine_module, "ExecutionEngine") as engine_cls:
        engine = engine_cls.return_value.__aenter__.return_value
        engine.execute_agent = AsyncMock(return_value="done")
        assert await agent_routes.run_scoped("triage", make_request({})) == "done"


def test_request_scoped_engine_module_still_importable():
    module = importlib.import_module("netra_backend.app.agents.supervisor.request_scoped_execution_engine")
    assert hasattr(module, "RequestScopedExecutionEngine")
