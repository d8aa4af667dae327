"""Shapes about where a name comes from: legacy imports and constructions, the canonical class
built directly, renamed imports and what they broke, ImportError and stub fallbacks, discovered
duplicates (issues 14 §1, §2d-e, §3a, §3c; 15 §2-4)."""

from __future__ import annotations

from ..names import (
    AGENTS_PKG,
    CANONICAL_MOD,
    DISCOVERED,
    FACTORY_MOD,
    INTERFACE_MOD,
    LEGACY_CLASSES,
    LEGACY_EE_MOD,
    TOOL_DISPATCHER_MOD,
    TOOL_ENGINE_MOD,
    TOOL_ENGINES,
)
from ..sites import Mark, Placement
from .common import (
    CANONICAL_IMPORT,
    FACTORY_CALL,
    FACTORY_IMPORT,
    frame,
    import_then_use,
    legacy_fix,
    pick_legacy,
    rewrite,
    use,
    withhold,
)

# --------------------------------------------------------------------------------------------
# Legacy imports and constructions (the clear-cut patterns, in the project's vocabulary)
# --------------------------------------------------------------------------------------------

def legacy_import_absolute(r, is_test):
    cls, mod, _ = pick_legacy(r, allow_tool=True)
    fix = withhold("no-replacement") if cls in TOOL_ENGINES else rewrite(CANONICAL_IMPORT, "safe")
    return import_then_use(r, is_test, Mark(f"from {mod} import {cls}", "legacy_import", "absolute", ("SSOT001",), cls,
                                            fix=fix),
                           f"    engine: {cls} = registry.get_engine(user_context)", {cls})


def legacy_import_multiline(r, is_test):
    cls, mod, _ = pick_legacy(r)
    return Placement(
        imports=[f"from {mod} import (", Mark(f"    {cls},", "legacy_import", "multiline", ("SSOT001",), cls), ")"],
        blocks=[frame(r, is_test, [f"    engine: Optional[{cls}] = None",
                                   "    assert engine is None" if is_test else "    return engine"])],
        binds={cls})


def legacy_import_relative(r, is_test):
    # placed only in netra_backend/app/agents/supervisor/ (see SHAPES dir)
    return import_then_use(r, False, Mark("from .execution_engine import ExecutionEngine", "legacy_import", "relative",
                                          ("SSOT001",), "ExecutionEngine"),
                           "    engine: ExecutionEngine = registry.shared_engine", {"ExecutionEngine"})


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
    return import_then_use(
        r, is_test,
        Mark(f"from {AGENTS_PKG} import ExecutionEngine", "compat_reexport", "importer", ("SSOT001",), "ExecutionEngine"),
        Mark("    engine = ExecutionEngine(registry, websocket_bridge, user_context=user_context)", "legacy_construction",
             "via_reexport", ("SSOT002",), "ExecutionEngine(", fix=legacy_fix("ExecutionEngine")),
        {"ExecutionEngine"})


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
    return import_then_use(
        r, is_test, Mark(f"import {mod} as {alias}", "legacy_import", "module_alias", ("SSOT001",), alias),
        Mark(f"    engine = {alias}.{cls}({args.format(ctx='user_context')})", "legacy_construction", "module_attribute",
             ("SSOT002",), f"{alias}.{cls}(", fix=legacy_fix(cls)),
        {alias})


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
    return import_then_use(
        r, is_test,
        Mark(f"from {LEGACY_EE_MOD} import ExecutionEngine as UserExecutionEngine", "obscuring_alias",
             "legacy_as_canonical", ("SSOT001", "SSOT008"), "as UserExecutionEngine", severity={"SSOT008": "warning"},
             fix=rewrite(f"from {LEGACY_EE_MOD} import ExecutionEngine", "safe", note="honest name")),
        Mark("    engine = UserExecutionEngine(registry, websocket_bridge, user_context=user_context)", "obscuring_alias",
             "legacy_call_through_alias", ("SSOT002",), "UserExecutionEngine(", fix=legacy_fix("ExecutionEngine")),
        {"UserExecutionEngine"})


def honest_alias(r, is_test):
    return import_then_use(
        r, is_test, Mark(f"from {LEGACY_EE_MOD} import ExecutionEngine as LegacyExecutionEngine", "obscuring_alias",
                         "honest_alias", ("SSOT001",), "as LegacyExecutionEngine"),
        "    engine: LegacyExecutionEngine = registry.shared_engine", {"LegacyExecutionEngine"})


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


