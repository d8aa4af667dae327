"""Shapes about strings and text: patch targets (issue 15 §1, 14 §3b), harmless mentions in comments,
docstrings, log strings and annotations, suppression comments, and 3.12-only f-strings."""

from __future__ import annotations

from ..names import (
    AGENT_NAMES,
    CANONICAL_MOD,
    DELETED_TOOL_MOD,
    EMITTER_MOD,
    FACTORY_MOD,
    LEGACY_CLASSES,
    LEGACY_EE_MOD,
    LEGACY_RS_MOD,
    LEGACY_TOOL_MOD,
    SUPERVISOR_LEGACY_MOD,
    camel,
    words,
)
from ..sites import Mark, Placement
from .common import (
    CANONICAL_IMPORT,
    TEST_DOCS,
    frame,
    pick_legacy,
    rewrite,
    use,
    withhold,
)

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
