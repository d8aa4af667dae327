from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine, logger


def f(e: ExecutionEngine):
    logger.info('x')