def importerror_handler_import(r, is_test, variant="legacy_first"):
    """Both branches import the name (issue 14 §1a): the ``try`` body's import is what runs while it
    works, whatever the handler imports instead.

    * ``legacy_first``: the legacy class, the canonical one under the legacy name as the fallback —
      the construction is legacy (SSOT002);
    * ``double_fallback`` (tests): the legacy class, ``MagicMock`` as the fallback — still SSOT002;
    * ``canonical_first``: the canonical class, the legacy one under the canonical name as the
      fallback — the construction bypasses the factory (SSOT003), the fallback is an obscuring alias;
    * ``in_function``: ``legacy_first`` as a lazy import inside the function.
    """
    legacy = Mark(f"    from {LEGACY_EE_MOD} import ExecutionEngine", "importerror_fallback", "try_legacy_import",
                  ("SSOT001",), "ExecutionEngine")
    call = "    engine = ExecutionEngine(registry, websocket_bridge, user_context=user_context)"
    if variant == "canonical_first":
        module = ["try:", Mark(f"    {CANONICAL_IMPORT}", "importerror_fallback", "try_canonical_import", (),
                               "UserExecutionEngine"),
                  "except ImportError:  # deployments still on the legacy engine",
                  Mark(f"    from {LEGACY_EE_MOD} import ExecutionEngine as UserExecutionEngine", "importerror_fallback",
                       "handler_legacy_as_canonical", ("SSOT001", "SSOT008"), "as UserExecutionEngine",
                       severity={"SSOT008": "warning"}), "", ""]
        body = [Mark("    engine = UserExecutionEngine(user_context, agent_factory, websocket_emitter)",
                     "importerror_fallback", "canonical_first_construction", ("SSOT003",), "UserExecutionEngine(",
                     fix=rewrite(FACTORY_CALL, context_from="signature"))]
        return Placement(module=[module], blocks=[frame(r, is_test, body + use("engine", is_test, r))],
                         binds={"UserExecutionEngine"})
    if variant == "in_function":
        body = ["    try:",
                Mark("    " + legacy.line, "importerror_fallback", "function_try_legacy_import", ("SSOT001",),
                     "ExecutionEngine"),
                "    except ImportError:  # phase 5: the legacy module is removed",
                Mark(f"        from {CANONICAL_MOD} import UserExecutionEngine as ExecutionEngine", "importerror_fallback",
                     "function_handler_canonical_import", ("SSOT008",), "as ExecutionEngine",
                     severity={"SSOT008": "information"}),
                Mark(call, "importerror_fallback", "in_function_construction", ("SSOT002",), "ExecutionEngine(",
                     fix=legacy_fix("ExecutionEngine"))]
        return Placement(blocks=[frame(r, is_test, body + use("engine", is_test, r))], binds={"ExecutionEngine"})
    if variant == "double_fallback":
        handler = Mark("    from unittest.mock import MagicMock as ExecutionEngine  # type: ignore[assignment]",
                       "importerror_fallback", "handler_mock_import", (), "MagicMock as ExecutionEngine")
        note = "except ImportError:  # the legacy engine is gone on the new stack: any callable will do"
    else:
        handler = Mark(f"    from {CANONICAL_MOD} import UserExecutionEngine as ExecutionEngine", "importerror_fallback",
                       "handler_canonical_import", ("SSOT008",), "as ExecutionEngine", severity={"SSOT008": "information"})
        note = "except ImportError:  # phase 5: the legacy module is removed"
    body = [Mark(call, "importerror_fallback", f"{variant}_construction", ("SSOT002",), "ExecutionEngine(",
                 fix=legacy_fix("ExecutionEngine"))]
    return Placement(module=[["try:", legacy, note, handler, "", ""]],
                     blocks=[frame(r, is_test, body + use("engine", is_test, r))], binds={"ExecutionEngine"})


def type_checking_alias(r, is_test):
    """A renamed import, and the canonical name only under ``if TYPE_CHECKING`` (never runs): clean."""
    module = ["if TYPE_CHECKING:",
              Mark("    EngineBuilder = Callable[..., Awaitable[UserExecutionEngine]]", "renamed_import",
                   "type_checking_alias", (), "Awaitable[UserExecutionEngine]"), "", ""]
    body = ['    build: "EngineBuilder" = registry.engine_builder',
            "    engine = await build(user_context)"] + use("engine", is_test, r)
    return Placement(imports=[alias_mark("type_checking_alias")],
                     imports_extra=["from typing import TYPE_CHECKING, Awaitable, Callable"],
                     module=[module], blocks=[frame(r, is_test, body)],
                     binds={"ExecutionEngine", "EngineBuilder"}, unbound={"UserExecutionEngine"})
