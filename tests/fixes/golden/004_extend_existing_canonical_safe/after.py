from netra_backend.app.agents.supervisor.user_execution_engine import logger, UserExecutionEngine


def f(e: UserExecutionEngine):
    return logger
