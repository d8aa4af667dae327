"""SSOT011 broken-by-migration: names no scope binds, patches and imports of what is gone, removed
compatibility constructors — each with the variant that must stay clean."""

from __future__ import annotations

import textwrap

from .conftest import APP

SVC = APP + "services/caller.py"
TEST = "tests/test_engine.py"
CANONICAL_MOD = "netra_backend.app.agents.supervisor.user_execution_engine"
LEGACY_MOD = "netra_backend.app.agents.supervisor.execution_engine"
RENAMED = f"from {CANONICAL_MOD} import UserExecutionEngine as ExecutionEngine\n"
MIGRATED = f"from {CANONICAL_MOD} import UserExecutionEngine\n"


def broken(project, rel=SVC):
    return [line for line, code in project.codes(rel) if code == "SSOT011"]


def message(project, rel=SVC) -> str:
    (finding,) = [f for f in project.findings(rel) if f.code == "SSOT011"]
    return finding.message


# -- (a) names no scope binds ----------------------------------------------------------------

def test_call_of_the_canonical_name_after_a_renamed_import_is_reported(project):
    project.check(SVC, RENAMED + "\nasync def f(ctx, factory, emitter):\n"
                                 "    return UserExecutionEngine(ctx, factory, emitter)\n")
    assert broken(project) == [4]


def test_message_names_the_alias_the_file_binds(project):
    project.check(SVC, RENAMED + "\nasync def f(ctx, factory, emitter):\n"
                                 "    return UserExecutionEngine(ctx, factory, emitter)\n")
    assert message(project) == ("UserExecutionEngine is not bound here: calling it raises NameError; the file imports "
                                "it as ExecutionEngine (probably meant): use ExecutionEngine, or import "
                                "UserExecutionEngine")


def test_finding_is_an_error_on_the_name(project):
    project.check(SVC, RENAMED + "\nasync def f(ctx, factory, emitter):\n"
                                 "    return UserExecutionEngine(ctx, factory, emitter)\n")
    (finding,) = project.findings(SVC)[1:]
    assert (finding.line, finding.col, finding.severity) == (4, 12, "error")


def test_call_through_the_alias_is_not_broken(project):
    project.check(SVC, RENAMED + "\nasync def f(ctx, factory, emitter):\n"
                                 "    return ExecutionEngine(ctx, factory, emitter)\n")
    assert broken(project) == []


def test_legacy_name_called_after_the_import_was_migrated_names_the_canonical_import(project):
    project.check(SVC, MIGRATED + "\nasync def f(registry, bridge, ctx):\n"
                                  "    return ExecutionEngine(registry, bridge, user_context=ctx)\n")
    assert broken(project) == [4]
    assert "the file imports the canonical UserExecutionEngine (probably meant)" in message(project)


def test_unbound_canonical_name_without_any_binding_says_where_to_import_it_from(project):
    project.check(SVC, "async def f(ctx, factory, emitter):\n    return UserExecutionEngine(ctx, factory, emitter)\n")
    assert message(project).endswith(f"import it: from {CANONICAL_MOD} import UserExecutionEngine")


def test_reference_that_is_not_a_call_is_reported(project):
    project.check(SVC, RENAMED + "\ndef is_engine(x):\n    return isinstance(x, UserExecutionEngine)\n")
    assert broken(project) == [4]
    assert "this use raises NameError" in message(project)


def test_attribute_of_an_unbound_name_is_reported_as_a_call(project):
    project.check(SVC, RENAMED + "\nasync def f(ctx):\n    return await UserExecutionEngine.create_from_legacy(ctx)\n")
    assert broken(project) == [4]
    assert "calling it raises NameError" in message(project)


def test_name_bound_as_a_parameter_is_not_reported(project):
    project.check(SVC, RENAMED + "\ndef f(UserExecutionEngine):\n    return UserExecutionEngine()\n")
    assert broken(project) == []


def test_name_bound_in_an_enclosing_function_is_not_reported(project):
    project.check(SVC, RENAMED + textwrap.dedent("""\

        def outer():
            UserExecutionEngine = make()

            def inner():
                return UserExecutionEngine()
            return inner
        """))
    assert broken(project) == []


