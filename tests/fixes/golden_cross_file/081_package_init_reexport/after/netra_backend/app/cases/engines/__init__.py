"""Engines package: the names routes import."""
from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine
