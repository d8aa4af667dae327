from netra_backend.app.cases import engine_compat

ENGINES = {"default": engine_compat.ExecutionEngine}
