"""The built-in profile for the netra monorepo layout, as plain configuration data.

It goes through the same loader and validation as a user's `[tool.ssot-lsp]` table, which keeps
the rules free of project names and proves the file format can express it.
"""

from __future__ import annotations

_APP = "netra_backend.app."
_ENGINE_FACTORY = _APP + "agents.supervisor.execution_engine_factory"
_SUPERVISOR = _APP + "agents.supervisor."
_LEGACY_ENGINE_MODULES = [
    _APP + "agents.execution_engine_consolidated",
    _APP + "agents.execution_engine_legacy_adapter",
    _APP + "agents.execution_engine_unified_factory",
    _APP + "agents.supervisor.execution_engine",
    _APP + "agents.supervisor.mcp_execution_engine",
    _APP + "agents.supervisor.request_scoped_execution_engine",
    _APP + "core.managers.execution_engine_factory",
    _APP + "services.unified_tool_registry.execution_engine",
    _APP + "agents.unified_tool_execution",
    _APP + "agents.execution_engine_interface",
]
_INTERFACE = _APP + "agents.execution_engine_interface"

DEFAULT_PROFILE: dict = {
    "exclude": ["**/*.backup*", "**/node_modules/**", "**/.venv/**", "**/venv/**", "**/site-packages/**"],
    "severity": {},
    "per-path": [
        {
            "paths": ["tests/**", "**/tests/**", "**/test_*.py"],
            "severity": {"SSOT002": "warning", "SSOT003": "information", "SSOT004": "information"},
        }
    ],
    "groups": [
        {
            "name": "engine",
            "canonical": _SUPERVISOR + "user_execution_engine:UserExecutionEngine",
            "factory-modules": [_ENGINE_FACTORY],
            "factory": {
                "module": _ENGINE_FACTORY,
                "imports": [_ENGINE_FACTORY + ":get_execution_engine_factory"],
                "create": "await (await get_execution_engine_factory()).create_for_user({context})",
                "scope": "(await get_execution_engine_factory()).user_execution_scope({context})",
                "async": True,
                "supplied-args": ["registry", "websocket_bridge", "bridge", "agent_registry",
                                  "tool_dispatcher", "max_concurrent_executions"],
                "description": "ExecutionEngineFactory.create_for_user(context) via get_execution_engine_factory()",
            },
            "legacy-modules": _LEGACY_ENGINE_MODULES,
            "legacy-symbols": [
                _SUPERVISOR + "execution_engine:ExecutionEngine",
                _SUPERVISOR + "request_scoped_execution_engine:RequestScopedExecutionEngine",
                _SUPERVISOR + "mcp_execution_engine:MCPEnhancedExecutionEngine",
                _APP + "agents.execution_engine_consolidated:IsolatedExecutionEngine",
                _APP + "agents.execution_engine_consolidated:ConsolidatedExecutionEngineWrapper",
                _APP + "agents.execution_engine_legacy_adapter:SupervisorExecutionEngineAdapter",
                _APP + "agents.execution_engine_unified_factory:UserExecutionEngineWrapper",
                _INTERFACE + ":GenericExecutionEngineAdapter",
                _APP + "agents.unified_tool_execution:UnifiedToolExecutionEngine",
                _APP + "services.unified_tool_registry.execution_engine:ToolExecutionEngine",
                _APP + "core.managers.execution_engine_factory:BaseExecutionEngine",
            ],
            "allowed": [
                _INTERFACE + ":IExecutionEngine",
                _INTERFACE + ":ExecutionEngineCapabilities",
                _INTERFACE + ":ExecutionEngineAdapter",
            ],
            "class-pattern": r"ExecutionEngine$",
            "subclasses-of-legacy": True,
            "canonical-subclasses-are-duplicates": False,
            "compat-constructors": ["create_from_legacy"],
            "context-args": {
                _SUPERVISOR + "execution_engine:ExecutionEngine": {"position": 2, "keyword": "user_context"},
                _SUPERVISOR + "request_scoped_execution_engine:RequestScopedExecutionEngine": {
                    "position": 0, "keyword": "user_context"},
                _SUPERVISOR + "user_execution_engine:UserExecutionEngine.create_from_legacy": {
                    "position": 2, "keyword": "user_context"},
            },
        },
        {
            "name": "supervisor",
            "canonical": _APP + "agents.supervisor_ssot:SupervisorAgent",
            "legacy-modules": [_APP + "agents.supervisor_consolidated"],
            "duplicate-name": True,
            "subclasses-of-legacy": True,
        },
        {
            "name": "emitter",
            "canonical": _APP + "websocket_core.unified_emitter:UnifiedWebSocketEmitter",
            "method-pattern": r"^notify_agent_",
            "severity": {"SSOT006": "information"},
        },
    ],
}
