from unittest import mock


def test_engine_is_patched():
    with mock.patch(
        "netra_backend.app.agents.supervisor.execution_engine."  # the old module, split for line length
        "ExecutionEngine"
    ) as engine_cls:
        assert engine_cls is not None
