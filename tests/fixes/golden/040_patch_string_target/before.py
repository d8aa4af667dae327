from unittest import mock


def test():
    with mock.patch('netra_backend.app.agents.supervisor.execution_engine.ExecutionEngine') as cls:
        return cls