def test_name_bound_in_a_sibling_function_only_is_reported(project):
    project.check(SVC, RENAMED + textwrap.dedent("""\

        def one():
            UserExecutionEngine = make()
            return UserExecutionEngine

        def two():
            return UserExecutionEngine()
        """))
    assert broken(project) == [8]


def test_comprehension_target_binds_the_name(project):
    project.check(SVC, RENAMED + "\ndef f(items):\n    return [UserExecutionEngine() for UserExecutionEngine in items]\n")
    assert broken(project) == []


def test_global_declaration_counts_as_a_binding(project):
    project.check(SVC, RENAMED + textwrap.dedent("""\

        def install(cls):
            global UserExecutionEngine
            UserExecutionEngine = cls

        def build():
            return UserExecutionEngine()
        """))
    assert broken(project) == []


def test_class_body_binding_is_visible_in_the_class_body_only(project):
    project.check(SVC, RENAMED + textwrap.dedent("""\

        class Holder:
            UserExecutionEngine = ExecutionEngine
            default = UserExecutionEngine

            def build(self):
                return UserExecutionEngine()
        """))
    assert broken(project) == [8]


def test_module_binding_after_the_use_counts(project):
    project.check(SVC, "def build():\n    return UserExecutionEngine()\n\n\n" + MIGRATED)
    assert broken(project) == []


def test_except_and_with_targets_bind_the_name(project):
    project.check(SVC, textwrap.dedent("""\
        def build(manager):
            with manager as UserExecutionEngine:
                return UserExecutionEngine()

        def fail():
            try:
                pass
            except Exception as ExecutionEngine:
                return ExecutionEngine
        """))
    assert broken(project) == []


def test_import_inside_the_function_binds_the_name(project):
    project.check(SVC, "def build(ctx, factory, emitter):\n    " + MIGRATED + "    return UserExecutionEngine(ctx, factory, emitter)\n")
    assert broken(project) == []


def test_postponed_annotation_is_not_a_use(project):
    project.check(SVC, "from __future__ import annotations\n\n" + RENAMED +
                  "\ndef describe(engine: UserExecutionEngine) -> UserExecutionEngine:\n    return engine\n")
    assert broken(project) == []


def test_string_annotation_is_not_a_use(project):
    project.check(SVC, RENAMED + '\ndef describe(engine: "UserExecutionEngine") -> str:\n    return repr(engine)\n')
    assert broken(project) == []


def test_local_variable_annotation_is_not_a_use(project):
    project.check(SVC, RENAMED + "\ndef f(factory):\n    engine: UserExecutionEngine = factory.create()\n    return engine\n")
    assert broken(project) == []


def test_evaluated_parameter_annotation_is_a_use(project):
    project.check(SVC, RENAMED + "\ndef describe(engine: UserExecutionEngine) -> str:\n    return repr(engine)\n")
    assert broken(project) == [3]


def test_a_use_under_type_checking_never_runs_so_is_not_a_use(project):
    project.check(SVC, "from typing import TYPE_CHECKING, Callable\n" + RENAMED +
                  "\nif TYPE_CHECKING:\n    EngineBuilder = Callable[..., UserExecutionEngine]\n")
    assert broken(project) == []


def test_a_use_in_the_else_branch_of_type_checking_runs_so_is_a_use(project):
    project.check(SVC, "from typing import TYPE_CHECKING, Callable\n" + RENAMED +
                  "\nif TYPE_CHECKING:\n    pass\nelse:\n    EngineBuilder = Callable[..., UserExecutionEngine]\n")
    assert broken(project) == [7]


def test_star_import_from_a_module_outside_the_workspace_makes_the_name_unknown(project):
    project.check(SVC, "from agent_runtime_sdk.compat import *\n\n"
                       "def build(ctx):\n    return ExecutionEngine(None, None, user_context=ctx)\n")
    assert broken(project) == []


def test_star_import_from_a_workspace_module_that_binds_the_name_binds_it(project):
    project.write({APP + "services/reexports.py": f"from {LEGACY_MOD} import ExecutionEngine\n"})
    project.check(SVC, "from netra_backend.app.services.reexports import *\n\n"
                       "def build(ctx):\n    return ExecutionEngine(None, None, user_context=ctx)\n")
    assert broken(project) == []


def test_star_import_from_a_workspace_module_that_does_not_bind_it_leaves_it_unbound(project):
    project.write({APP + "services/helpers.py": "def helper():\n    return 1\n"})
    project.check(SVC, "from netra_backend.app.services.helpers import *\n\n"
                       "def build(ctx):\n    return ExecutionEngine(None, None, user_context=ctx)\n")
    assert broken(project) == [4]


