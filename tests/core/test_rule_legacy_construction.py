"""SSOT002 legacy-construction: creating a legacy instance through any binding; uses are not constructions."""

from __future__ import annotations

from .conftest import APP

SVC = APP + "services/caller.py"
LEGACY_MOD = "netra_backend.app.agents.supervisor.execution_engine"
IMPORT = f"from {LEGACY_MOD} import ExecutionEngine\n"


def constructions(project, rel=SVC):
    return [line for line, code in project.codes(rel) if code == "SSOT002"]


def test_direct_name_construction_is_reported(project):
    project.check(SVC, IMPORT + "async def f(ctx):\n    return ExecutionEngine(None, None, user_context=ctx)\n")
    assert constructions(project) == [3]


def test_finding_sits_on_the_callee_name(project):
    project.check(SVC, IMPORT + "async def f(ctx):\n    return ExecutionEngine(None, None, user_context=ctx)\n")
    (violation,) = [v for v in project.violations(SVC) if v.code == "SSOT002"]
    assert (violation.span.col, violation.span.end_col) == (11, 11 + len("ExecutionEngine"))


def test_construction_through_import_alias_is_reported(project):
    project.check(SVC, f"from {LEGACY_MOD} import ExecutionEngine as Old\n"
                       "async def f(ctx):\n    return Old(None, None, ctx)\n")
    assert constructions(project) == [3]


def test_construction_through_module_attribute_is_reported(project):
    project.check(SVC, f"import {LEGACY_MOD} as m\nasync def f(ctx):\n    return m.ExecutionEngine(None, None, ctx)\n")
    assert constructions(project) == [3]


def test_construction_through_full_dotted_module_path_is_reported(project):
    project.check(SVC, f"import {LEGACY_MOD}\nasync def f(ctx):\n    return {LEGACY_MOD}.ExecutionEngine(None, None, ctx)\n")
    assert constructions(project) == [3]


def test_construction_through_module_level_alias_assignment_is_reported(project):
    project.check(SVC, IMPORT + "Engine = ExecutionEngine\ndef f():\n    return Engine(None, None)\n")
    assert constructions(project) == [4]


def test_construction_through_alias_chain_in_other_modules_is_reported(project):
    project.write({
        APP + "compat1.py": IMPORT + "A = ExecutionEngine\n",
        APP + "compat2.py": "from netra_backend.app.compat1 import A\nB = A\n",
    })
    project.check(SVC, "from netra_backend.app.compat2 import B\nasync def f(ctx):\n    return B(None, None, ctx)\n")
    assert constructions(project) == [3]


def test_async_with_construction_is_reported_and_marked(project):
    project.check(SVC, IMPORT + "async def f(ctx):\n    async with ExecutionEngine(None, None, ctx) as e:\n        pass\n")
    (violation,) = [v for v in project.violations(SVC) if v.code == "SSOT002"]
    assert violation.span.line + 1 == 3 and violation.payload.async_with is True


def test_classmethod_constructor_is_reported(project):
    project.check(SVC, IMPORT + "def f(ctx):\n    return ExecutionEngine.create_for_request(None, None, ctx)\n")
    assert constructions(project) == [3]


def test_ordinary_method_through_the_class_is_not_a_construction(project):
    project.check(SVC, IMPORT + "def f(engine):\n    return ExecutionEngine.run(engine)\n")
    assert constructions(project) == []


def test_canonical_compat_constructor_is_reported(project):
    project.check(SVC, "from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine\n"
                       "async def f(r, b, ctx):\n"
                       "    return await UserExecutionEngine.create_from_legacy(r, b, user_context=ctx)\n")
    (violation,) = project.violations(SVC)
    assert (violation.code, violation.span.line + 1, violation.payload.compat) == ("SSOT002", 3, True)


def test_function_local_import_binding_is_followed(project):
    project.check(SVC, f"async def f(ctx):\n    from {LEGACY_MOD} import ExecutionEngine\n"
                       "    return ExecutionEngine(None, None, ctx)\n")
    assert project.codes(SVC) == [(2, "SSOT001"), (3, "SSOT002")]


