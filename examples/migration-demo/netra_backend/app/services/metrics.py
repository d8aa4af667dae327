"""Prometheus labels for agent runs."""
from typing import Dict

# Runs on the legacy engine are labelled separately until phase 5 removes it (#759).
from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine  # ssot: ignore[SSOT001]

_run_counts: Dict[str, int] = {"legacy": 0, "ssot": 0}


def engine_label(engine: object) -> str:
    """'legacy' for the old engine, 'ssot' for everything else."""
    return "legacy" if isinstance(engine, ExecutionEngine) else "ssot"


def record_run(engine: object) -> None:
    _run_counts[engine_label(engine)] += 1


def snapshot() -> Dict[str, int]:
    """Copy of the counters, for the /metrics endpoint."""
    return dict(_run_counts)
