from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


def f(e: ExecutionEngine, s='日本語'):
    return s + '✓'