def test_function_local_import_does_not_leak_into_other_functions(project):
    project.check(SVC, f"""\
        from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine as ExecutionEngine

        def a():
            from {LEGACY_MOD} import ExecutionEngine
            return ExecutionEngine

        def b(factory):
            return factory.ExecutionEngine(None)
        """)
    assert constructions(project) == []


def test_construction_in_star_import_scope_is_reported(project):
    project.write({APP + "agents/__init__.py": "from .supervisor.execution_engine import ExecutionEngine\n"})
    project.check(SVC, "from netra_backend.app.agents import *\ndef f():\n    return ExecutionEngine(None, None)\n")
    assert constructions(project) == [3]


def test_star_import_brings_only_the_names_in_all(project):
    project.write({APP + "agents/__init__.py": "from .supervisor.execution_engine import ExecutionEngine\n"
                                               "__all__ = ['helper']\n\n\ndef helper():\n    pass\n"})
    project.check(SVC, "from netra_backend.app.agents import *\ndef f():\n    return ExecutionEngine(None, None)\n")
    assert constructions(project) == []


def test_module_level_assignment_shadows_a_star_imported_legacy_class(project):
    project.write({APP + "agents/__init__.py": "from .supervisor.execution_engine import ExecutionEngine\n"})
    project.check(SVC, "import functools\nfrom netra_backend.app.agents import *\n"
                       "ExecutionEngine = functools.partial(dict, kind='engine')\n"
                       "def f():\n    return ExecutionEngine(a=1)\n")
    assert constructions(project) == []


def test_construction_through_a_module_from_imported_out_of_a_namespace_package(bare):
    """``supervisor`` has no ``__init__.py``: the from-import names its submodule, not an attribute."""
    from .conftest import BASE_FILES

    bare.write({k: v for k, v in BASE_FILES.items() if not k.endswith("supervisor/__init__.py")})
    bare.check(SVC, "from netra_backend.app.agents.supervisor import execution_engine as eem\n"
                    "async def f(ctx):\n    return eem.ExecutionEngine(None, None, ctx)\n")
    assert constructions(bare) == [3]


def test_names_in_strings_and_comments_are_not_constructions(project):
    project.check(SVC, '''\
        """ExecutionEngine(registry) used to be built here."""
        # engine = ExecutionEngine(registry, bridge)
        MESSAGE = "ExecutionEngine(registry, bridge) is deprecated"
        def f(log):
            log.info("creating ExecutionEngine(%s)", 1)
        ''')
    assert project.codes(SVC) == []


def test_isinstance_and_annotations_are_uses_not_constructions(project):
    project.check(SVC, IMPORT + "def f(e: ExecutionEngine) -> bool:\n    return isinstance(e, ExecutionEngine)\n")
    assert constructions(project) == []


def test_local_variable_named_like_a_legacy_class_without_legacy_binding_is_not_reported(project):
    # Decision: only bindings that resolve to a legacy symbol count; a local name that merely
    # looks like a legacy class is not a construction.
    project.check(SVC, "def f(make):\n    ExecutionEngine = make()\n    return ExecutionEngine()\n")
    assert project.codes(SVC) == []


def test_parameter_named_like_a_legacy_class_is_not_reported(project):
    project.check(SVC, "def f(ExecutionEngine):\n    return ExecutionEngine(1)\n")
    assert project.codes(SVC) == []


def test_parameter_shadowing_an_imported_legacy_class_is_not_reported(project):
    # Decision (see docs/rules/SSOT002.md): a parameter or local assignment in the function hides
    # the module-level import, so the call creates whatever the caller passed in.
    project.check(SVC, IMPORT + "def f(ExecutionEngine):\n    return ExecutionEngine(1)\n")
    assert constructions(project) == []


def test_constructions_inside_legacy_modules_are_not_reported(project):
    assert constructions(project, APP + "agents/supervisor/execution_engine.py") == []


