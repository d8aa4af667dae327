from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


def run(e: UserExecutionEngine) -> None:
    pass
