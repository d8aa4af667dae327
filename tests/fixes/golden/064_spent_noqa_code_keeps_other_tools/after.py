from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine  # noqa: F401


def describe(engine: UserExecutionEngine) -> str:
    return repr(engine)  # ssot: ignore[SSOT003]  # kept: reports nothing before the fix either
