from netra_backend.app.cases.engine_compat import ExecutionEngine  # ssot: ignore[SSOT001]


def pinned(engine: ExecutionEngine) -> None:
    return None