def test_names_of_no_group_are_not_reported(project):
    assert project.check(SVC, "def f():\n    return SomethingUndefined()\n") == []


# -- (b) patches and imports of what is gone ----------------------------------------------------

DELETED_MOD = "netra_backend.app.agents.supervisor.mcp_execution_engine"  # a profile legacy module, not on disk


def test_patch_of_a_deleted_legacy_module_is_ssot011_only(project):
    project.check(TEST, f'from unittest.mock import patch\n\n\n@patch("{DELETED_MOD}.MCPEnhancedExecutionEngine")\n'
                        "def test_run(engine_cls):\n    assert engine_cls\n")
    assert project.codes(TEST) == [(4, "SSOT011")]
    assert message(project, TEST) == (f"patch('{DELETED_MOD}.MCPEnhancedExecutionEngine') names {DELETED_MOD}, which "
                                      "the workspace no longer has; use UserExecutionEngine from "
                                      f"{CANONICAL_MOD}, created through await (await "
                                      "get_execution_engine_factory()).create_for_user(context)")


def test_patch_of_a_deleted_module_names_where_its_class_lives_now(project):
    project.write({APP + "agents/mcp/engine.py": "class MCPEnhancedExecutionEngine:\n    pass\n"})
    project.check(TEST, f'from unittest.mock import patch\n\n\n@patch("{DELETED_MOD}.MCPEnhancedExecutionEngine")\n'
                        "def test_run(engine_cls):\n    assert engine_cls\n")
    assert message(project, TEST).endswith(
        "probably meant: netra_backend.app.agents.mcp.engine.MCPEnhancedExecutionEngine")


def test_patch_of_an_existing_legacy_module_is_ssot007(project):
    project.check(TEST, f'from unittest.mock import patch\n\n\n@patch("{LEGACY_MOD}.ExecutionEngine")\n'
                        "def test_run(engine_cls):\n    assert engine_cls\n")
    assert project.codes(TEST) == [(4, "SSOT007")]


def test_import_module_of_a_deleted_legacy_module_is_reported(project):
    project.check(TEST, f'import importlib\n\nmodule = importlib.import_module("{DELETED_MOD}")\n')
    assert project.codes(TEST) == [(3, "SSOT011")]


def test_import_of_a_deleted_legacy_module_is_reported(project):
    project.check(SVC, f"from {DELETED_MOD} import MCPEnhancedExecutionEngine\n")
    assert project.codes(SVC) == [(1, "SSOT011")]
    assert message(project).startswith(f"import names {DELETED_MOD}, which the workspace no longer has")


def test_patch_of_an_attribute_a_group_module_no_longer_binds_is_reported(project):
    project.check(TEST, f'from unittest.mock import patch\n\n\n@patch("{LEGACY_MOD}.managed_session")\n'
                        "def test_run(session):\n    assert session\n")
    assert project.codes(TEST) == [(4, "SSOT011")]
    assert f"names managed_session, which {LEGACY_MOD} no longer defines" in message(project, TEST)


def test_patch_with_create_true_is_not_reported(project):
    project.check(TEST, f'from unittest.mock import patch\n\n\n@patch("{LEGACY_MOD}.managed_session", create=True)\n'
                        "def test_run(session):\n    assert session\n")
    assert broken(project, TEST) == []


def test_patch_of_a_group_class_name_a_module_no_longer_binds_is_reported(project):
    project.write({APP + "routes/__init__.py": "", APP + "routes/chat.py": MIGRATED + "\n\ndef route():\n    return 1\n"})
    project.check(TEST, 'from unittest.mock import patch\n\n\n'
                        '@patch("netra_backend.app.routes.chat.ExecutionEngine")\n'
                        "def test_route(engine_cls):\n    assert engine_cls\n")
    assert broken(project, TEST) == [4]
    assert message(project, TEST).endswith("probably meant: netra_backend.app.routes.chat.UserExecutionEngine")


def test_patch_where_the_module_still_binds_the_name_is_clean(project):
    project.write({APP + "routes/__init__.py": "", APP + "routes/chat.py": MIGRATED})
    project.check(TEST, 'from unittest.mock import patch\n\n\n'
                        '@patch("netra_backend.app.routes.chat.UserExecutionEngine")\n'
                        "def test_route(engine_cls):\n    assert engine_cls\n")
    assert project.codes(TEST) == []


