from netra_backend.app.cases.engine_compat_v2 import JOBS, ExecutionEngine


def job_engine(engine: ExecutionEngine) -> tuple:
    return JOBS
