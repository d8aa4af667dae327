"""The real-code shapes of the migration, each with the findings it should produce.

Every shape comes from a finding of the trial on the real monorepo (issues 13-15) or from the
clear-cut patterns the rules were built for; every "found" shape has a variant that must stay
clean.  A shape is a function ``(r, is_test) -> Placement`` whose ``Mark`` lines carry the
expected codes under the **target** behaviour of those issues:

* SSOT008 canonical-under-legacy-name is information (harmless direction), the other direction a warning;
* test doubles are at most information (``allow``), interfaces and delegating classes are clean;
* names bound by an import in one branch and a fallback in another still refer to the import;
* a class found by the class pattern (discovered duplicate) is followed like a listed legacy class;
* SSOT011 for what the migration broke: unbound canonical/legacy names, patches of deleted
  modules, ``create_from_legacy`` after its removal.

``SHAPES`` lists them with how many files per 10,000 live files carry each (the default corpus
has about 11,000 live files; every shape appears at least once at any size).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from .names import (
    AGENT_NAMES,
    AGENTS_PKG,
    CANONICAL_MOD,
    DELETED_TOOL_MOD,
    DISCOVERED,
    EMITTER_MOD,
    EVENTS,
    FACTORY_MOD,
    INTERFACE_MOD,
    LEGACY_CLASSES,
    LEGACY_EE_MOD,
    LEGACY_RS_MOD,
    LEGACY_TOOL_MOD,
    SUPERVISOR_LEGACY_MOD,
    SUPERVISOR_SSOT_MOD,
    TOOL_DISPATCHER_MOD,
    TOOL_ENGINE_MOD,
    TOOL_ENGINES,
    camel,
    words,
)
from .sites import Mark, Placement

FACTORY_IMPORT = f"from {FACTORY_MOD} import get_execution_engine_factory"
CANONICAL_IMPORT = f"from {CANONICAL_MOD} import UserExecutionEngine"
FACTORY_CALL = "await (await get_execution_engine_factory()).create_for_user(user_context)"
SCOPE_CALL = "(await get_execution_engine_factory()).user_execution_scope(user_context)"


def rewrite(to: str, safety: str = "unsafe", **extra) -> dict:
    return {"action": "rewrite", "safety": safety, "to": to, **extra}


def withhold(reason: str) -> dict:
    return {"action": "withhold", "reason": reason}


# --------------------------------------------------------------------------------------------
# Function frames: app functions take the collaborators as parameters, tests build mocks
# --------------------------------------------------------------------------------------------

def frame(r: random.Random, is_test: bool, body: list, is_async: bool = True, what: str = "") -> list:
    """Wrap ``body`` (lines at 4 spaces, may hold Marks) in an app function or a pytest test."""
    agent = r.choice(AGENT_NAMES)
    what = what or r.choice(("executes", "runs", "streams", "isolates", "recovers"))
    if is_test:
        head = (["@pytest.mark.asyncio", f"async def test_{agent}_{what}_{r.randint(1, 99)}(user_context):"]
                if is_async else [f"def test_{agent}_{what}_{r.randint(1, 99)}(user_context):"])
        head += [f'    """{r.choice(TEST_DOCS).format(agent=words(agent))}"""',
                 "    registry = MagicMock()", "    websocket_bridge = AsyncMock()",
                 "    agent_factory = MagicMock()", "    websocket_emitter = AsyncMock()",
                 "    tool_registry = MagicMock()", "    websocket_manager = AsyncMock()"]
        return head + body + ["", ""]
    params = ("registry: Any, websocket_bridge: Any, user_context: UserExecutionContext, "
              "agent_factory: Any = None, websocket_emitter: Any = None")
    name = f"{r.choice(('run', 'execute', 'dispatch', 'handle'))}_{agent}_{r.choice(('request', 'pipeline', 'for_user', 'step'))}"
    return ([f"{'async def' if is_async else 'def'} {name}({params}) -> Any:",
             f'    """{r.choice(APP_DOCS).format(agent=words(agent))}"""']
            + body + ["", ""])


TEST_DOCS = ["Golden Path: the {agent} completes and the user sees the result.",
             "The {agent} runs with an isolated engine per user.",
             "SSOT regression: {agent} events reach the right user.",
             "Mission critical: {agent} must not leak state between users."]
APP_DOCS = ["Run the {agent} for one user request.",
            "Execute the {agent} and stream its events to the user.",
            "Entry point used by the chat route for the {agent}."]


def use(engine: str, is_test: bool, r: random.Random, awaited: bool = True) -> list[str]:
    agent = r.choice(AGENT_NAMES)
    call = f'{"await " if awaited else ""}{engine}.execute_agent("{agent}", {{"user_request": "analyse costs"}})'
    if is_test:
        return [f"    result = {call}", "    assert result is not None"]
    return [f"    result = {call}",
            f'    logger.info(f"{agent} finished for user {{user_context.user_id}}")',
            "    return result"]


def pick_legacy(r: random.Random, allow_tool: bool = False) -> tuple[str, str, str]:
    names = [n for n in LEGACY_CLASSES if allow_tool or n not in TOOL_ENGINES]
    cls = r.choice(names)
    mod, args = LEGACY_CLASSES[cls]
    return cls, mod, args


def legacy_fix(cls: str, ctx: str = "user_context", scope: bool = False) -> dict:
    if cls in TOOL_ENGINES:
        return withhold("no-replacement")
    if ctx == "None":
        return withhold("none-context")
    return rewrite((SCOPE_CALL if scope else FACTORY_CALL).replace("user_context", ctx))


# --------------------------------------------------------------------------------------------
# Legacy imports and constructions (the clear-cut patterns, in the project's vocabulary)
# --------------------------------------------------------------------------------------------

def legacy_import_absolute(r, is_test):
    cls, mod, _ = pick_legacy(r, allow_tool=True)
    fix = withhold("no-replacement") if cls in TOOL_ENGINES else rewrite(CANONICAL_IMPORT, "safe")
    return Placement(
        imports=[Mark(f"from {mod} import {cls}", "legacy_import", "absolute", ("SSOT001",), cls, fix=fix)],
        blocks=[frame(r, is_test, [f"    engine: {cls} = registry.get_engine(user_context)"] + use("engine", is_test, r))],
        binds={cls})


def legacy_import_multiline(r, is_test):
    cls, mod, _ = pick_legacy(r)
    return Placement(
        imports=[f"from {mod} import (", Mark(f"    {cls},", "legacy_import", "multiline", ("SSOT001",), cls), ")"],
        blocks=[frame(r, is_test, [f"    engine: Optional[{cls}] = None",
                                   "    assert engine is None" if is_test else "    return engine"])],
        binds={cls})


def legacy_import_relative(r, is_test):
    # placed only in netra_backend/app/agents/supervisor/ (see SHAPES dir)
    return Placement(
        imports=[Mark("from .execution_engine import ExecutionEngine", "legacy_import", "relative", ("SSOT001",),
                      "ExecutionEngine")],
        blocks=[frame(r, False, ["    engine: ExecutionEngine = registry.shared_engine"] + use("engine", False, r))],
        binds={"ExecutionEngine"})


def legacy_import_type_checking(r, is_test):
    cls, mod, _ = pick_legacy(r)
    return Placement(
        imports=["from typing import TYPE_CHECKING", "", "if TYPE_CHECKING:",
                 Mark(f"    from {mod} import {cls}", "legacy_import", "type_checking", ("SSOT001",), cls,
                      fix=rewrite(CANONICAL_IMPORT, "safe"))],
        blocks=[frame(r, is_test, [f'    engine: "{cls}" = registry.shared_engine'] + use("engine", is_test, r))],
        binds={cls})


def legacy_import_package_reexport(r, is_test):
    """Importer of the legacy class through the package ``__init__`` that re-exports it."""
    return Placement(
        imports=[Mark(f"from {AGENTS_PKG} import ExecutionEngine", "compat_reexport", "importer", ("SSOT001",),
                      "ExecutionEngine")],
        blocks=[frame(r, is_test, [Mark("    engine = ExecutionEngine(registry, websocket_bridge, user_context=user_context)",
                                        "legacy_construction", "via_reexport", ("SSOT002",), "ExecutionEngine(",
                                        fix=legacy_fix("ExecutionEngine"))] + use("engine", is_test, r))],
        binds={"ExecutionEngine"})


def tool_reexport_importer(r, is_test):
    """Importer of the legacy tool engine through the module that lists it in ``__all__``."""
    return Placement(
        imports=[Mark(f"from {TOOL_DISPATCHER_MOD} import UnifiedToolExecutionEngine", "compat_reexport",
                      "tool_importer", ("SSOT001",), "UnifiedToolExecutionEngine", fix=withhold("no-replacement"))],
        blocks=[frame(r, is_test, ["    tool_engine: UnifiedToolExecutionEngine = registry.tool_engine",
                                   "    outcome = await tool_engine.execute_tool(\"search\", {\"q\": \"costs\"})",
                                   "    assert outcome is not None" if is_test else "    return outcome"])],
        binds={"UnifiedToolExecutionEngine"})


def canonical_reexport_importer(r, is_test):
    return Placement(
        imports=[Mark("from netra_backend.app.agents.supervisor import UserExecutionEngine", "compat_reexport",
                      "canonical_importer", (), "UserExecutionEngine")],
        blocks=[frame(r, is_test, ["    engine: UserExecutionEngine = " + FACTORY_CALL] + use("engine", is_test, r))],
        imports_extra=[FACTORY_IMPORT], binds={"UserExecutionEngine"})


def allowed_interface_import(r, is_test):
    return Placement(
        imports=[Mark(f"from {INTERFACE_MOD} import ExecutionEngineCapabilities, IExecutionEngine",
                      "legacy_import", "allowed_names", (), "IExecutionEngine")],
        blocks=[frame(r, is_test, ["    engine: IExecutionEngine = registry.engine_for(user_context)",
                                   "    caps = ExecutionEngineCapabilities(user_isolation=True)"] + use("engine", is_test, r))],
        binds={"IExecutionEngine", "ExecutionEngineCapabilities"})


def legacy_construction(r, is_test, variant="async"):
    cls, mod, args = pick_legacy(r, allow_tool=variant == "tool_engine")
    if variant == "tool_engine":
        cls = "UnifiedToolExecutionEngine"
        mod, args = LEGACY_CLASSES[cls]
    if variant == "signature_context":
        cls = r.choice(("MCPEnhancedExecutionEngine", "IsolatedExecutionEngine"))
        mod, args = LEGACY_CLASSES[cls]
    if variant == "none_context":  # the trial's case: ExecutionEngine(registry, bridge, user_context=None)
        cls = "ExecutionEngine"
        mod, args = LEGACY_CLASSES[cls]
    ctx = "None" if variant == "none_context" else "user_context"
    call = f"{cls}({args.format(ctx=ctx)})"
    imp = Mark(f"from {mod} import {cls}", "legacy_import", "with_construction", ("SSOT001",), cls,
               fix=withhold("no-replacement") if cls in TOOL_ENGINES else
               rewrite(FACTORY_IMPORT, "unsafe", note="together with the constructions"))
    fix = legacy_fix(cls, ctx)
    if variant == "signature_context" and fix["action"] == "rewrite":
        fix["context_from"] = "signature"
    if variant == "sync":
        fix = withhold("not-async")
    line = f"    engine = {call}"
    if variant == "none_context":
        line += "  # legacy default engine, shared by all users"
    if variant == "async_with":
        body = [Mark(f"    async with {call} as engine:", "legacy_construction", variant, ("SSOT002",), f"{cls}(",
                     fix=legacy_fix(cls, scope=True))]
        body += ["    " + x for x in use("engine", is_test, r)]
    else:
        body = [Mark(line, "legacy_construction", variant, ("SSOT002",), f"{cls}(", fix=fix)]
        body += use("engine", is_test, r, awaited=variant != "sync") if variant != "sync" else \
            ["    return engine" if not is_test else "    assert engine is not None"]
    return Placement(imports=[imp], blocks=[frame(r, is_test, body, is_async=variant != "sync")], binds={cls})


def legacy_module_alias(r, is_test):
    cls, mod, args = pick_legacy(r)
    alias = r.choice(("legacy_engine_module", "ee", "_legacy_ee"))
    return Placement(
        imports=[Mark(f"import {mod} as {alias}", "legacy_import", "module_alias", ("SSOT001",), alias)],
        blocks=[frame(r, is_test, [Mark(f"    engine = {alias}.{cls}({args.format(ctx='user_context')})",
                                        "legacy_construction", "module_attribute", ("SSOT002",), f"{alias}.{cls}(",
                                        fix=legacy_fix(cls))] + use("engine", is_test, r))],
        binds={alias})


def legacy_clean_uses(r, is_test):
    """The legacy import is found; isinstance, Mock(spec=...) and annotations must stay clean."""
    cls, mod, _ = pick_legacy(r)
    body = [Mark(f"    engine = MagicMock(spec={cls})", "legacy_construction", "mock_spec", (), f"spec={cls}"),
            Mark(f"    assert not isinstance(engine, {cls})", "legacy_construction", "isinstance", (), f"isinstance(engine, {cls})")]
    if not is_test:
        body = [Mark(f"    if isinstance(registry, {cls}):", "legacy_construction", "isinstance", (), f"isinstance(registry, {cls})"),
                '        logger.warning("legacy engine passed in; use the factory")',
                "    return " + FACTORY_CALL]
    return Placement(imports=[Mark(f"from {mod} import {cls}", "legacy_import", "with_clean_uses", ("SSOT001",), cls)],
                     imports_extra=[FACTORY_IMPORT] if not is_test else [],
                     blocks=[frame(r, is_test, body)], binds={cls})


# --------------------------------------------------------------------------------------------
# The canonical class: factory bypass, create_from_legacy after its removal
# --------------------------------------------------------------------------------------------

def factory_bypass(r, is_test, variant="async"):
    args = "user_context, agent_factory, websocket_emitter"
    fix = rewrite(FACTORY_CALL, context_from="signature")
    if variant == "extra_args":
        args += ", run_timeout=60.0"
        fix = withhold("unsupplied-args")
    if variant == "keywords":
        args = "context=user_context, agent_factory=agent_factory, websocket_emitter=websocket_emitter"
    if variant == "sync":
        fix = withhold("not-async")
    body = [Mark(f"    engine = UserExecutionEngine({args})", "factory_bypass", variant, ("SSOT003",),
                 "UserExecutionEngine(", fix=fix)]
    body += use("engine", is_test, r, awaited=variant != "sync") if variant != "sync" else \
        ["    return engine" if not is_test else "    assert engine.context is user_context"]
    return Placement(imports=[CANONICAL_IMPORT], blocks=[frame(r, is_test, body, is_async=variant != "sync")],
                     binds={"UserExecutionEngine"})


def factory_call_clean(r, is_test):
    body = [Mark(f"    engine = {FACTORY_CALL}", "factory_bypass", "factory_call", (), "create_for_user(")]
    body += use("engine", is_test, r)
    return Placement(imports=[FACTORY_IMPORT], blocks=[frame(r, is_test, body)],
                     binds={"get_execution_engine_factory"})


def canonical_subclass(r, is_test):
    name = r.choice(("Tracing", "Metered", "Audited", "Streaming")) + "UserExecutionEngine"
    return Placement(imports=[CANONICAL_IMPORT], blocks=[[
        Mark(f"class {name}(UserExecutionEngine):", "factory_bypass", "canonical_subclass", (), f"class {name}"),
        '    """The SSOT engine with extra tracing (subclassing the canonical class is allowed)."""', "",
        "    async def execute_agent(self, agent_name: str, state: Dict[str, Any]) -> Any:",
        '        logger.debug("tracing %s", agent_name)',
        "        return await super().execute_agent(agent_name, state)", "", ""]],
        binds={"UserExecutionEngine", name})


def create_from_legacy(r, is_test):
    body = [Mark("    engine = await UserExecutionEngine.create_from_legacy(registry, websocket_bridge, user_context=user_context)",
                 "create_from_legacy", "after_removal", ("SSOT011",), "create_from_legacy(")]
    body += use("engine", is_test, r)
    return Placement(imports=[CANONICAL_IMPORT], blocks=[frame(r, is_test, body)], binds={"UserExecutionEngine"})


def existing_static_call(r, is_test):
    body = [Mark("    events = UserExecutionEngine.supported_event_types()", "create_from_legacy", "existing_method", (),
                 "supported_event_types("),
            "    assert \"agent_started\" in events" if is_test else "    return sorted(events)"]
    return Placement(imports=[CANONICAL_IMPORT], blocks=[frame(r, is_test, body, is_async=False)],
                     binds={"UserExecutionEngine"})


# --------------------------------------------------------------------------------------------
# Renamed imports: the canonical class under a legacy name, and what the renaming broke
# --------------------------------------------------------------------------------------------

ALIAS_IMPORT = f"from {CANONICAL_MOD} import UserExecutionEngine as ExecutionEngine"


def alias_mark(variant: str) -> Mark:
    """The import line of every renamed-import file (its own site, whatever the file does next)."""
    return Mark(ALIAS_IMPORT, "renamed_import", "canonical_as_legacy_name", ("SSOT008",), "as ExecutionEngine",
                severity={"SSOT008": "information"},
                fix=rewrite(CANONICAL_IMPORT, "safe", note="rename every use of the alias"))


def renamed_import(r, is_test, variant="annotation_only"):
    """``UserExecutionEngine as ExecutionEngine`` (SSOT008, information), then one of its consequences."""
    blocks = []
    future = False
    if variant == "annotation_only":
        body = ["    engine: ExecutionEngine = " + FACTORY_CALL] + use("engine", is_test, r)
        imports = [alias_mark(variant), FACTORY_IMPORT]
    elif variant == "alias_call":
        body = [Mark("    engine = ExecutionEngine(user_context, agent_factory, websocket_emitter)", "renamed_import",
                     "alias_call", ("SSOT003",), "ExecutionEngine(", fix=rewrite(FACTORY_CALL, context_from="signature"))]
        body += use("engine", is_test, r)
        imports = [alias_mark(variant)]
    elif variant == "unrenamed_call":
        # the migration renamed the import but not the calls: NameError at run time
        body = [Mark("    engine = UserExecutionEngine(user_context, agent_factory, websocket_emitter)", "renamed_import",
                     "unrenamed_call", ("SSOT011",), "UserExecutionEngine(")]
        body += use("engine", is_test, r)
        imports = [alias_mark(variant)]
    elif variant == "unevaluated_annotation":
        # with postponed annotations an unbound name in an annotation is not a reference: clean
        future = True
        body = [Mark("    engine: UserExecutionEngine = " + FACTORY_CALL, "renamed_import", "unevaluated_annotation", (),
                     "engine: UserExecutionEngine")] + use("engine", is_test, r)
        imports = [alias_mark(variant), FACTORY_IMPORT]
    else:  # string annotation: not a reference either
        body = [Mark('    engine: "UserExecutionEngine" = ' + FACTORY_CALL, "renamed_import", "string_annotation", (),
                     '"UserExecutionEngine"')] + use("engine", is_test, r)
        imports = [alias_mark(variant), FACTORY_IMPORT]
    blocks.append(frame(r, is_test, body))
    return Placement(imports=imports, blocks=blocks, binds={"ExecutionEngine", "get_execution_engine_factory"},
                     unbound={"UserExecutionEngine"}, needs_future=future, no_future=not future)


def unrenamed_legacy_name(r, is_test):
    """The import was migrated to the canonical class; a call still uses the legacy name (NameError)."""
    body = [Mark("    engine = ExecutionEngine(registry, websocket_bridge, user_context=user_context)", "renamed_import",
                 "unrenamed_legacy_call", ("SSOT011",), "ExecutionEngine(")]
    body += use("engine", is_test, r)
    return Placement(imports=[Mark(CANONICAL_IMPORT, "renamed_import", "migrated_import", (), "UserExecutionEngine")],
                     blocks=[frame(r, is_test, body)], binds={"UserExecutionEngine"}, unbound={"ExecutionEngine"})


def star_import_unknown(r, is_test):
    """A star import from a module the index cannot read makes names unknown: not reported."""
    body = [Mark("    engine = ExecutionEngine(registry, websocket_bridge, user_context=user_context)", "renamed_import",
                 "unknown_star_import", (), "ExecutionEngine(")] + use("engine", is_test, r)
    return Placement(imports=["from agent_runtime_sdk.compat import *  # noqa: F403 (vendored SDK)"],
                     blocks=[frame(r, is_test, body)], unbound={"ExecutionEngine", "UserExecutionEngine"})


def dangerous_alias(r, is_test):
    """A legacy class under the canonical name: reads like the SSOT, is the legacy engine."""
    return Placement(
        imports=[Mark(f"from {LEGACY_EE_MOD} import ExecutionEngine as UserExecutionEngine", "obscuring_alias",
                      "legacy_as_canonical", ("SSOT001", "SSOT008"), "as UserExecutionEngine",
                      fix=rewrite(f"from {LEGACY_EE_MOD} import ExecutionEngine", "safe", note="honest name"))],
        blocks=[frame(r, is_test, [Mark("    engine = UserExecutionEngine(registry, websocket_bridge, user_context=user_context)",
                                        "obscuring_alias", "legacy_call_through_alias", ("SSOT002",), "UserExecutionEngine(",
                                        fix=legacy_fix("ExecutionEngine"))] + use("engine", is_test, r))],
        binds={"UserExecutionEngine"})


def honest_alias(r, is_test):
    return Placement(
        imports=[Mark(f"from {LEGACY_EE_MOD} import ExecutionEngine as LegacyExecutionEngine", "obscuring_alias",
                      "honest_alias", ("SSOT001",), "as LegacyExecutionEngine")],
        blocks=[frame(r, is_test, ["    engine: LegacyExecutionEngine = registry.shared_engine"] + use("engine", is_test, r))],
        binds={"LegacyExecutionEngine"})


def neutral_alias(r, is_test):
    """The canonical class under a neutral name: neither hides what it is (clean)."""
    return Placement(
        imports=[Mark(f"from {CANONICAL_MOD} import UserExecutionEngine as Engine", "obscuring_alias", "neutral_alias", (),
                      "as Engine"), FACTORY_IMPORT],
        blocks=[frame(r, is_test, ["    engine: Engine = " + FACTORY_CALL] + use("engine", is_test, r))],
        binds={"Engine", "get_execution_engine_factory"})


# --------------------------------------------------------------------------------------------
# Fallbacks (issue 14 §1a, §1b)
# --------------------------------------------------------------------------------------------

def importerror_fallback(r, is_test):
    cls, mod, args = pick_legacy(r)
    module = ["try:",
              Mark(f"    from {mod} import {cls}", "importerror_fallback", "legacy_import", ("SSOT001",), cls),
              "except ImportError:  # removed in phase 5 of the SSOT plan",
              Mark(f"    {cls} = None  # type: ignore[assignment,misc]", "importerror_fallback", "fallback_value", (),
                   f"{cls} = None"), "", ""]
    body = [f"    if {cls} is None:",
            '        raise RuntimeError("legacy engine unavailable; use the execution engine factory")',
            Mark(f"    engine = {cls}({args.format(ctx='user_context')})", "importerror_fallback", "construction",
                 ("SSOT002",), f"{cls}(", fix=legacy_fix(cls))]
    body += use("engine", is_test, r)
    return Placement(module=[module], blocks=[frame(r, is_test, body)], binds={cls})


def importerror_fallback_clean(r, is_test):
    module = ["try:",
              Mark(f"    {FACTORY_IMPORT}", "importerror_fallback", "clean_import", (), "get_execution_engine_factory"),
              "except ImportError:  # lightweight deployments without the agent stack",
              "    get_execution_engine_factory = None  # type: ignore[assignment]", "", ""]
    body = ["    if get_execution_engine_factory is None:",
            '        raise RuntimeError("agent stack not installed")',
            Mark(f"    engine = {FACTORY_CALL}", "importerror_fallback", "clean_factory_call", (), "create_for_user(")]
    body += use("engine", is_test, r)
    return Placement(module=[module], blocks=[frame(r, is_test, body)], binds={"get_execution_engine_factory"})


def stub_fallback(r, is_test, clean=False):
    module = ["try:",
              f"    {CANONICAL_IMPORT}",
              "except ImportError:  # pragma: no cover - environments without the backend",
              Mark("    class UserExecutionEngine:  # type: ignore[no-redef]", "stub_fallback", "stub_class", (),
                   "class UserExecutionEngine"),
              '        """Stand-in so this module imports without the agent stack."""', "",
              "        def __init__(self, *args: Any, **kwargs: Any) -> None:",
              "            self.args = args", "", ""]
    if clean:
        body = [f"    from {FACTORY_MOD} import get_execution_engine_factory", "",
                Mark(f"    engine = {FACTORY_CALL}", "stub_fallback", "clean_factory_call", (), "create_for_user(")]
    else:
        body = [Mark("    engine = UserExecutionEngine(user_context, agent_factory, websocket_emitter)", "stub_fallback",
                     "direct_construction", ("SSOT003",), "UserExecutionEngine(",
                     fix=rewrite(FACTORY_CALL, context_from="signature"))]
    body += use("engine", is_test, r)
    return Placement(module=[module], blocks=[frame(r, is_test, body)], binds={"UserExecutionEngine"})


# --------------------------------------------------------------------------------------------
# Discovered duplicates (issue 14 §1c)
# --------------------------------------------------------------------------------------------

def discovered_usage(r, is_test, cls=None):
    cls = cls or "ToolExecutionEngine"
    mod, args, replacement = DISCOVERED[cls]
    if replacement == "none":
        ifix, cfix = withhold("no-replacement"), withhold("no-replacement")
    else:
        ifix = rewrite(FACTORY_IMPORT, note="together with the constructions")
        cfix = rewrite(FACTORY_CALL, context_from="signature")
    body = [Mark(f"    engine = {cls}({args.format(ctx='user_context')})", "discovered_duplicate", "construction",
                 ("SSOT002",), f"{cls}(", fix=cfix)]
    body += ['    outcome = await engine.run({"query": "costs"})',
             "    assert outcome is not None" if is_test else "    return outcome"]
    return Placement(imports=[Mark(f"from {mod} import {cls}", "discovered_duplicate", "import", ("SSOT001",), cls, fix=ifix)],
                     blocks=[frame(r, is_test, body)], binds={cls})


def discovered_clean(r, is_test):
    body = ["    config = ToolExecutionConfig(max_parallel_tools=4)",
            Mark("    engine = MockToolExecutionEngine(config=config)", "discovered_duplicate", "test_double_construction", (),
                 "MockToolExecutionEngine(")]
    body += ['    outcome = await engine.run({"query": "costs"})', "    assert outcome is not None"]
    return Placement(imports=[Mark(f"from {TOOL_ENGINE_MOD} import ToolExecutionConfig", "discovered_duplicate",
                                   "other_name_from_module", (), "ToolExecutionConfig"),
                              "from test_framework.ssot.mocks import MockToolExecutionEngine"],
                     blocks=[frame(r, True, body)], binds={"ToolExecutionConfig", "MockToolExecutionEngine"})


# --------------------------------------------------------------------------------------------
# Test doubles, interfaces, delegating classes (issue 14 §2a-c)
# --------------------------------------------------------------------------------------------

def recording_methods(events: list[str]) -> list[str]:
    out = []
    for ev in events:
        out += [f"    async def notify_{ev}(self, run_id: str, agent_name: str, data: Any = None) -> None:",
                f'        self.events.append(("{ev}", run_id, agent_name, data))', ""]
    return out


def test_double(r, is_test, variant):
    info = "information"
    evs = r.sample(EVENTS, r.randint(2, 5))
    if variant == "mock_engine":
        name = r.choice(("Mock", "Fake", "Stub", "Dummy", "Spy")) + r.choice(("", "User", "Legacy")) + "ExecutionEngine"
        block = [Mark(f"class {name}:", "test_double", "named_double", (), f"class {name}", allow={"SSOT004": info}),
                 '    """In-memory engine: records agent runs instead of executing them."""', "",
                 "    def __init__(self) -> None:", "        self.runs: List[str] = []", "",
                 "    async def execute_agent(self, agent_name: str, state: Dict[str, Any]) -> Dict[str, Any]:",
                 "        self.runs.append(agent_name)", '        return {"status": "completed", "agent": agent_name}', "", ""]
        use_line = Mark(f"    engine = {name}()", "test_double", "double_construction", (), f"{name}(")
        return Placement(blocks=[block, frame(r, True, [use_line] + use("engine", True, r))], binds={name})
    if variant == "magicmock_subclass":
        name = r.choice(("EngineDouble", "SpyExecutionEngine", "RecordingExecutionEngine"))
        block = [Mark(f"class {name}(MagicMock):", "test_double", "magicmock_subclass", (), f"class {name}",
                      allow={"SSOT004": info}),
                 '    """MagicMock with the engine\'s async surface."""', "",
                 "    async def execute_agent(self, agent_name: str, state: Any) -> Any:",
                 "        return self.run(agent_name, state)", "", ""]
        return Placement(blocks=[block], binds={name})
    if variant == "legacy_subclass":
        cls, mod, _ = pick_legacy(r)
        name = "Stub" + cls
        block = [Mark(f"class {name}({cls}):", "test_double", "legacy_subclass_double", (), f"class {name}",
                      allow={"SSOT004": info}),
                 '    """Legacy engine with the registry stubbed out."""', "",
                 "    def __init__(self) -> None:", "        pass", "", ""]
        return Placement(imports=[Mark(f"from {mod} import {cls}", "test_double", "legacy_import_for_double", ("SSOT001",), cls)],
                         blocks=[block], binds={cls, name})
    if variant == "fake_supervisor":
        block = [Mark("class FakeSupervisor(SupervisorAgent):", "test_double", "fake_canonical_supervisor", (),
                      "class FakeSupervisor", allow={"SSOT005": info}),
                 '    """Supervisor that routes every request to the triage agent."""', "",
                 "    async def run(self, context: UserExecutionContext, request: Any) -> Dict[str, Any]:",
                 '        return {"routed_to": "triage_agent", "user_id": context.user_id}', "", ""]
        return Placement(imports=[f"from {SUPERVISOR_SSOT_MOD} import SupervisorAgent"], blocks=[block],
                         binds={"SupervisorAgent", "FakeSupervisor"})
    if variant == "supervisor_mock":
        block = [Mark("class SupervisorAgent(MagicMock):  # the real one needs an LLM", "test_double",
                      "same_name_mock", (), "class SupervisorAgent", allow={"SSOT005": info}),
                 '    """Only what the route under test touches."""', "",
                 "    async def run(self, context: Any, request: Any) -> Dict[str, Any]:",
                 '        return {"status": "completed"}', "", ""]
        return Placement(blocks=[block], binds={"SupervisorAgent"})
    if variant == "emitter_double":
        name = r.choice(("MockWebSocketEmitter", "FakeEventEmitter", "StubAgentNotifier", "SpyWebSocketBridge"))
        block = [Mark(f"class {name}:", "test_double", "emitter_double", (), f"class {name}", allow={"SSOT006": info}),
                 '    """Collects agent events for assertions."""', "",
                 "    def __init__(self) -> None:", "        self.events: List[tuple] = []", ""]
        block += recording_methods(evs) + [""]
        return Placement(blocks=[block], binds={name})
    # variant == "test_file_class": a plain class in a test file (test-paths) that records events
    name = r.choice(("RecordingSink", "EventCollector", "CapturingNotifier"))
    block = [Mark(f"class {name}:", "test_double", "class_in_test_file", (), f"class {name}", allow={"SSOT006": info}),
             '    """Captures what the engine emits during the test."""', "",
             "    def __init__(self) -> None:", "        self.events: List[tuple] = []", ""]
    block += recording_methods(evs) + [""]
    return Placement(blocks=[block], binds={name})


