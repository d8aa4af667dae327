"""SSOT004 duplicate-definition: classes that discovery puts in a group, outside the canonical module."""

from __future__ import annotations

from .conftest import APP

SVC = APP + "services/engines.py"
LEGACY_MOD = "netra_backend.app.agents.supervisor.execution_engine"
CANONICAL_MOD = "netra_backend.app.agents.supervisor.user_execution_engine"


def test_class_matching_the_name_pattern_is_reported(project):
    assert project.check(SVC, "class LocalExecutionEngine:\n    pass\n") == [(1, "SSOT004")]


def test_finding_sits_on_the_class_name(project):
    project.check(SVC, "class LocalExecutionEngine:\n    pass\n")
    (finding,) = project.findings(SVC)
    assert finding.col == len("class ") + 1


def test_decorated_class_is_reported_on_its_class_line(project):
    assert project.check(SVC, "import dataclasses\n\n@dataclasses.dataclass\nclass LocalExecutionEngine:\n    x: int = 0\n") \
        == [(4, "SSOT004")]


def test_factory_and_registry_classes_do_not_match_the_pattern(project):
    assert project.check(SVC, "class ExecutionEngineFactory:\n    pass\nclass ExecutionEngineRegistry:\n    pass\n") == []


def test_the_canonical_class_is_not_a_duplicate(project):
    project.scan()
    assert project.codes(APP + "agents/supervisor/user_execution_engine.py") == []


def test_allowed_interface_classes_are_not_duplicates(project):
    project.scan()
    names = [f.message.split()[0] for f in project.findings(APP + "agents/execution_engine_interface.py")]
    assert names == ["GenericExecutionEngineAdapter"]


def test_legacy_symbol_listed_in_the_configuration_is_reported(project):
    project.scan()
    assert project.codes(APP + "agents/supervisor/request_scoped_execution_engine.py") == [(1, "SSOT004")]


def test_subclass_of_legacy_class_is_reported(project):
    assert project.check(SVC, f"from {LEGACY_MOD} import ExecutionEngine\n\n\nclass Worker(ExecutionEngine):\n    pass\n") \
        == [(1, "SSOT001"), (4, "SSOT004")]


def test_subclass_of_legacy_class_through_alias_is_reported(project):
    project.write({APP + "compat.py": f"from {LEGACY_MOD} import ExecutionEngine\nOld = ExecutionEngine\n"})
    assert project.check(SVC, "from netra_backend.app import compat\n\n\nclass Worker(compat.Old):\n    pass\n") \
        == [(4, "SSOT004")]


def test_transitive_subclass_of_legacy_class_is_reported(project):
    project.write({APP + "services/base.py": f"from {LEGACY_MOD} import ExecutionEngine\n\n"
                                              "class Middle(ExecutionEngine):\n    pass\n"})
    # Middle is a discovered duplicate the group follows: importing it is SSOT001 (follow-discovered)
    assert project.check(SVC, "from netra_backend.app.services.base import Middle\n\n\nclass Worker(Middle):\n    pass\n") \
        == [(1, "SSOT001"), (4, "SSOT004")]


def test_transitive_subclass_in_the_same_module_is_reported(project):
    assert project.check(SVC, f"""\
        from {LEGACY_MOD} import ExecutionEngine
        class A(ExecutionEngine):
            pass
        class B(A):
            pass
        """) == [(1, "SSOT001"), (2, "SSOT004"), (4, "SSOT004")]


def test_name_pattern_and_legacy_base_give_one_finding(project):
    assert project.check(SVC, f"from {LEGACY_MOD} import ExecutionEngine\nclass MyExecutionEngine(ExecutionEngine):\n"
                              "    pass\n") == [(1, "SSOT001"), (2, "SSOT004")]


def test_subclass_of_canonical_class_is_not_reported_by_default(project):
    assert project.check(SVC, f"from {CANONICAL_MOD} import UserExecutionEngine\nclass Tenant(UserExecutionEngine):\n"
                              "    pass\n") == []


