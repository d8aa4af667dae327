"""Agents package: the public names used by routes and services.

``ExecutionEngine`` is still re-exported for callers that have not moved to
``UserExecutionEngine`` yet (phase 3 of the consolidation, issue #759).
"""
from .execution_engine_interface import ExecutionEngineCapabilities, IExecutionEngine
from .supervisor.execution_engine import ExecutionEngine
from .supervisor_ssot import SupervisorAgent

__all__ = [
    "ExecutionEngine",
    "ExecutionEngineCapabilities",
    "IExecutionEngine",
    "SupervisorAgent",
]
