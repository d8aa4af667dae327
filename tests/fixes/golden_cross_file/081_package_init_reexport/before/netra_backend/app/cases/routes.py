from netra_backend.app.cases.engines import ExecutionEngine


def engine_kind(engine: ExecutionEngine) -> str:
    return 'legacy'
