from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine as UserExecutionEngine  # noqa: F401, SSOT008


def describe(engine: UserExecutionEngine) -> str:
    return repr(engine)  # ssot: ignore[SSOT003]  # kept: reports nothing before the fix either
