from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


def engine_kind(engine: UserExecutionEngine) -> str:
    return 'legacy'