def interface(r, is_test, variant):
    evs = r.sample(EVENTS, r.randint(2, 5))
    if variant == "protocol":
        block = [Mark("class AgentEventSink(Protocol):", "interface", "protocol", (), "class AgentEventSink"),
                 '    """What an engine needs to report progress."""', ""]
        for ev in evs:
            block += [f"    async def notify_{ev}(self, run_id: str, agent_name: str, data: Any = None) -> None:", "        ...", ""]
        return Placement(imports_extra=["from typing import Protocol"], blocks=[block + [""]], binds={"AgentEventSink"})
    if variant == "abc":
        block = [Mark("class BaseAgentNotifier(ABC):", "interface", "abstract_methods", (), "class BaseAgentNotifier"),
                 '    """Contract of every agent event notifier."""', ""]
        for ev in evs:
            block += ["    @abstractmethod", f"    async def notify_{ev}(self, run_id: str, agent_name: str, data: Any = None) -> None:",
                      f'        """Deliver the {ev} event."""', ""]
        return Placement(imports_extra=["from abc import ABC, abstractmethod"], blocks=[block + [""]],
                         binds={"BaseAgentNotifier"})
    if variant == "abstract_engine":
        block = [Mark("class AbstractExecutionEngine(ABC):", "interface", "abstract_engine", (), "class AbstractExecutionEngine"),
                 '    """Interface the supervisor programs against (kept after the SSOT migration)."""', "",
                 "    @abstractmethod",
                 "    async def execute_agent(self, agent_name: str, state: Dict[str, Any]) -> Any:",
                 '        """Run one agent."""', "",
                 "    @abstractmethod", "    async def cleanup(self) -> None:", "        ...", "", ""]
        return Placement(imports_extra=["from abc import ABC, abstractmethod"], blocks=[block],
                         binds={"AbstractExecutionEngine"})
    if variant == "stub_bodies":
        bodies = ["        pass", "        ...", "        raise NotImplementedError", '        """Not sent in batch mode."""']
        block = [Mark("class NullAgentNotifier:", "interface", "stub_bodies", (), "class NullAgentNotifier"),
                 '    """Notifier for batch jobs: nobody listens."""', ""]
        for ev in evs:
            block += [f"    async def notify_{ev}(self, *args: Any, **kwargs: Any) -> None:", r.choice(bodies), ""]
        return Placement(blocks=[block + [""]], binds={"NullAgentNotifier"})
    # variant == "partial": one abstract method, one real implementation -> a real second path
    block = [Mark("class PartialAgentNotifier(ABC):", "interface", "partly_implemented", ("SSOT006",),
                  "class PartialAgentNotifier"),
             '    """Half interface, half implementation: sends completion events itself."""', "",
             "    @abstractmethod",
             f"    async def notify_{evs[0]}(self, run_id: str, agent_name: str, data: Any = None) -> None:", "        ...", "",
             "    async def notify_agent_completed(self, run_id: str, agent_name: str, data: Any = None) -> None:",
             '        await self.socket.send_json({"type": "agent_completed", "run_id": run_id, "agent": agent_name})', "", ""]
    return Placement(imports_extra=["from abc import ABC, abstractmethod"], blocks=[block],
                     binds={"PartialAgentNotifier"})


