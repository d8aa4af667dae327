"""SSOT005 duplicate-name: a second class with the canonical class's name, or one extending it."""

from __future__ import annotations

from pathlib import Path

from .conftest import APP

SVC = APP + "agents/orchestrator.py"


def test_second_definition_of_the_canonical_name_is_reported(project):
    project.scan()
    assert project.codes(APP + "agents/supervisor_consolidated.py") == [(1, "SSOT005")]


def test_canonical_definition_is_not_reported(project):
    project.scan()
    assert project.codes(APP + "agents/supervisor_ssot.py") == []


def test_third_definition_outside_legacy_modules_is_reported(project):
    assert project.check(SVC, "class SupervisorAgent:\n    pass\n") == [(1, "SSOT005")]


def test_class_extending_the_non_canonical_one_is_reported(project):
    assert project.check(SVC, "from netra_backend.app.agents.supervisor_consolidated import SupervisorAgent\n\n"
                              "class ChatOrchestrator(SupervisorAgent):\n    pass\n") == [(1, "SSOT001"), (3, "SSOT005")]


def test_class_extending_the_non_canonical_one_through_a_module_attribute_is_reported(project):
    assert project.check(SVC, "from netra_backend.app.agents import supervisor_consolidated as sc\n\n"
                              "class ChatOrchestrator(sc.SupervisorAgent):\n    pass\n") == [(1, "SSOT001"), (3, "SSOT005")]


def test_class_extending_a_non_legacy_duplicate_is_reported(project):
    project.write({APP + "agents/other_supervisor.py": "class SupervisorAgent:\n    pass\n"})
    assert project.check(SVC, "from netra_backend.app.agents.other_supervisor import SupervisorAgent\n\n"
                              "class ChatOrchestrator(SupervisorAgent):\n    pass\n") == [(3, "SSOT005")]


def test_class_extending_the_canonical_one_is_not_reported(project):
    assert project.check(SVC, "from netra_backend.app.agents.supervisor_ssot import SupervisorAgent\n\n"
                              "class WorkflowOrchestrator(SupervisorAgent):\n    pass\n") == []


def test_duplicate_is_not_also_a_duplicate_definition(project):
    project.check(SVC, "from netra_backend.app.agents.supervisor_consolidated import SupervisorAgent\n\n"
                       "class ChatOrchestrator(SupervisorAgent):\n    pass\n")
    assert "SSOT004" not in {code for _, code in project.codes(SVC)}


def test_related_information_lists_every_other_definition(project):
    project.write({APP + "agents/third.py": "class SupervisorAgent:\n    pass\n"})
    project.scan()
    (violation,) = project.violations(APP + "agents/supervisor_consolidated.py")
    related = sorted((Path(r.path).name, r.message.split()[0]) for r in violation.related)
    assert related == [("supervisor_ssot.py", "canonical"), ("third.py", "other")]


def test_related_information_of_a_subclass_lists_all_definitions(project):
    project.check(SVC, "from netra_backend.app.agents.supervisor_consolidated import SupervisorAgent\n\n"
                       "class ChatOrchestrator(SupervisorAgent):\n    pass\n")
    (violation,) = [v for v in project.violations(SVC) if v.code == "SSOT005"]
    assert sorted(Path(r.path).name for r in violation.related) == ["supervisor_consolidated.py", "supervisor_ssot.py"]


def test_a_mock_with_the_canonical_name_in_a_test_is_information(project):
    rel = "tests/test_routes.py"
    project.check(rel, "from unittest.mock import MagicMock\n\n\nclass SupervisorAgent(MagicMock):\n"
                       "    async def run(self, context, request):\n        return {}\n")
    (finding,) = project.findings(rel)
    assert (finding.code, finding.severity) == ("SSOT005", "information")
    assert "test double (it extends MagicMock)" in finding.message


def test_the_same_class_outside_tests_without_mock_base_is_an_error(project):
    project.check(SVC, "class SupervisorAgent:\n    async def run(self, context, request):\n        return {}\n")
    (finding,) = project.findings(SVC)
    assert (finding.code, finding.severity) == ("SSOT005", "error")
