from netra_backend.app.cases.engine_compat import *  # noqa: F403


def engine_type():
    return ExecutionEngine  # noqa: F405