def delegating(r, is_test, variant):
    evs = r.sample(EVENTS, r.randint(2, 5))
    if variant == "all_delegate":
        name = r.choice(("WebSocketNotifier", "AgentEventRelay", "UserEventPublisher", "RunProgressReporter"))
        block = [Mark(f"class {name}:", "delegating", "all_methods_delegate", (), f"class {name}"),
                 '    """Thin wrapper kept for the old call sites; the SSOT emitter does the work."""', "",
                 "    def __init__(self, emitter: UnifiedWebSocketEmitter) -> None:", "        self._emitter = emitter", ""]
        forms = ["        return await self._emitter.notify_{ev}(run_id, agent_name, data)",
                 "        await self._emitter.notify_{ev}(run_id, agent_name, data)",
                 '        """Forward to the SSOT emitter."""\n        return await self._emitter.notify_{ev}(run_id, agent_name, data)']
        for ev in evs:
            block += [f"    async def notify_{ev}(self, run_id: str, agent_name: str, data: Any = None) -> None:"]
            block += r.choice(forms).format(ev=ev).split("\n") + [""]
        return Placement(imports=[f"from {EMITTER_MOD} import UnifiedWebSocketEmitter"], blocks=[block + [""]],
                         binds={name, "UnifiedWebSocketEmitter"})
    if variant == "super_delegate":
        block = [Mark("class AuditedEmitter(UnifiedWebSocketEmitter):", "delegating", "canonical_subclass_super", (),
                      "class AuditedEmitter"),
                 '    """Adds an audit log line; delivery stays in the SSOT emitter."""', ""]
        for ev in evs:
            block += [f"    async def notify_{ev}(self, run_id: str, agent_name: str, data: Any = None) -> None:",
                      '        """Audit, then deliver."""',
                      f"        return await super().notify_{ev}(run_id, agent_name, data)", ""]
        return Placement(imports=[f"from {EMITTER_MOD} import UnifiedWebSocketEmitter"], blocks=[block + [""]],
                         binds={"AuditedEmitter", "UnifiedWebSocketEmitter"})
    # variant == "mixed": one method delegates, another sends on its own -> a real second path
    block = [Mark("class ChatEventForwarder:", "delegating", "partly_own_delivery", ("SSOT006",), "class ChatEventForwarder"),
             '    """Forwards most events; completion is sent directly (second delivery path)."""', "",
             "    def __init__(self, emitter: Any, websocket: Any) -> None:",
             "        self._emitter = emitter", "        self._websocket = websocket", "",
             "    async def notify_agent_started(self, run_id: str, agent_name: str, data: Any = None) -> None:",
             "        return await self._emitter.notify_agent_started(run_id, agent_name, data)", "",
             "    async def notify_agent_completed(self, run_id: str, agent_name: str, data: Any = None) -> None:",
             '        await self._websocket.send_json({"type": "agent_completed", "run_id": run_id, "result": data})', "", ""]
    return Placement(blocks=[block], binds={"ChatEventForwarder"})