def test_construction_of_allowed_interface_class_is_not_reported(project):
    project.check(SVC, "from netra_backend.app.agents.execution_engine_interface import ExecutionEngineCapabilities\n"
                       "CAPS = ExecutionEngineCapabilities()\n")
    assert project.codes(SVC) == []


def test_construction_of_non_allowed_class_of_an_interface_module_is_reported(project):
    project.check(SVC, "from netra_backend.app.agents.execution_engine_interface import GenericExecutionEngineAdapter\n"
                       "X = GenericExecutionEngineAdapter()\n")
    assert project.codes(SVC) == [(1, "SSOT001"), (2, "SSOT002")]


def test_construction_of_a_function_from_a_legacy_module_is_not_reported(project):
    project.write({APP + "agents/supervisor/execution_engine.py":
                   "class ExecutionEngine:\n    pass\n\ndef helper():\n    return 1\n"})
    project.check(SVC, f"from {LEGACY_MOD} import helper\nX = helper()\n")
    assert constructions(project) == []


def test_fix_data_marks_plain_def_as_not_fixable(project):
    project.check(SVC, IMPORT + "def f(ctx):\n    return ExecutionEngine(None, None, user_context=ctx)\n")
    (violation,) = [v for v in project.violations(SVC) if v.code == "SSOT002"]
    assert violation.payload.fixable is False and "not inside an async def" in violation.payload.manual


def test_fix_data_in_async_def_with_configured_context_is_fixable(project):
    project.check(SVC, IMPORT + "async def f(ctx):\n    return ExecutionEngine(None, None, user_context=ctx)\n")
    (violation,) = [v for v in project.violations(SVC) if v.code == "SSOT002"]
    assert violation.payload.fixable is True
    assert violation.payload.to_wire()["context"] == {"position": 2, "keyword": "user_context"}


def test_construction_of_supervisor_duplicate_is_reported_in_its_group(project):
    project.check(SVC, "from netra_backend.app.agents.supervisor_consolidated import SupervisorAgent\n"
                       "AGENT = SupervisorAgent()\n")
    groups = [(v.code, v.group) for v in project.violations(SVC)]
    assert groups == [("SSOT001", "supervisor"), ("SSOT002", "supervisor")]


# -- ImportError fallbacks (issue 14 §1a) -----------------------------------------------------

def test_construction_through_a_name_with_an_importerror_fallback_is_reported(project):
    project.check(SVC, "try:\n    " + IMPORT + "except ImportError:  # removed in phase 5\n    ExecutionEngine = None\n\n\n"
                       "async def f(ctx):\n    if ExecutionEngine is None:\n        raise RuntimeError\n"
                       "    return ExecutionEngine(None, None, user_context=ctx)\n")
    assert constructions(project) == [10]


def test_fallback_in_the_try_branch_and_import_in_the_handler_is_reported_too(project):
    project.check(SVC, "try:\n    ExecutionEngine = load_plugin()\nexcept ImportError:\n    " + IMPORT +
                       "\n\nasync def f(ctx):\n    return ExecutionEngine(None, None, user_context=ctx)\n")
    assert constructions(project) == [8]


CANONICAL_AS_LEGACY = "from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine as ExecutionEngine\n"


def test_a_legacy_import_in_the_try_branch_wins_over_an_import_in_the_handler(project):
    # the handler runs only when the legacy import fails; while the legacy module exists, it is what runs
    project.check(SVC, "try:\n    " + IMPORT + "except ImportError:\n    " + CANONICAL_AS_LEGACY +
                       "\n\nasync def f(ctx):\n    return ExecutionEngine(None, None, user_context=ctx)\n")
    assert constructions(project) == [8]


def test_a_test_double_imported_in_the_handler_does_not_hide_the_legacy_import(project):
    project.check("tests/test_engine.py", "try:\n    " + IMPORT + "except ImportError:\n"
                                          "    from unittest.mock import MagicMock as ExecutionEngine\n\n\n"
                                          "def test_engine():\n    assert ExecutionEngine(None, None, user_context=None)\n")
    assert constructions(project, "tests/test_engine.py") == [8]


