from netra_backend.app.cases.engine_compat import ExecutionEngine

ENGINES = {'default': ExecutionEngine}
