import logging

from netra_backend.app.cases.engine_compat import ExecutionEngine as Engine

logger = logging.getLogger(__name__)


def describe(engine: Engine) -> str:
    return type(engine).__name__
