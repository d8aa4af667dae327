"""SSOT001 legacy-import: every way of importing a legacy module or symbol, and what is not one."""

from __future__ import annotations

from .conftest import APP

SVC = APP + "services/caller.py"
LEGACY_MOD = "netra_backend.app.agents.supervisor.execution_engine"


def test_absolute_from_import_of_legacy_class_is_reported(project):
    assert project.check(SVC, f"from {LEGACY_MOD} import ExecutionEngine\n") == [(1, "SSOT001")]


def test_finding_sits_on_the_imported_name(project):
    project.check(SVC, f"from {LEGACY_MOD} import ExecutionEngine\n")
    (finding,) = project.findings(SVC)
    assert finding.col == len(f"from {LEGACY_MOD} import ") + 1


def test_relative_from_import_of_legacy_class_is_reported(project):
    assert project.check(APP + "agents/caller.py", "from .supervisor.execution_engine import ExecutionEngine\n") \
        == [(1, "SSOT001")]


def test_relative_import_of_legacy_module_from_package_is_reported(project):
    assert project.check(APP + "agents/supervisor/caller.py", "from . import execution_engine\n") \
        == [(1, "SSOT001")]


def test_relative_import_of_canonical_module_from_package_is_not_reported(project):
    assert project.check(APP + "agents/supervisor/caller.py", "from . import user_execution_engine\n") == []


def test_two_level_relative_import_is_resolved(project):
    assert project.check(APP + "services/caller.py",
                         "from ..agents.supervisor.execution_engine import ExecutionEngine\n") == [(1, "SSOT001")]


def test_import_inside_function_is_reported(project):
    assert project.check(SVC, f"""\
        def build():
            from {LEGACY_MOD} import ExecutionEngine
            return ExecutionEngine
        """) == [(2, "SSOT001")]


def test_import_under_type_checking_is_reported(project):
    assert project.check(SVC, f"""\
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from {LEGACY_MOD} import ExecutionEngine
        """) == [(4, "SSOT001")]


def test_import_under_typing_dot_type_checking_is_reported(project):
    assert project.check(SVC, f"""\
        import typing

        if typing.TYPE_CHECKING:
            from {LEGACY_MOD} import ExecutionEngine
        """) == [(4, "SSOT001")]


def test_type_checking_import_is_marked_in_the_fix_data(project):
    project.check(SVC, f"""\
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from {LEGACY_MOD} import ExecutionEngine
        """)
    (violation,) = project.violations(SVC)
    assert violation.payload.type_checking is True


def test_import_in_try_block_is_reported(project):
    assert project.check(SVC, f"""\
        try:
            from {LEGACY_MOD} import ExecutionEngine
        except ImportError:
            ExecutionEngine = None
        """) == [(2, "SSOT001")]


def test_import_in_except_handler_is_reported(project):
    assert project.check(SVC, f"""\
        try:
            import json
        except ImportError:
            from {LEGACY_MOD} import ExecutionEngine
        """) == [(4, "SSOT001")]


def test_import_dotted_legacy_module_as_alias_is_reported(project):
    assert project.check(SVC, f"import {LEGACY_MOD} as ee\n") == [(1, "SSOT001")]


def test_plain_import_of_dotted_legacy_module_is_reported(project):
    assert project.check(SVC, f"import {LEGACY_MOD}\n") == [(1, "SSOT001")]


def test_plain_import_of_canonical_module_is_not_reported(project):
    assert project.check(SVC, "import netra_backend.app.agents.supervisor.user_execution_engine\n") == []


def test_plain_import_of_parent_package_is_not_reported(project):
    assert project.check(SVC, "import netra_backend.app.agents.supervisor\n") == []


def test_import_of_submodule_of_legacy_module_is_reported(project):
    project.write({APP + "agents/supervisor/execution_engine/__init__.py": ""})
    (project.root / APP / "agents/supervisor/execution_engine.py").unlink()
    project.write({APP + "agents/supervisor/execution_engine/helpers.py": "X = 1\n"})
    assert project.check(SVC, f"from {LEGACY_MOD}.helpers import X\n") == [(1, "SSOT001")]


