"""Fixtures for the core tests: a workspace shaped like the built-in profile's layout.

``project`` starts with the canonical modules, the factory and a few legacy modules of the
default profile (under ``netra_backend/app/``) so a test only writes the file it is about and
asks for that file's findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from ssot_lsp.config.loader import load_config
from ssot_lsp.core.workspace import ScanResult, Workspace

APP = "netra_backend/app/"

BASE_FILES = {
    "netra_backend/__init__.py": "",
    APP + "__init__.py": "",
    APP + "agents/__init__.py": "",
    APP + "agents/supervisor/__init__.py": "",
    APP + "services/__init__.py": "",
    APP + "websocket_core/__init__.py": "",
    APP + "agents/supervisor/user_execution_engine.py": """\
        class UserExecutionEngine:
            def __init__(self, context, agent_factory, emitter):
                self.context = context

            @classmethod
            async def create_from_legacy(cls, registry, bridge, user_context=None):
                return cls(user_context, registry, bridge)
        """,
    APP + "agents/supervisor/execution_engine_factory.py": """\
        from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


        class ExecutionEngineFactory:
            async def create_for_user(self, context):
                return UserExecutionEngine(context, None, None)


        class ExecutionEngineRegistry:
            pass


        async def get_execution_engine_factory():
            return ExecutionEngineFactory()
        """,
    APP + "agents/supervisor/execution_engine.py": """\
        class ExecutionEngine:
            def __init__(self, registry, bridge, user_context=None):
                self.registry = registry

            @classmethod
            def create_for_request(cls, registry, bridge, user_context):
                return cls(registry, bridge, user_context)

            def run(self):
                return None
        """,
    APP + "agents/supervisor/request_scoped_execution_engine.py": """\
        class RequestScopedExecutionEngine:
            def __init__(self, user_context, registry=None, bridge=None):
                self.user_context = user_context
        """,
    APP + "agents/execution_engine_interface.py": """\
        class IExecutionEngine:
            pass


        class ExecutionEngineCapabilities:
            pass


        class ExecutionEngineAdapter:
            pass


        class GenericExecutionEngineAdapter:
            pass
        """,
    APP + "agents/supervisor_ssot.py": """\
        class SupervisorAgent:
            pass
        """,
    APP + "agents/supervisor_consolidated.py": """\
        class SupervisorAgent:
            pass
        """,
    APP + "websocket_core/unified_emitter.py": """\
        class UnifiedWebSocketEmitter:
            async def notify_agent_started(self, name):
                return name
        """,
}


@dataclass
class Finding:
    path: str  # relative to the workspace root, '/'-separated
    line: int  # 1-based
    col: int  # 1-based
    code: str
    message: str
    severity: str


class Project:
    """A workspace under ``root``: write files, scan, and read findings per file."""

    def __init__(self, root: Path, write_files) -> None:
        self.root = root
        self.result: ScanResult | None = None
        self._write_files = write_files  # the shared fixture of tests/conftest.py

    def write(self, files: dict[str, str | bytes]) -> "Project":
        self._write_files(files, self.root)
        return self

    def scan(self, **kwargs) -> ScanResult:
        kwargs.setdefault("jobs", 1)
        self.result = Workspace(load_config(self.root)).scan(**kwargs)
        return self.result

    def findings(self, path: str | None = None) -> list[Finding]:
        result = self.result or self.scan()
        out = []
        for v in result.violations:
            rel = Path(v.path).resolve().relative_to(self.root.resolve()).as_posix()
            if path is None or rel == path:
                out.append(Finding(rel, v.span.line + 1, v.span.col + 1, v.code, v.message, v.severity))
        return out

    def codes(self, path: str) -> list[tuple[int, str]]:
        """(1-based line, code) of every finding in one file, in order."""
        return [(f.line, f.code) for f in self.findings(path)]

    def violations(self, path: str):
        result = self.result or self.scan()
        return [v for v in result.violations
                if Path(v.path).resolve().relative_to(self.root.resolve()).as_posix() == path]

    def check(self, rel: str, text: str) -> list[tuple[int, str]]:
        """Write one file, scan, and return its (line, code) findings."""
        self.write({rel: text})
        self.scan()
        return self.codes(rel)


@pytest.fixture
def bare(tmp_path: Path, write_files) -> Project:
    """An empty workspace (checked with the default profile unless a config file is written)."""
    return Project(tmp_path, write_files)


@pytest.fixture
def project(tmp_path: Path, write_files) -> Project:
    """A workspace with the default profile's canonical, factory and some legacy modules."""
    return Project(tmp_path, write_files).write(BASE_FILES)