def test_subclass_of_canonical_class_matching_the_pattern_is_not_reported_by_default(project):
    assert project.check(SVC, f"from {CANONICAL_MOD} import UserExecutionEngine\n"
                              "class TenantExecutionEngine(UserExecutionEngine):\n    pass\n") == []


def test_subclass_of_canonical_is_reported_when_configured(bare):
    from ssot_lsp.config.defaults import DEFAULT_PROFILE
    from .test_profile_independence import pyproject_for
    import copy

    profile = copy.deepcopy(DEFAULT_PROFILE)
    profile["groups"][0]["canonical-subclasses-are-duplicates"] = True
    from .conftest import BASE_FILES
    bare.write(BASE_FILES).write({"pyproject.toml": pyproject_for(profile)})
    assert bare.check(SVC, f"from {CANONICAL_MOD} import UserExecutionEngine\nclass Tenant(UserExecutionEngine):\n"
                           "    pass\n") == [(2, "SSOT004")]


def test_subclasses_of_legacy_can_be_switched_off(bare):
    from ssot_lsp.config.defaults import DEFAULT_PROFILE
    from .test_profile_independence import pyproject_for
    import copy

    profile = copy.deepcopy(DEFAULT_PROFILE)
    profile["groups"][0]["subclasses-of-legacy"] = False
    from .conftest import BASE_FILES
    bare.write(BASE_FILES).write({"pyproject.toml": pyproject_for(profile)})
    assert bare.check(SVC, f"from {LEGACY_MOD} import ExecutionEngine\nclass Worker(ExecutionEngine):\n    pass\n") \
        == [(1, "SSOT001")]


def test_nested_class_matching_the_pattern_is_reported(project):
    assert project.check(SVC, "def make():\n    class InnerExecutionEngine:\n        pass\n    return InnerExecutionEngine\n") \
        == [(2, "SSOT004")]


def test_finding_points_to_the_canonical_definition(project):
    project.check(SVC, "class LocalExecutionEngine:\n    pass\n")
    (violation,) = project.violations(SVC)
    assert [r.message for r in violation.related] == ["canonical UserExecutionEngine"]


# -- test doubles (issue 14 §2a) -----------------------------------------------------------------

TEST_FILE = "tests/test_engine.py"


def _definition(project, rel):
    (finding,) = [f for f in project.findings(rel) if f.code == "SSOT004"]
    return finding


def test_test_double_by_name_is_information_and_says_so(project):
    project.check(SVC, "class MockExecutionEngine:\n    async def execute_agent(self, name):\n        return name\n")
    finding = _definition(project, SVC)
    assert finding.severity == "information"
    assert finding.message == ("MockExecutionEngine is a test double (its name starts with Mock), not a second "
                               "implementation; keep it in step with UserExecutionEngine (or build it with "
                               "create_autospec(UserExecutionEngine))")


def test_every_test_double_prefix_is_recognised(project):
    project.check(SVC, "".join(f"class {p}ExecutionEngine:\n    def run(self):\n        return 1\n\n\n"
                               for p in ("Mock", "Fake", "Stub", "Dummy", "Spy", "_Fake")))
    assert {f.severity for f in project.findings(SVC)} == {"information"}


def test_a_name_that_merely_starts_with_the_letters_is_no_test_double(project):
    project.check(SVC, "class MockingbirdExecutionEngine:\n    def run(self):\n        return 1\n")
    assert _definition(project, SVC).severity == "warning"


def test_magicmock_subclass_is_a_test_double(project):
    project.check(SVC, "from unittest.mock import MagicMock\n\n\nclass RecordingExecutionEngine(MagicMock):\n"
                       "    async def execute_agent(self, name):\n        return self.run(name)\n")
    finding = _definition(project, SVC)
    assert (finding.severity, "test double (it extends MagicMock)" in finding.message) == ("information", True)


