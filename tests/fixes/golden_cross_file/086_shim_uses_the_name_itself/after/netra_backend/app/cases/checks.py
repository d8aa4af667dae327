from netra_backend.app.cases.engine_compat import is_engine
from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


def check(engine: UserExecutionEngine) -> bool:
    return is_engine(engine)