def real_second_emitter(r, is_test):
    evs = EVENTS
    block = [Mark("class UserWebSocketEmitter:", "delegating", "own_delivery", ("SSOT006",), "class UserWebSocketEmitter"),
             '    """Per-user emitter written before the SSOT emitter existed; sends events itself."""', "",
             "    def __init__(self, websocket_manager: Any, user_id: str) -> None:",
             "        self._manager = websocket_manager", "        self._user_id = user_id", ""]
    for ev in evs:
        block += [f"    async def notify_{ev}(self, run_id: str, agent_name: str, data: Any = None) -> None:",
                  f'        message = {{"type": "{ev}", "run_id": run_id, "agent_name": agent_name, "payload": data}}',
                  "        await self._manager.send_to_user(self._user_id, message)", ""]
    return Placement(blocks=[block + [""]], binds={"UserWebSocketEmitter"})


# --------------------------------------------------------------------------------------------
# Patch targets and string references (issue 15 §1, issue 14 §3b)
# --------------------------------------------------------------------------------------------

def patch_target(r, is_test, variant):
    agent = r.choice(AGENT_NAMES)
    head = ["@pytest.mark.asyncio", f"async def test_{agent}_{variant}_{r.randint(1, 99)}(user_context):",
            f'    """{r.choice(TEST_DOCS).format(agent=words(agent))}"""']
    ee = LEGACY_EE_MOD
    if variant == "legacy_class":
        lines = [Mark(f'    with patch("{ee}.ExecutionEngine") as mock_engine_cls:', "patch_target", variant, ("SSOT007",),
                      f"{ee}.ExecutionEngine", fix=rewrite(f"{CANONICAL_MOD}.UserExecutionEngine")),
                 "        mock_engine_cls.return_value.execute_agent = AsyncMock(return_value={\"ok\": True})",
                 "        assert mock_engine_cls is not None"]
    elif variant == "method_exists":
        lines = [Mark(f'    with patch("{ee}.ExecutionEngine.execute_agent", new_callable=AsyncMock) as mock_execute:',
                      "patch_target", variant, ("SSOT007",), "ExecutionEngine.execute_agent",
                      fix=rewrite(f"{CANONICAL_MOD}.UserExecutionEngine.execute_agent")),
                 '        mock_execute.return_value = {"status": "completed"}', "        assert mock_execute.await_count == 0"]
    elif variant == "method_missing":
        lines = [Mark(f'    with patch("{ee}.ExecutionEngine.create_for_request") as mock_create:', "patch_target", variant,
                      ("SSOT007",), "ExecutionEngine.create_for_request", fix=withhold("method-not-in-replacement")),
                 "        mock_create.return_value = MagicMock()", "        assert mock_create.call_count == 0"]
    elif variant == "module_logger":
        lines = [Mark(f'    with patch("{ee}.logger") as mock_logger:', "patch_target", variant, ("SSOT007",),
                      f"{ee}.logger", fix=rewrite(f"{CANONICAL_MOD}.logger", note="same name, same kind (value)")),
                 '        mock_logger.warning("legacy engine used")', "        mock_logger.warning.assert_called_once()"]
    elif variant == "module_attr_unbound":
        lines = ["    with (",
                 Mark(f'        patch("{SUPERVISOR_LEGACY_MOD}.managed_session") as mock_session,', "patch_target", variant,
                      ("SSOT007",), "supervisor_consolidated.managed_session", fix=withhold("attribute-not-in-canonical")),
                 Mark(f'        patch("{SUPERVISOR_LEGACY_MOD}.UserContextToolFactory") as mock_tools,', "patch_target",
                      variant, ("SSOT007",), "supervisor_consolidated.UserContextToolFactory",
                      fix=withhold("attribute-not-in-canonical")),
                 "    ):", "        mock_session.return_value.__aenter__.return_value = AsyncMock()",
                 "        mock_tools.create_for_context.return_value = MagicMock()", "        assert mock_tools is not None"]
    elif variant == "patch_object":
        lines = [Mark('    with patch.object(legacy_engine_module, "logger") as mock_logger:', "patch_target", variant,
                      ("SSOT007",), '"logger"', fix=rewrite(f"{CANONICAL_MOD}.logger", note="patch.object on the canonical module")),
                 '        mock_logger.info("run")', "        mock_logger.info.assert_called_once()"]
        return Placement(imports=[Mark("from netra_backend.app.agents.supervisor import execution_engine as legacy_engine_module",
                                       "patch_target", "module_import_for_patch_object", ("SSOT001",), "legacy_engine_module")],
                         blocks=[head + lines + ["", ""]], binds={"legacy_engine_module"})
    elif variant == "tool_engine":
        lines = [Mark(f'    with patch("{LEGACY_TOOL_MOD}.UnifiedToolExecutionEngine") as mock_tools:', "patch_target",
                      variant, ("SSOT007",), "UnifiedToolExecutionEngine", fix=withhold("no-replacement")),
                 "        mock_tools.return_value.execute_tool = AsyncMock()", "        assert mock_tools is not None"]
    elif variant == "deleted_module":
        lines = [Mark(f'    with patch("{DELETED_TOOL_MOD}.ToolExecutionEngine") as mock_tool_engine:', "patch_target",
                      variant, ("SSOT011",), "unified_tool_registry.execution_engine.ToolExecutionEngine"),
                 "        mock_tool_engine.return_value.run = AsyncMock()", "        assert mock_tool_engine is not None"]
    elif variant == "import_module":
        lines = [Mark(f'    module = importlib.import_module("{LEGACY_RS_MOD}")', "patch_target", variant, ("SSOT007",),
                      "import_module("),
                 '    assert hasattr(module, "RequestScopedExecutionEngine")']
        return Placement(imports_extra=["import importlib"], blocks=[head + lines + ["", ""]], binds={"importlib"})
    elif variant == "factory_patch":
        lines = [Mark(f'    with patch("{FACTORY_MOD}.get_execution_engine_factory") as mock_get_factory:', "patch_target",
                      variant, (), "get_execution_engine_factory"),
                 "        mock_get_factory.return_value = AsyncMock()", "        assert mock_get_factory is not None"]
    elif variant == "canonical_patch":
        lines = [Mark(f'    with patch("{CANONICAL_MOD}.UserExecutionEngine.execute_agent", new_callable=AsyncMock) as mock_run:',
                      "patch_target", variant, (), "UserExecutionEngine.execute_agent"),
                 '        mock_run.return_value = {"status": "completed"}', "        assert mock_run.await_count == 0"]
    else:  # forbidden_list: plain strings naming legacy modules in an SSOT compliance test
        lines = ["    forbidden = [",
                 Mark(f'        "{LEGACY_EE_MOD}",', "patch_target", "forbidden_list", (), f'"{LEGACY_EE_MOD}"'),
                 f'        "{LEGACY_RS_MOD}",', f'        "{SUPERVISOR_LEGACY_MOD}",', "    ]",
                 "    offenders = [m for m in forbidden if m in user_context.metadata.get(\"imports\", [])]",
                 '    assert not offenders, f"SSOT violation: legacy modules imported: {offenders}"']
    return Placement(blocks=[head + lines + ["", ""]])


