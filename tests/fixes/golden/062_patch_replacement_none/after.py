from unittest.mock import patch


@patch("netra_backend.app.agents.unified_tool_execution.UnifiedToolExecutionEngine")
def test_tools_run_through_the_tool_engine(tool_engine_cls):
    assert tool_engine_cls is not None
