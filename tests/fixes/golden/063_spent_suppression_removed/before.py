from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine as UserExecutionEngine  # ssot: ignore[SSOT008]


def describe(engine: UserExecutionEngine) -> str:
    return repr(engine)