# --------------------------------------------------------------------------------------------
# Harmless mentions (names only in strings, comments, log calls, annotations) and suppressions
# --------------------------------------------------------------------------------------------

def mention(r, is_test, variant):
    legacy = r.choice(list(LEGACY_CLASSES) + ["SupervisorAgent"])
    fn = f"{r.choice(('describe', 'report', 'summarise', 'check'))}_{r.choice(AGENT_NAMES)}"
    if variant == "comment":
        return Placement(blocks=[[Mark(f"# SSOT migration: {legacy} -> UserExecutionEngine (issue #759, phase 5)", "mention",
                                       variant, (), legacy),
                                  f"def {fn}(run_id: str) -> str:", '    return f"run {run_id}"', "", ""]])
    if variant == "commented_import":
        return Placement(imports=[Mark(f"# from {LEGACY_EE_MOD} import ExecutionEngine  # removed: use the factory",
                                       "mention", variant, (), "# from")])
    if variant == "log_string":
        line = (f'    logger.warning(f"Legacy {legacy} path requested by {{run_id}}; routing through the factory")'
                if not is_test else f'    logger.info("checking that {legacy} is not used for %s", run_id)')
        return Placement(blocks=[[f"def {fn}(run_id: str) -> None:", f'    """Called where the old {legacy} used to run."""',
                                  Mark(line, "mention", variant, (), legacy), "", ""]])
    if variant == "annotation":
        return Placement(imports=[CANONICAL_IMPORT], blocks=[[
            Mark(f"def {fn}(engine: UserExecutionEngine, timeout: float = 30.0) -> Optional[UserExecutionEngine]:",
                 "mention", variant, (), "engine: UserExecutionEngine"),
            '    """Return the engine if it is still usable."""', "    return engine if timeout > 0 else None", "", ""]],
            binds={"UserExecutionEngine"})
    if variant == "type_checking_canonical":
        return Placement(imports=["from typing import TYPE_CHECKING", "", "if TYPE_CHECKING:",
                                  Mark(f"    {CANONICAL_IMPORT}", "mention", variant, (), "UserExecutionEngine"), ""],
                         blocks=[[f'def {fn}(engine: "UserExecutionEngine") -> str:',
                                  "    return type(engine).__name__", "", ""]], binds={"UserExecutionEngine"})
    if variant == "variable_names":
        return Placement(blocks=[[f"def {fn}(execution_engine: Any, websocket_bridge: Any = None) -> Dict[str, Any]:",
                                  Mark('    return {"execution_engine": repr(execution_engine), "bridge": websocket_bridge}',
                                       "mention", variant, (), '"execution_engine"'), "", ""]])
    if variant == "config_class":
        name = camel(r.choice(("agent", "tool", "pipeline", "default"))) + "ExecutionEngineConfig"
        return Placement(blocks=[["@dataclass", Mark(f"class {name}:", "mention", variant, (), f"class {name}"),
                                  '    """Settings of the ExecutionEngine rollout."""', "",
                                  "    max_concurrent_executions: int = 8", "    websocket_timeout_s: float = 5.0", "", ""]],
                         imports_extra=["from dataclasses import dataclass"], binds={name})
    if variant == "factory_annotation":
        return Placement(imports=[f"from {FACTORY_MOD} import ExecutionEngineFactory"], blocks=[[
            Mark(f"def {fn}(factory: ExecutionEngineFactory) -> ExecutionEngineFactory:", "mention", variant, (),
                 "ExecutionEngineFactory"), "    return factory", "", ""]], binds={"ExecutionEngineFactory"})
    if variant == "emitter_calls":
        return Placement(imports=[f"from {EMITTER_MOD} import UnifiedWebSocketEmitter"], blocks=[[
            f"async def {fn}(emitter: UnifiedWebSocketEmitter, run_id: str) -> None:",
            Mark('    await emitter.notify_agent_started(run_id, "triage_agent")', "mention", variant, (), "notify_agent_started("),
            '    await emitter.notify_agent_completed(run_id, "triage_agent", {"ok": True})', "", ""]],
            binds={"UnifiedWebSocketEmitter"})
    # docstring
    return Placement(blocks=[[f"def {fn}(run_id: str) -> bool:",
                              Mark(f'    """Replaces {legacy}.execute_agent(); see the SSOT plan."""', "mention", "docstring",
                                   (), legacy), "    return bool(run_id)", "", ""]])


