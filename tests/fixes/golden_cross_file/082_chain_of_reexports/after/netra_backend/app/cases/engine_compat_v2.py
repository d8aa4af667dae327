"""Second compatibility layer (v0.9 jobs)."""

__all__ = ["JOBS"]

JOBS = ("reindex",)
