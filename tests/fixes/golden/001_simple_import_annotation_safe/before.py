from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


def run(e: ExecutionEngine) -> None:
    pass
