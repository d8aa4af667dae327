"""Built-in profiles, as plain configuration data.

A profile goes through the same validation as a user's `[tool.ssot-lsp]` table, which keeps the
rules free of project names and proves the file format can express it. A project starts from one
with ``profile = "netra"`` and changes it with plain and `extend-` keys; without a configuration
file the default profile applies.

The netra profile describes the monorepo of the first users as far as their migration issue (the
"seed") tells. Every entry naming code the seed does not name is listed in ``assumptions`` with the
reason, and `ssot-lsp check --show-settings` shows it next to the value: a user sees which entries to
check against their tree. `tests/core/test_profile_against_seed.py` keeps the list exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Assumption:
    """A profile entry its sources do not confirm. ``key`` is the settings path
    (``groups[engine].legacy-symbols``); ``entry`` the array item or table key (None: the whole value)."""

    key: str
    entry: str | None
    reason: str


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    table: dict[str, Any]
    assumptions: tuple[Assumption, ...] = ()


_APP = "netra_backend.app."
_AGENTS = _APP + "agents."
_SUPERVISOR = _AGENTS + "supervisor."
_ENGINE_FACTORY = _SUPERVISOR + "execution_engine_factory"
_CONSOLIDATED = _AGENTS + "execution_engine_consolidated"
_LEGACY_ADAPTER = _AGENTS + "execution_engine_legacy_adapter"
_UNIFIED_FACTORY = _AGENTS + "execution_engine_unified_factory"
_INTERFACE = _AGENTS + "execution_engine_interface"
_TOOL_ENGINES = (
    _AGENTS + "unified_tool_execution:UnifiedToolExecutionEngine",
    _APP + "services.unified_tool_registry.execution_engine:ToolExecutionEngine",
)
_TEST_PATHS = ["tests/**", "**/tests/**", "**/test_*.py", "**/*_test.py", "**/conftest.py"]

_NETRA_TABLE: dict[str, Any] = {
    "exclude": [
        # copies of the tree are not code: 56 % of the files of the monorepo the profile was tried on
        "**/backup/**", "**/backups/**", "**/archive/**", "**/archived/**", "**/*.backup*",
        "**/node_modules/**", "**/.venv/**", "**/venv/**", "**/site-packages/**",
    ],
    "test-paths": _TEST_PATHS,
    "severity": {},
    "per-path": [
        {
            "paths": _TEST_PATHS,
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
                                  "tool_dispatcher", "max_concurrent_executions", "agent_factory",
                                  "websocket_emitter"],
                "description": "ExecutionEngineFactory.create_for_user(context) via get_execution_engine_factory()",
            },
            "legacy-modules": [
                _CONSOLIDATED,
                _LEGACY_ADAPTER,
                _UNIFIED_FACTORY,
                _SUPERVISOR + "execution_engine",
                _SUPERVISOR + "mcp_execution_engine",
                _SUPERVISOR + "request_scoped_execution_engine",
                _APP + "core.managers.execution_engine_factory",
                _APP + "services.unified_tool_registry.execution_engine",
                _AGENTS + "unified_tool_execution",
                _INTERFACE,
            ],
            "legacy-symbols": [
                _SUPERVISOR + "execution_engine:ExecutionEngine",
                _SUPERVISOR + "request_scoped_execution_engine:RequestScopedExecutionEngine",
                _SUPERVISOR + "mcp_execution_engine:MCPEnhancedExecutionEngine",
                _CONSOLIDATED + ":IsolatedExecutionEngine",
                _CONSOLIDATED + ":ConsolidatedExecutionEngineWrapper",
                _LEGACY_ADAPTER + ":SupervisorExecutionEngineAdapter",
                _UNIFIED_FACTORY + ":UserExecutionEngineWrapper",
                _INTERFACE + ":GenericExecutionEngineAdapter",
                *_TOOL_ENGINES,
                _APP + "core.managers.execution_engine_factory:BaseExecutionEngine",
            ],
            # the tool engines run tools, not agents: a per-user UserExecutionEngine does not replace them
            "replacements": {symbol: "none" for symbol in _TOOL_ENGINES},
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
            "context-types": ["UserExecutionContext"],
            "context-params": ["user_context", "context"],
        },
        {
            "name": "supervisor",
            "canonical": _AGENTS + "supervisor_ssot:SupervisorAgent",
            "legacy-modules": [_AGENTS + "supervisor_consolidated"],
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

_ENGINE = "groups[engine]"
_NO_PACKAGE = "The seed names {file} but not its package; netra_backend/app/agents/ is assumed."
_NOT_DEFINED_THERE = "The seed names {cls} and {file}, but not that the class is defined in that module."

_NETRA_ASSUMPTIONS = (
    Assumption(f"{_ENGINE}.factory.imports", _ENGINE_FACTORY + ":get_execution_engine_factory",
               "The seed names no factory function; get_execution_engine_factory is assumed."),
    Assumption(f"{_ENGINE}.factory.create", None,
               "The seed names the target factory (UserExecutionEngineFactory) but not how it is called; "
               "create_for_user(context) is assumed."),
    Assumption(f"{_ENGINE}.factory.scope", None, "user_execution_scope(context) is not named by the seed."),
    Assumption(f"{_ENGINE}.factory.supplied-args", None,
               "The seed names no constructor parameters; these names are assumed (agent_factory and "
               "websocket_emitter from the trial in issue 15)."),
    Assumption(f"{_ENGINE}.legacy-modules", _CONSOLIDATED, _NO_PACKAGE.format(file="execution_engine_consolidated.py")),
    Assumption(f"{_ENGINE}.legacy-modules", _LEGACY_ADAPTER,
               _NO_PACKAGE.format(file="execution_engine_legacy_adapter.py")),
    Assumption(f"{_ENGINE}.legacy-modules", _UNIFIED_FACTORY,
               _NO_PACKAGE.format(file="execution_engine_unified_factory.py")),
    Assumption(f"{_ENGINE}.legacy-modules", _INTERFACE,
               _NO_PACKAGE.format(file="execution_engine_interface.py") + " The seed keeps this module for "
               "IExecutionEngine (Phase 3): it is legacy here, with its interface names allowed."),
    Assumption(f"{_ENGINE}.legacy-symbols", _SUPERVISOR + "mcp_execution_engine:MCPEnhancedExecutionEngine",
               _NOT_DEFINED_THERE.format(cls="MCPEnhancedExecutionEngine", file="supervisor/mcp_execution_engine.py")),
    Assumption(f"{_ENGINE}.legacy-symbols", _CONSOLIDATED + ":IsolatedExecutionEngine",
               "The seed names IsolatedExecutionEngine but not its module."),
    Assumption(f"{_ENGINE}.legacy-symbols", _CONSOLIDATED + ":ConsolidatedExecutionEngineWrapper",
               "The seed names ConsolidatedExecutionEngineWrapper (an adapter to remove, Phase 3) but not its "
               "module, and on the monorepo the profile was tried on it is defined elsewhere: add the right "
               "'module:ConsolidatedExecutionEngineWrapper' with extend-groups."),
    Assumption(f"{_ENGINE}.legacy-symbols", _LEGACY_ADAPTER + ":SupervisorExecutionEngineAdapter",
               _NOT_DEFINED_THERE.format(cls="SupervisorExecutionEngineAdapter",
                                         file="execution_engine_legacy_adapter.py")
               + " Nor does it name that file's package."),
    Assumption(f"{_ENGINE}.legacy-symbols", _UNIFIED_FACTORY + ":UserExecutionEngineWrapper",
               "UserExecutionEngineWrapper is not named by the seed."),
    Assumption(f"{_ENGINE}.legacy-symbols", _INTERFACE + ":GenericExecutionEngineAdapter",
               "GenericExecutionEngineAdapter is not named by the seed."),
    Assumption(f"{_ENGINE}.legacy-symbols", _TOOL_ENGINES[0],
               _NOT_DEFINED_THERE.format(cls="UnifiedToolExecutionEngine", file="agents/unified_tool_execution.py")),
    Assumption(f"{_ENGINE}.legacy-symbols", _TOOL_ENGINES[1],
               _NOT_DEFINED_THERE.format(cls="ToolExecutionEngine",
                                         file="services/unified_tool_registry/execution_engine.py")),
    Assumption(f"{_ENGINE}.legacy-symbols", _APP + "core.managers.execution_engine_factory:BaseExecutionEngine",
               "The seed names BaseExecutionEngine (Phase 5) but not its module."),
    Assumption(f"{_ENGINE}.allowed", _INTERFACE + ":IExecutionEngine",
               _NO_PACKAGE.format(file="execution_engine_interface.py (with IExecutionEngine)")),
    Assumption(f"{_ENGINE}.allowed", _INTERFACE + ":ExecutionEngineCapabilities",
               "ExecutionEngineCapabilities is not named by the seed."),
    Assumption(f"{_ENGINE}.allowed", _INTERFACE + ":ExecutionEngineAdapter",
               "ExecutionEngineAdapter is not named by the seed."),
    Assumption(f"{_ENGINE}.compat-constructors", "create_from_legacy",
               "create_from_legacy is not named by the seed (the trial in issue 13 found it, then its removal)."),
    Assumption(f"{_ENGINE}.context-args", None,
               "The seed names no constructor parameters; positions and keywords are assumed."),
    Assumption(f"{_ENGINE}.context-types", "UserExecutionContext",
               "UserExecutionContext is not named by the seed (it is by the trial in issue 15)."),
    Assumption(f"{_ENGINE}.context-params", None,
               "The seed names no parameters; user_context and context are assumed (issue 15)."),
    Assumption("groups[supervisor].canonical", None,
               "The seed names supervisor_ssot.py but not its package; netra_backend/app/agents/ is assumed."),
    Assumption("groups[supervisor].legacy-modules", _AGENTS + "supervisor_consolidated",
               "The seed names supervisor_consolidated.py but not its package; netra_backend/app/agents/ is assumed."),
    Assumption("groups[emitter].canonical", None,
               "The seed names UnifiedWebSocketEmitter but not its module; websocket_core/unified_emitter.py is assumed."),
)

NETRA = Profile(
    name="netra",
    description="the netra monorepo: UserExecutionEngine, SupervisorAgent and UnifiedWebSocketEmitter",
    table=_NETRA_TABLE,
    assumptions=_NETRA_ASSUMPTIONS,
)

PROFILES: dict[str, Profile] = {NETRA.name: NETRA}
DEFAULT_PROFILE_NAME = NETRA.name

# The default profile's table (what applies without a configuration file); kept for callers that
# load it directly.
DEFAULT_PROFILE: dict[str, Any] = NETRA.table
