"""Supervisor package: the SSOT user execution engine and its factory.

New code should import from here (or from the modules below) and obtain
engines through ``get_execution_engine_factory()``.
"""
from .execution_engine_factory import ExecutionEngineFactory, get_execution_engine_factory
from .user_execution_engine import UserExecutionEngine

__all__ = ["ExecutionEngineFactory", "UserExecutionEngine", "get_execution_engine_factory"]
