import netra_backend.app.cases.engine_compat as compat


def make(registry, bridge):
    return compat.ExecutionEngine(registry, bridge)
