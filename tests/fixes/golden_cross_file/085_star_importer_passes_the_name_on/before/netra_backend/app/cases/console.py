from netra_backend.app.cases.everything import ExecutionEngine


def console_engine(engine: ExecutionEngine) -> str:
    return 'ops'
