from netra_backend.app.cases.engine_compat_v2 import JOBS
from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


def job_engine(engine: UserExecutionEngine) -> tuple:
    return JOBS
