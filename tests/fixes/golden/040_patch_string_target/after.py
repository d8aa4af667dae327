from unittest import mock


def test():
    with mock.patch('netra_backend.app.agents.supervisor.user_execution_engine.UserExecutionEngine') as cls:
        return cls
