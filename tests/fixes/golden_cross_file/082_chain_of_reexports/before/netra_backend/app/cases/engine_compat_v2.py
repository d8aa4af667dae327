"""Second compatibility layer (v0.9 jobs)."""
from netra_backend.app.cases.engine_compat import ExecutionEngine

__all__ = ["ExecutionEngine", "JOBS"]

JOBS = ("reindex",)
