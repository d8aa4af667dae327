from unittest import mock


def test_engine_is_patched():
    # the old module, split for line length
    with mock.patch(
        "netra_backend.app.agents.supervisor.user_execution_engine.UserExecutionEngine"
    ) as engine_cls:
        assert engine_cls is not None
