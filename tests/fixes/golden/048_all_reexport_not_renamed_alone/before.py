from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


def f(e: ExecutionEngine):
    return e


__all__ = ['ExecutionEngine', 'f']