def suppression(r, is_test, variant):
    cls, mod, _ = pick_legacy(r)
    if variant == "used":
        return Placement(imports=[Mark(f"from {mod} import {cls}  # ssot: ignore[SSOT001]  reason: removed in phase 5",
                                       "suppression", "used", (), cls)],
                         blocks=[frame(r, is_test, [f"    engine: {cls} = registry.shared_engine"] + use("engine", is_test, r))],
                         binds={cls})
    return Placement(blocks=[[f"def legacy_flag_{r.randint(1, 999)}() -> bool:",
                              Mark("    return False  # ssot: ignore[SSOT002]", "suppression", "unused", ("SSOT010",),
                                   "ssot: ignore"), "", ""]])


# --------------------------------------------------------------------------------------------
# Newer syntax (PEP 701 f-strings): valid on Python 3.12+, a syntax error before
# --------------------------------------------------------------------------------------------

NEWER_FSTRINGS = [
    '    return f"{", ".join(sorted(events))} for {type(engine).__name__}"',
    '    return f"{engine.context.metadata["user_request"]!r} ({type(engine).__name__})"',
    "    return f\"{'\\n'.join(events)} handled by {type(engine).__name__}\"",
]


def newer_fstring(r, is_test):
    """On Python < 3.12 the file is analysed through libcst and gets one SSOT009 information."""
    name = f"describe_{r.choice(('run', 'engine', 'events'))}_{r.randint(1, 999)}"
    block = [f"def {name}(engine: UserExecutionEngine, events: List[str]) -> str:",
             '    """Human-readable summary for the admin dashboard."""',
             Mark(r.choice(NEWER_FSTRINGS), "syntax", "newer_fstring", ("SSOT009",), "return f",
                  severity={"SSOT009": "information"}, python_below="3.12"), "", ""]
    return Placement(imports=[CANONICAL_IMPORT], blocks=[block], binds={"UserExecutionEngine"})