def test_a_canonical_import_in_the_try_branch_wins_over_a_legacy_import_in_the_handler(project):
    project.check(SVC, "try:\n    " + CANONICAL_AS_LEGACY + "except ImportError:\n    " + IMPORT +
                       "\n\nasync def f(ctx, factory, emitter):\n    return ExecutionEngine(ctx, factory, emitter)\n")
    assert [code for line, code in project.codes(SVC) if line == 8] == ["SSOT003"]


def test_inside_a_function_the_try_branch_import_wins_over_the_handlers_too(project):
    project.check(SVC, "async def f(ctx):\n    try:\n        " + IMPORT + "    except ImportError:\n        " +
                       CANONICAL_AS_LEGACY + "    return ExecutionEngine(None, None, user_context=ctx)\n")
    assert constructions(project) == [6]


def test_inside_a_function_a_canonical_import_in_the_try_branch_wins_over_a_legacy_one(project):
    project.check(SVC, "async def f(ctx, factory, emitter):\n    try:\n        " + CANONICAL_AS_LEGACY +
                       "    except ImportError:\n        " + IMPORT + "    return ExecutionEngine(ctx, factory, emitter)\n")
    assert [code for line, code in project.codes(SVC) if line == 6] == ["SSOT003"]


def test_construction_through_an_if_else_fallback_is_reported(project):
    project.check(SVC, "import sys\n\nif sys.version_info >= (3, 8):\n    " + IMPORT + "else:\n    ExecutionEngine = None\n\n\n"
                       "async def f(ctx):\n    return ExecutionEngine(None, None, user_context=ctx)\n")
    assert constructions(project) == [10]


def test_a_later_rebinding_outside_the_try_still_hides_the_import(project):
    project.check(SVC, "try:\n    " + IMPORT + "except ImportError:\n    ExecutionEngine = None\n"
                       "ExecutionEngine = object\n\n\nasync def f(ctx):\n    return ExecutionEngine(None, None, user_context=ctx)\n")
    assert constructions(project) == []


def test_factory_import_with_a_fallback_is_clean(project):
    factory = "from netra_backend.app.agents.supervisor.execution_engine_factory import get_execution_engine_factory\n"
    assert project.check(SVC, "try:\n    " + factory + "except ImportError:\n    get_execution_engine_factory = None\n\n\n"
                              "async def f(ctx):\n    return await (await get_execution_engine_factory()).create_for_user(ctx)\n") \
        == []


# -- discovered duplicates (issue 14 §1c) ------------------------------------------------------

TOOL_MOD = "netra_backend.app.services.tool_execution_engine"
TOOL_ENGINE = "class ToolExecutionEngine:\n    def __init__(self, registry, manager, user_context=None):\n        self.registry = registry\n"


def test_import_and_construction_of_a_class_found_by_the_class_pattern_are_reported(project):
    project.write({APP + "services/tool_execution_engine.py": TOOL_ENGINE})
    project.check(SVC, f"from {TOOL_MOD} import ToolExecutionEngine\n\n\n"
                       "async def f(registry, manager, ctx):\n    return ToolExecutionEngine(registry, manager, user_context=ctx)\n")
    assert project.codes(SVC) == [(1, "SSOT001"), (5, "SSOT002")]


def test_message_says_the_class_is_a_discovered_duplicate(project):
    project.write({APP + "services/workflow.py": TOOL_ENGINE.replace("ToolExecutionEngine", "WorkflowExecutionEngine")})
    project.check(SVC, "from netra_backend.app.services.workflow import WorkflowExecutionEngine\n\n\n"
                       "async def f(registry, ctx):\n    return WorkflowExecutionEngine(registry, None, user_context=ctx)\n")
    (construction,) = [f for f in project.findings(SVC) if f.code == "SSOT002"]
    assert construction.message.startswith("construction of WorkflowExecutionEngine, a duplicate of UserExecutionEngine "
                                           "(its name matches 'ExecutionEngine$'); use UserExecutionEngine")


