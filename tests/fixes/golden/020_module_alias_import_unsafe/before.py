import netra_backend.app.agents.supervisor.execution_engine as ee


def f(e: ee.ExecutionEngine):
    return isinstance(e, ee.ExecutionEngine)