# --------------------------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ShapeSpec:
    key: str                        # unique, for reports: "<shape>.<variant>"
    where: str                      # "app", "test" or "any"
    per_10k: float                  # files per 10,000 live files
    make: Callable[[random.Random, bool], Placement]
    issue: str = ""
    dir: str = ""                   # the file must live under this directory


def _v(fn, **kw):
    return lambda r, t: fn(r, t, **kw)


SHAPES: list[ShapeSpec] = [
    ShapeSpec("legacy_import.absolute", "any", 30, legacy_import_absolute),
    ShapeSpec("legacy_import.multiline", "any", 5, legacy_import_multiline),
    ShapeSpec("legacy_import.relative", "app", 5, legacy_import_relative, dir="netra_backend/app/agents/supervisor/"),
    ShapeSpec("legacy_import.type_checking", "any", 7, legacy_import_type_checking),
    ShapeSpec("legacy_import.allowed_names", "any", 8, allowed_interface_import),
    ShapeSpec("legacy_import.module_alias", "any", 5, legacy_module_alias),
    ShapeSpec("legacy_import.clean_uses", "any", 10, legacy_clean_uses),
    ShapeSpec("legacy_construction.async", "any", 25, _v(legacy_construction, variant="async")),
    ShapeSpec("legacy_construction.sync", "any", 5, _v(legacy_construction, variant="sync")),
    ShapeSpec("legacy_construction.none_context", "app", 7, _v(legacy_construction, variant="none_context"), "15 §2"),
    ShapeSpec("legacy_construction.async_with", "app", 4, _v(legacy_construction, variant="async_with")),
    ShapeSpec("legacy_construction.signature_context", "any", 9, _v(legacy_construction, variant="signature_context"), "15 §3"),
    ShapeSpec("legacy_construction.tool_engine", "any", 6, _v(legacy_construction, variant="tool_engine"), "14 §2e"),
    ShapeSpec("compat_reexport.importer", "any", 11, legacy_import_package_reexport, "15 §4"),
    ShapeSpec("compat_reexport.tool_importer", "any", 9, tool_reexport_importer, "15 §4"),
    ShapeSpec("compat_reexport.canonical_importer", "any", 9, canonical_reexport_importer, "15 §4"),
    ShapeSpec("factory_bypass.async", "app", 22, _v(factory_bypass, variant="async"), "15 §3"),
    ShapeSpec("factory_bypass.keywords", "test", 55, _v(factory_bypass, variant="keywords"), "15 §3"),
    ShapeSpec("factory_bypass.extra_args", "any", 5, _v(factory_bypass, variant="extra_args"), "15 §3"),
    ShapeSpec("factory_bypass.sync", "any", 5, _v(factory_bypass, variant="sync"), "15 §3"),
    ShapeSpec("factory_bypass.factory_call", "any", 30, factory_call_clean),
    ShapeSpec("factory_bypass.canonical_subclass", "app", 5, canonical_subclass),
    ShapeSpec("create_from_legacy.after_removal", "any", 17, create_from_legacy, "14 §3c"),
    ShapeSpec("create_from_legacy.existing_method", "any", 5, existing_static_call, "14 §3c"),
    ShapeSpec("renamed_import.annotation_only", "any", 90, _v(renamed_import, variant="annotation_only"), "14 §2d"),
    ShapeSpec("renamed_import.alias_call", "any", 80, _v(renamed_import, variant="alias_call"), "14 §2d"),
    ShapeSpec("renamed_import.unrenamed_call", "any", 58, _v(renamed_import, variant="unrenamed_call"), "14 §3a"),
    ShapeSpec("renamed_import.unevaluated_annotation", "any", 10, _v(renamed_import, variant="unevaluated_annotation"), "14 §3a"),
    ShapeSpec("renamed_import.string_annotation", "any", 8, _v(renamed_import, variant="string_annotation"), "14 §3a"),
    ShapeSpec("renamed_import.unrenamed_legacy_call", "any", 12, unrenamed_legacy_name, "14 §3a"),
    ShapeSpec("renamed_import.unknown_star_import", "any", 3, star_import_unknown, "14 §3a"),
    ShapeSpec("obscuring_alias.legacy_as_canonical", "any", 5, dangerous_alias, "14 §2d"),
    ShapeSpec("obscuring_alias.honest_alias", "any", 5, honest_alias, "14 §2d"),
    ShapeSpec("obscuring_alias.neutral_alias", "any", 4, neutral_alias, "14 §2d"),
    ShapeSpec("importerror_fallback.found", "any", 8, importerror_fallback, "14 §1a"),
    ShapeSpec("importerror_fallback.clean", "any", 6, importerror_fallback_clean, "14 §1a"),
    ShapeSpec("stub_fallback.found", "any", 11, stub_fallback, "14 §1b"),
    ShapeSpec("stub_fallback.clean", "any", 6, _v(stub_fallback, clean=True), "14 §1b"),
    ShapeSpec("discovered_duplicate.tool_engine", "any", 9, _v(discovered_usage, cls="ToolExecutionEngine"), "14 §1c"),
    ShapeSpec("discovered_duplicate.workflow_engine", "any", 3, _v(discovered_usage, cls="WorkflowExecutionEngine"), "14 §1c"),
    ShapeSpec("discovered_duplicate.pipeline_engine", "any", 3, _v(discovered_usage, cls="PipelineExecutionEngine"), "14 §1c"),
    ShapeSpec("discovered_duplicate.clean", "test", 6, discovered_clean, "14 §1c"),
    ShapeSpec("test_double.mock_engine", "test", 14, _v(test_double, variant="mock_engine"), "14 §2a"),
    ShapeSpec("test_double.magicmock_subclass", "test", 6, _v(test_double, variant="magicmock_subclass"), "14 §2a"),
    ShapeSpec("test_double.legacy_subclass", "test", 5, _v(test_double, variant="legacy_subclass"), "14 §2a"),
    ShapeSpec("test_double.fake_supervisor", "test", 6, _v(test_double, variant="fake_supervisor"), "14 §2a"),
    ShapeSpec("test_double.supervisor_mock", "test", 4, _v(test_double, variant="supervisor_mock"), "14 §2a"),
    ShapeSpec("test_double.emitter_double", "test", 20, _v(test_double, variant="emitter_double"), "14 §2a"),
    ShapeSpec("test_double.class_in_test_file", "test", 14, _v(test_double, variant="test_file_class"), "14 §2a"),
    ShapeSpec("interface.protocol", "app", 3, _v(interface, variant="protocol"), "14 §2b"),
    ShapeSpec("interface.abstract_methods", "app", 3, _v(interface, variant="abc"), "14 §2b"),
    ShapeSpec("interface.abstract_engine", "app", 2, _v(interface, variant="abstract_engine"), "14 §2b"),
    ShapeSpec("interface.stub_bodies", "app", 3, _v(interface, variant="stub_bodies"), "14 §2b"),
    ShapeSpec("interface.partly_implemented", "app", 1, _v(interface, variant="partial"), "14 §2b"),
    ShapeSpec("delegating.all_methods_delegate", "app", 18, _v(delegating, variant="all_delegate"), "14 §2c"),
    ShapeSpec("delegating.canonical_subclass_super", "app", 3, _v(delegating, variant="super_delegate"), "14 §2c"),
    ShapeSpec("delegating.partly_own_delivery", "app", 2, _v(delegating, variant="mixed"), "14 §2c"),
    ShapeSpec("delegating.own_delivery", "app", 1, real_second_emitter, "14 §2c"),
    ShapeSpec("patch_target.legacy_class", "test", 22, _v(patch_target, variant="legacy_class"), "15 §1"),
    ShapeSpec("patch_target.method_exists", "test", 7, _v(patch_target, variant="method_exists"), "15 §1"),
    ShapeSpec("patch_target.method_missing", "test", 5, _v(patch_target, variant="method_missing"), "15 §1"),
    ShapeSpec("patch_target.module_logger", "test", 9, _v(patch_target, variant="module_logger"), "15 §1"),
    ShapeSpec("patch_target.module_attr_unbound", "test", 7, _v(patch_target, variant="module_attr_unbound"), "15 §1"),
    ShapeSpec("patch_target.patch_object", "test", 5, _v(patch_target, variant="patch_object"), "15 §1"),
    ShapeSpec("patch_target.tool_engine", "test", 5, _v(patch_target, variant="tool_engine"), "15 §1"),
    ShapeSpec("patch_target.deleted_module", "test", 9, _v(patch_target, variant="deleted_module"), "14 §3b"),
    ShapeSpec("patch_target.import_module", "test", 4, _v(patch_target, variant="import_module")),
    ShapeSpec("patch_target.factory_patch", "test", 18, _v(patch_target, variant="factory_patch")),
    ShapeSpec("patch_target.canonical_patch", "test", 9, _v(patch_target, variant="canonical_patch")),
    ShapeSpec("patch_target.forbidden_list", "test", 8, _v(patch_target, variant="forbidden_list")),
    ShapeSpec("suppression.used", "any", 4, _v(suppression, variant="used")),
    ShapeSpec("suppression.unused", "any", 3, _v(suppression, variant="unused")),
]

# Harmless mentions: spread over extra files until the share of mentioning files is reached.
MENTIONS = ["comment", "commented_import", "log_string", "annotation", "type_checking_canonical", "variable_names",
            "config_class", "factory_annotation", "emitter_calls", "docstring"]
MENTION_WEIGHTS = [14, 6, 18, 10, 4, 12, 3, 4, 6, 12]