def test_star_import_of_legacy_module_is_reported(project):
    assert project.check(SVC, f"from {LEGACY_MOD} import *\n") == [(1, "SSOT001")]


def test_star_import_of_clean_module_is_not_reported(project):
    assert project.check(SVC, "from netra_backend.app.agents.supervisor.user_execution_engine import *\n") == []


def test_reexport_through_package_init_is_reported_at_both_sites(project):
    project.write({APP + "agents/__init__.py": "from .supervisor.execution_engine import ExecutionEngine\n"})
    assert project.check(SVC, "from netra_backend.app.agents import ExecutionEngine\n") == [(1, "SSOT001")]
    assert project.codes(APP + "agents/__init__.py") == [(1, "SSOT001")]


def test_reexport_message_names_the_original(project):
    project.write({APP + "agents/__init__.py": "from .supervisor.execution_engine import ExecutionEngine\n"})
    project.check(SVC, "from netra_backend.app.agents import ExecutionEngine\n")
    (finding,) = project.findings(SVC)
    assert f"re-exported from {LEGACY_MOD}:ExecutionEngine" in finding.message


def test_alias_chain_three_deep_across_modules_is_followed(project):
    project.write({
        APP + "compat1.py": f"from {LEGACY_MOD} import ExecutionEngine\nA = ExecutionEngine\n",
        APP + "compat2.py": "from netra_backend.app.compat1 import A\nB = A\n",
        APP + "compat3.py": "from netra_backend.app.compat2 import B\nC = B\n",
    })
    assert project.check(SVC, "from netra_backend.app.compat3 import C\n") == [(1, "SSOT001")]


def test_intermediate_modules_of_an_alias_chain_are_reported_where_they_import(project):
    project.write({
        APP + "compat1.py": f"from {LEGACY_MOD} import ExecutionEngine\nA = ExecutionEngine\n",
        APP + "compat2.py": "from netra_backend.app.compat1 import A\nB = A\n",
    })
    project.scan()
    assert project.codes(APP + "compat1.py") == [(1, "SSOT001")]
    assert project.codes(APP + "compat2.py") == [(1, "SSOT001")]


def test_name_imported_from_a_star_reexporting_module_is_reported(project):
    project.write({APP + "reexport.py": f"from {LEGACY_MOD} import *\n"})
    assert project.check(SVC, "from netra_backend.app.reexport import ExecutionEngine\n") == [(1, "SSOT001")]


def test_star_import_of_module_that_reexports_legacy_is_reported(project):
    project.write({APP + "agents/__init__.py": "from .supervisor.execution_engine import ExecutionEngine\n"})
    assert project.check(SVC, "from netra_backend.app.agents import *\n") == [(1, "SSOT001")]


def test_star_import_of_module_whose_all_hides_the_legacy_name_is_not_reported(project):
    project.write({APP + "agents/__init__.py": """\
        from .supervisor.execution_engine import ExecutionEngine
        from .supervisor.user_execution_engine import UserExecutionEngine
        __all__ = ["UserExecutionEngine"]
        """})
    assert project.check(SVC, "from netra_backend.app.agents import *\n") == []


def test_allowed_interface_names_are_not_reported(project):
    assert project.check(SVC, """\
        from netra_backend.app.agents.execution_engine_interface import (
            IExecutionEngine,
            ExecutionEngineCapabilities,
            ExecutionEngineAdapter,
        )
        """) == []


def test_non_allowed_name_from_the_same_legacy_module_is_reported(project):
    assert project.check(SVC, """\
        from netra_backend.app.agents.execution_engine_interface import (
            IExecutionEngine,
            GenericExecutionEngineAdapter,
        )
        """) == [(3, "SSOT001")]


def test_allowed_name_reexported_through_a_package_is_not_reported(project):
    project.write({APP + "agents/__init__.py":
                   "from .execution_engine_interface import ExecutionEngineCapabilities\n"})
    assert project.check(SVC, "from netra_backend.app.agents import ExecutionEngineCapabilities\n") == []
    assert project.codes(APP + "agents/__init__.py") == []