def test_subclass_of_a_mock_class_reached_through_the_unittest_mock_module_is_a_test_double(project):
    # `from unittest import mock` then `mock.AsyncMock`: the commonest spelling in real test suites
    project.check(SVC, "from unittest import mock\n\n\nclass RecordingExecutionEngine(mock.AsyncMock):\n"
                       "    async def execute_agent(self, name):\n        return self.run(name)\n")
    finding = _definition(project, SVC)
    assert (finding.severity, "test double (it extends mock.AsyncMock)" in finding.message) == ("information", True)


def test_a_class_of_that_name_from_another_module_is_no_mock(project):
    project.check(SVC, "from netra_backend.app.services import fakes\n\n\nclass RecordingExecutionEngine(fakes.AsyncMock):\n"
                       "    async def execute_agent(self, name):\n        return self.run(name)\n")
    assert _definition(project, SVC).severity == "warning"


def test_subclass_of_a_legacy_class_named_like_a_double_is_information(project):
    project.check(TEST_FILE, f"from {LEGACY_MOD} import ExecutionEngine\n\n\n"
                             "class StubExecutionEngine(ExecutionEngine):\n    def __init__(self):\n        pass\n")
    assert [(f.code, f.severity) for f in project.findings(TEST_FILE)] == [("SSOT001", "warning"),
                                                                           ("SSOT004", "information")]


def test_class_defined_in_a_test_file_is_a_test_double(project):
    project.check(TEST_FILE, "class InMemoryExecutionEngine:\n    def run(self):\n        return 1\n")
    assert "(it is defined in a test file (test-paths))" in _definition(project, TEST_FILE).message


def test_the_same_class_outside_test_paths_is_a_duplicate(project):
    project.check(SVC, "class InMemoryExecutionEngine:\n    def run(self):\n        return 1\n")
    finding = _definition(project, SVC)
    assert (finding.severity, "test double" in finding.message) == ("warning", False)


# -- interfaces (issue 14 §2b) -------------------------------------------------------------------

def test_abstract_engine_interface_is_not_a_duplicate(project):
    assert project.check(SVC, "from abc import ABC, abstractmethod\n\n\nclass AbstractExecutionEngine(ABC):\n"
                              "    def __init__(self, limit):\n        self.limit = limit\n\n"
                              "    @abstractmethod\n    async def execute_agent(self, name):\n        \"\"\"Run one agent.\"\"\"\n\n"
                              "    @abstractmethod\n    async def cleanup(self):\n        ...\n") == []


def test_protocol_engine_is_not_a_duplicate(project):
    assert project.check(SVC, "from typing import Protocol\n\n\nclass EngineLikeExecutionEngine(Protocol):\n"
                              "    async def execute_agent(self, name):\n        return name\n") == []


def test_engine_with_one_implemented_method_is_a_duplicate(project):
    assert project.check(SVC, "from abc import ABC, abstractmethod\n\n\nclass HalfExecutionEngine(ABC):\n"
                              "    @abstractmethod\n    async def execute_agent(self, name):\n        ...\n\n"
                              "    async def cleanup(self):\n        self.tasks.clear()\n") == [(4, "SSOT004")]


def test_a_listed_legacy_class_is_reported_even_when_it_only_declares(project):
    project.write({APP + "agents/supervisor/request_scoped_execution_engine.py":
                   "class RequestScopedExecutionEngine:\n    async def execute_agent(self, name):\n        ...\n"})
    project.scan()
    assert project.codes(APP + "agents/supervisor/request_scoped_execution_engine.py") == [(1, "SSOT004")]


def test_a_listed_legacy_class_nothing_replaces_says_so(project):
    project.check(APP + "agents/unified_tool_execution.py", "class UnifiedToolExecutionEngine:\n    pass\n")
    (finding,) = project.findings(APP + "agents/unified_tool_execution.py")
    assert finding.message.endswith('nothing replaces it automatically (replacements: "none"): consolidate it by hand')
