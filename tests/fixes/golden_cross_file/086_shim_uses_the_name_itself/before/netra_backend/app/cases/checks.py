from netra_backend.app.cases.engine_compat import ExecutionEngine, is_engine


def check(engine: ExecutionEngine) -> bool:
    return is_engine(engine)
