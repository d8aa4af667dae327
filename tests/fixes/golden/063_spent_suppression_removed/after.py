from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


def describe(engine: UserExecutionEngine) -> str:
    return repr(engine)