def test_module_getattr_makes_the_attribute_unknown(project):
    project.write({APP + "routes/__init__.py": "", APP + "routes/lazy.py": "def __getattr__(name):\n    return name\n"})
    project.check(TEST, 'from unittest.mock import patch\n\n\n'
                        '@patch("netra_backend.app.routes.lazy.ExecutionEngine")\n'
                        "def test_route(engine_cls):\n    assert engine_cls\n")
    assert broken(project, TEST) == []


def test_patch_of_a_method_the_canonical_class_no_longer_defines_is_reported(project):
    project.check(TEST, f'from unittest.mock import patch\n\n\n@patch("{CANONICAL_MOD}.UserExecutionEngine.run_legacy")\n'
                        "def test_run(run):\n    assert run\n")
    assert broken(project, TEST) == [4]


def test_patch_of_a_method_the_canonical_class_defines_is_clean(project):
    project.check(TEST, f'from unittest.mock import patch\n\n\n@patch("{CANONICAL_MOD}.UserExecutionEngine.create_from_legacy")\n'
                        "def test_run(run):\n    assert run\n")
    assert project.codes(TEST) == []


def test_patch_object_of_a_module_attribute_that_is_gone_is_reported(project):
    project.check(TEST, f"from unittest.mock import patch\nimport {LEGACY_MOD} as legacy\n\n\n"
                        'def test_run():\n    with patch.object(legacy, "managed_session"):\n        pass\n')
    assert broken(project, TEST) == [6]


def test_nothing_is_gone_in_a_workspace_without_the_group(bare):
    bare.write({"pkg/__init__.py": "", "pkg/user.py": f"from {DELETED_MOD} import MCPEnhancedExecutionEngine\n"})
    bare.scan()
    assert [f.code for f in bare.findings("pkg/user.py")] == ["SSOT001"]


# -- (c) removed compatibility constructors --------------------------------------------------

CANONICAL_WITHOUT_COMPAT = "class UserExecutionEngine:\n    def __init__(self, context, agent_factory, emitter):\n        pass\n"


def test_call_of_a_removed_compat_constructor_is_ssot011_only(project):
    project.write({APP + "agents/supervisor/user_execution_engine.py": CANONICAL_WITHOUT_COMPAT})
    project.check(SVC, MIGRATED + "\nasync def f(registry, bridge, ctx):\n"
                                  "    return await UserExecutionEngine.create_from_legacy(registry, bridge, user_context=ctx)\n")
    assert project.codes(SVC) == [(4, "SSOT011")]
    assert message(project).startswith("UserExecutionEngine.create_from_legacy no longer exists (the compatibility "
                                       "constructor was removed): the call raises AttributeError; use "
                                       "UserExecutionEngine")


def test_call_of_an_existing_compat_constructor_is_ssot002(project):
    project.check(SVC, MIGRATED + "\nasync def f(registry, bridge, ctx):\n"
                                  "    return await UserExecutionEngine.create_from_legacy(registry, bridge, user_context=ctx)\n")
    assert project.codes(SVC) == [(4, "SSOT002")]


def test_compat_constructor_inherited_from_a_base_outside_the_group_modules_is_unknown(project):
    project.write({APP + "agents/supervisor/user_execution_engine.py":
                   "from netra_backend.app.core.base import EngineBase\n\n\n"
                   "class UserExecutionEngine(EngineBase):\n    pass\n",
                   APP + "core/__init__.py": "", APP + "core/base.py": "class EngineBase:\n    pass\n"})
    project.check(SVC, MIGRATED + "\nasync def f(ctx):\n    return await UserExecutionEngine.create_from_legacy(ctx)\n")
    assert broken(project) == []


def test_compat_constructor_bound_as_a_class_attribute_exists(project):
    project.write({APP + "agents/supervisor/user_execution_engine.py":
                   "class UserExecutionEngine:\n    create_from_legacy = classmethod(lambda cls, *a: cls())\n"})
    project.check(SVC, MIGRATED + "\nasync def f(ctx):\n    return await UserExecutionEngine.create_from_legacy(ctx)\n")
    assert broken(project) == []
