from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


def console_engine(engine: UserExecutionEngine) -> str:
    return 'ops'