def test_inside_a_legacy_module_only_definitions_are_reported(project):
    assert project.check(APP + "agents/supervisor/mcp_execution_engine.py", f"""\
        from {LEGACY_MOD} import ExecutionEngine


        class MCPEnhancedExecutionEngine(ExecutionEngine):
            def build(self):
                return ExecutionEngine(None, None)
        """) == [(4, "SSOT004")]


def test_canonical_import_is_not_reported(project):
    assert project.check(
        SVC, "from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine\n") == []


def test_factory_import_is_not_reported(project):
    assert project.check(SVC, """\
        from netra_backend.app.agents.supervisor.execution_engine_factory import (
            ExecutionEngineFactory,
            get_execution_engine_factory,
        )
        """) == []


def test_canonical_reexported_through_package_is_not_reported(project):
    project.write({APP + "agents/supervisor/__init__.py":
                   "from .user_execution_engine import UserExecutionEngine\n"})
    assert project.check(SVC, "from netra_backend.app.agents.supervisor import UserExecutionEngine\n") == []


def test_module_with_legacy_like_name_outside_the_profile_is_not_reported(project):
    project.write({APP + "agents/execution_engine_helpers.py": "X = 1\n"})
    assert project.check(SVC, "from netra_backend.app.agents.execution_engine_helpers import X\n") == []


def test_import_of_a_legacy_module_missing_from_the_workspace_is_broken_not_legacy(project):
    # the ImportError is the finding (SSOT011); there is nothing left to migrate
    assert project.check(
        SVC, "from netra_backend.app.core.managers.execution_engine_factory import BaseExecutionEngine\n") \
        == [(1, "SSOT011")]


def test_import_of_supervisor_from_legacy_module_is_reported_in_its_group(project):
    project.check(SVC, "from netra_backend.app.agents.supervisor_consolidated import SupervisorAgent\n")
    (violation,) = project.violations(SVC)
    assert (violation.code, violation.group) == ("SSOT001", "supervisor")


def test_each_legacy_name_of_one_statement_is_reported(project):
    assert project.check(SVC, f"""\
        from {LEGACY_MOD} import (
            ExecutionEngine,
        )
        from netra_backend.app.agents.supervisor.request_scoped_execution_engine import RequestScopedExecutionEngine
        """) == [(2, "SSOT001"), (4, "SSOT001")]


def test_star_import_of_a_package_reexporting_two_groups_names_each_groups_names(project):
    project.write({APP + "agents/__init__.py": "from .supervisor.execution_engine import ExecutionEngine\n"
                                               "from .supervisor_consolidated import SupervisorAgent\n"})
    project.check(SVC, "from netra_backend.app.agents import *\n")
    messages = {v.group: v.message for v in project.violations(SVC)}
    assert set(messages) == {"engine", "supervisor"}
    assert "brings in legacy ExecutionEngine;" in messages["engine"] and "SupervisorAgent" not in messages["engine"]
    assert "brings in legacy SupervisorAgent;" in messages["supervisor"] and "ExecutionEngine" not in \
        messages["supervisor"].partition(";")[0]


def test_import_of_a_legacy_class_nothing_replaces_says_so(project):
    project.write({APP + "agents/unified_tool_execution.py": "class UnifiedToolExecutionEngine:\n    pass\n"})
    project.check(SVC, "from netra_backend.app.agents.unified_tool_execution import UnifiedToolExecutionEngine\n")
    (violation,) = project.violations(SVC)
    assert violation.message.endswith('nothing replaces it automatically (replacements: "none"): migrate it by hand')
    assert violation.payload.replacement == "none" and violation.payload.migrates_to() == "none"


def test_import_of_a_discovered_duplicate_says_what_it_duplicates(project):
    project.write({APP + "services/workflow.py": "class WorkflowExecutionEngine:\n    def run(self):\n        return 1\n"})
    project.check(SVC, "from netra_backend.app.services.workflow import WorkflowExecutionEngine\n")
    (violation,) = project.violations(SVC)
    assert violation.message.startswith("import of WorkflowExecutionEngine, a duplicate of UserExecutionEngine "
                                        "(its name matches 'ExecutionEngine$'); use UserExecutionEngine")
