from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


def either(a: UserExecutionEngine, b: UserExecutionEngine) -> list:
    return [a, b]
