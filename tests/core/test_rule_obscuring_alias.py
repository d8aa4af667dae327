"""SSOT008 obscuring-alias: a legacy symbol under the canonical name, or the canonical under a legacy name."""

from __future__ import annotations

from .conftest import APP

SVC = APP + "services/streaming.py"
LEGACY_MOD = "netra_backend.app.agents.supervisor.execution_engine"
CANONICAL_MOD = "netra_backend.app.agents.supervisor.user_execution_engine"


def aliases(project, text):
    return [line for line, code in project.check(SVC, text) if code == "SSOT008"]


def test_legacy_imported_as_canonical_name_is_reported(project):
    assert aliases(project, f"from {LEGACY_MOD} import ExecutionEngine as UserExecutionEngine\n") == [1]


def test_canonical_imported_as_legacy_name_is_reported(project):
    assert aliases(project, f"from {CANONICAL_MOD} import UserExecutionEngine as ExecutionEngine\n") == [1]


def test_canonical_imported_as_name_matching_the_pattern_is_reported(project):
    assert aliases(project, f"from {CANONICAL_MOD} import UserExecutionEngine as SomeExecutionEngine\n") == [1]


def test_module_level_assignment_of_legacy_to_canonical_name_is_reported(project):
    assert aliases(project, f"from {LEGACY_MOD} import ExecutionEngine\nUserExecutionEngine = ExecutionEngine\n") == [2]


def test_module_level_assignment_of_canonical_to_legacy_name_is_reported(project):
    assert aliases(project, f"from {CANONICAL_MOD} import UserExecutionEngine\nExecutionEngine = UserExecutionEngine\n") \
        == [2]


def test_honest_legacy_alias_is_not_reported(project):
    assert aliases(project, f"from {LEGACY_MOD} import ExecutionEngine as LegacyEngine\nOld = ExecutionEngine\n") == []


def test_canonical_under_a_neutral_name_is_not_reported(project):
    assert aliases(project, f"from {CANONICAL_MOD} import UserExecutionEngine as Engine\n") == []


def test_obscuring_import_is_also_a_legacy_import(project):
    assert project.check(SVC, f"from {LEGACY_MOD} import ExecutionEngine as UserExecutionEngine\n") \
        == [(1, "SSOT001"), (1, "SSOT008")]


def test_call_through_obscuring_alias_is_construction_not_bypass(project):
    codes = project.check(SVC, f"from {LEGACY_MOD} import ExecutionEngine as UserExecutionEngine\n"
                               "E = UserExecutionEngine(1, 2)\n")
    assert (2, "SSOT002") in codes and (2, "SSOT003") not in codes


def test_fix_data_names_the_honest_name(project):
    aliases(project, f"from {LEGACY_MOD} import ExecutionEngine as UserExecutionEngine\n")
    (violation,) = [v for v in project.violations(SVC) if v.code == "SSOT008"]
    assert violation.payload.honest == "ExecutionEngine"


# -- severity by direction (issue 14 §2d) --------------------------------------------------------

def _alias_finding(project):
    (finding,) = [f for f in project.findings(SVC) if f.code == "SSOT008"]
    return finding


def test_canonical_under_a_legacy_name_is_information_and_says_why_it_matters(project):
    aliases(project, f"from {CANONICAL_MOD} import UserExecutionEngine as ExecutionEngine\n")
    finding = _alias_finding(project)
    assert finding.severity == "information"
    assert finding.message == ("canonical UserExecutionEngine imported as ExecutionEngine: harmless when it runs, but it "
                               "reads as the legacy class and hides this use from searches for UserExecutionEngine; "
                               "import it as UserExecutionEngine")


def test_legacy_under_the_canonical_name_keeps_its_warning(project):
    aliases(project, f"from {LEGACY_MOD} import ExecutionEngine as UserExecutionEngine\n")
    assert _alias_finding(project).severity == "warning"


def test_a_configured_severity_still_applies_to_the_harmless_direction(project):
    from .test_configuration import profile_with, write_profile

    write_profile(project, profile_with(severity={"SSOT008": "error"}))
    aliases(project, f"from {CANONICAL_MOD} import UserExecutionEngine as ExecutionEngine\n")
    assert _alias_finding(project).severity == "error"


def test_call_through_the_canonical_under_a_legacy_name_is_a_bypass(project):
    codes = project.check(SVC, f"from {CANONICAL_MOD} import UserExecutionEngine as ExecutionEngine\n"
                               "E = ExecutionEngine(1, 2, 3)\n")
    assert (2, "SSOT003") in codes and (2, "SSOT002") not in codes
