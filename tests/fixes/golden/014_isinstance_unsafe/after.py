from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


def is_engine(x):
    return isinstance(x, UserExecutionEngine)