def test_constructions_inside_the_discovered_class_module_are_not_reported(project):
    assert project.check(APP + "services/tool_execution_engine.py",
                         TOOL_ENGINE + "\n\ndef default(registry):\n    return ToolExecutionEngine(registry, None)\n") \
        == [(1, "SSOT004")]


def test_discovered_classes_are_not_followed_without_follow_discovered(project):
    from .test_configuration import profile_with, write_profile

    profile = profile_with()
    profile["groups"][0]["follow-discovered"] = False
    write_profile(project, profile)
    project.write({APP + "services/tool_execution_engine.py": TOOL_ENGINE})
    assert project.check(SVC, f"from {TOOL_MOD} import ToolExecutionEngine\n\n\n"
                              "async def f(registry, manager, ctx):\n"
                              "    return ToolExecutionEngine(registry, manager, user_context=ctx)\n") == []


def test_test_doubles_are_never_followed(project):
    project.write({"tests/__init__.py": "", "tests/doubles.py": "class MockToolExecutionEngine:\n    def run(self):\n        return 1\n"})
    assert project.check("tests/test_tools.py", "from tests.doubles import MockToolExecutionEngine\n\n\n"
                                                "def test_run():\n    assert MockToolExecutionEngine().run()\n") == []


def test_interfaces_are_never_followed(project):
    project.write({APP + "services/engine_api.py": "from abc import ABC, abstractmethod\n\n\n"
                                                   "class AbstractExecutionEngine(ABC):\n    @abstractmethod\n"
                                                   "    async def execute_agent(self, name):\n        ...\n"})
    assert project.check(SVC, "from netra_backend.app.services.engine_api import AbstractExecutionEngine\n\n\n"
                              "def is_engine(x):\n    return isinstance(x, AbstractExecutionEngine)\n") == []


# -- replacements per symbol (issue 14 §2e) -----------------------------------------------------

UNIFIED_TOOL_MOD = "netra_backend.app.agents.unified_tool_execution"


def test_legacy_class_without_replacement_says_so_and_is_not_fixable(project):
    project.write({APP + "agents/unified_tool_execution.py": "class UnifiedToolExecutionEngine:\n    pass\n"})
    project.check(SVC, f"from {UNIFIED_TOOL_MOD} import UnifiedToolExecutionEngine\n\n\n"
                       "async def f(registry, bridge, ctx):\n"
                       "    return UnifiedToolExecutionEngine(registry, bridge, user_context=ctx)\n")
    (violation,) = [v for v in project.violations(SVC) if v.code == "SSOT002"]
    assert violation.message == ('construction of legacy UnifiedToolExecutionEngine; nothing replaces it automatically '
                                 '(replacements: "none"): migrate it by hand')
    assert violation.payload.replacement == "none" and not violation.payload.fixable
    assert violation.payload.manual_text().startswith("nothing replaces it automatically")


def test_a_moved_class_keeps_the_replacement_of_its_stale_entry(project):
    """The profile maps ``…unified_tool_registry.execution_engine:ToolExecutionEngine`` (a module the
    workspace no longer has) to "none": the ToolExecutionEngine found elsewhere inherits it."""
    project.write({APP + "services/tool_execution_engine.py": TOOL_ENGINE})
    project.check(SVC, f"from {TOOL_MOD} import ToolExecutionEngine\n\n\n"
                       "async def f(registry, manager, ctx):\n    return ToolExecutionEngine(registry, manager, user_context=ctx)\n")
    (violation,) = [v for v in project.violations(SVC) if v.code == "SSOT002"]
    assert violation.payload.replacement == "none"


def test_legacy_class_with_the_default_replacement_names_the_canonical_class(project):
    project.check(SVC, IMPORT + "async def f(ctx):\n    return ExecutionEngine(None, None, user_context=ctx)\n")
    (violation,) = [v for v in project.violations(SVC) if v.code == "SSOT002"]
    assert violation.payload.replacement == "netra_backend.app.agents.supervisor.user_execution_engine:UserExecutionEngine"
