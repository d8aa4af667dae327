import logging

from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine

logger = logging.getLogger(__name__)


def describe(engine: UserExecutionEngine) -> str:
    return type(engine).__name__
