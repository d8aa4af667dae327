from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine
from netra_backend.app.cases.engine_compat import ExecutionEngine


def either(a: ExecutionEngine, b: UserExecutionEngine) -> list:
    return [a, b]
