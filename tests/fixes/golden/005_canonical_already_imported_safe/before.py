from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine
from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


def f(a: UserExecutionEngine, b: ExecutionEngine):
    return a, b
