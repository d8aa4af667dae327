"""Fix verification: for each of its checks, a candidate that only that check rejects.

``ssot_lsp.fixes.verify`` is the gate between a computed edit and the user. Each test below hands it
a candidate text (and the plan that would have produced it) that passes every other check, so
disabling any one check makes exactly its test fail; the last tests go through the public API with a
deliberately defective fix, so turning verification off in ``fixes/api.py`` fails them too.
"""

from __future__ import annotations

import pytest

from ssot_lsp.fixes import api
from ssot_lsp.fixes.api import FixEdit
from ssot_lsp.fixes.transform import Plan
from ssot_lsp.fixes.verify import verify

EE = "netra_backend.app.agents.supervisor.execution_engine"
UEE = "netra_backend.app.agents.supervisor.user_execution_engine"
FACTORY = "netra_backend.app.agents.supervisor.execution_engine_factory"

ORIGINAL = (f"from {EE} import ExecutionEngine\n\n\n"
            "def describe(engine: ExecutionEngine) -> str:\n    return repr(engine)\n")
MIGRATED = (f"from {UEE} import UserExecutionEngine\n\n\n"
            "def describe(engine: UserExecutionEngine) -> str:\n    return repr(engine)\n")


@pytest.fixture
def case(bench):
    """The document with its legacy import (SSOT001), analysed in the workbench's workspace."""
    path, module = bench.place(ORIGINAL)
    violations = bench.analyse(ORIGINAL, path, module)
    (target,) = [v for v in violations if v.code == "SSOT001"]
    doc = api.make_doc(ORIGINAL, path, violations, bench.index, bench.config)
    return doc, target, violations


def plan(removed=(), introduced=()) -> Plan:
    return Plan(removed_bindings=set(removed), introduced_names=set(introduced))


def test_the_real_migration_passes_every_check(case):
    doc, target, baseline = case
    assert verify(doc, target, MIGRATED, plan({"ExecutionEngine"}, {"UserExecutionEngine"}), baseline) is None


def test_a_candidate_that_changes_nothing_is_rejected(case):
    doc, target, baseline = case
    assert verify(doc, target, ORIGINAL, plan(), baseline) == "the fix changes nothing"


def test_a_candidate_that_does_not_parse_is_rejected(case):
    doc, target, baseline = case
    broken = MIGRATED.replace("-> str:", "-> str")
    assert verify(doc, target, broken, plan(), baseline).startswith("the result does not parse")


def test_a_candidate_that_still_has_the_violation_is_rejected(case):
    doc, target, baseline = case
    unchanged_import = ORIGINAL + "\n\nVERSION = 2\n"  # parses, adds no finding, binds nothing new
    assert verify(doc, target, unchanged_import, plan(), baseline) == "the violation is still reported after the fix"


def test_a_candidate_that_adds_a_finding_is_rejected(case):
    doc, target, baseline = case
    bypass = MIGRATED.replace("repr(engine)", "repr(UserExecutionEngine(None, None, None))")  # SSOT003
    problem = verify(doc, target, bypass, plan({"ExecutionEngine"}, {"UserExecutionEngine"}), baseline)
    assert problem is not None and problem.startswith("the fix would introduce SSOT003")


def test_a_candidate_that_uses_a_removed_name_is_rejected(case):
    doc, target, baseline = case
    # the import is gone and a local variable annotation still names ExecutionEngine: never evaluated,
    # so no rule reports it (an evaluated use would be SSOT011), but the name check must
    import_dropped = "def describe(engine) -> str:\n    local: ExecutionEngine = engine\n    return repr(local)\n"
    problem = verify(doc, target, import_dropped, plan({"ExecutionEngine"}), baseline)
    assert problem == "`ExecutionEngine` would be used but no longer defined"


def test_a_candidate_that_uses_an_introduced_name_without_binding_it_is_rejected(case):
    doc, target, baseline = case
    unimported = MIGRATED + "\n\nasync def build(ctx):\n    return await get_execution_engine_factory()\n"
    problem = verify(doc, target, unimported, plan({"ExecutionEngine"}, {"get_execution_engine_factory"}),
                     baseline)
    assert problem == "`get_execution_engine_factory` would be used without being defined"


PATCHED = f"from unittest import mock\n\n\ndef test_it():\n    with mock.patch('{EE}.logger') as log:\n        return log\n"


@pytest.fixture
def patch_case(bench):
    """A test patching the legacy module's logger (SSOT007)."""
    path, module = bench.place(PATCHED)
    violations = bench.analyse(PATCHED, path, module)
    (target,) = [v for v in violations if v.code == "SSOT007"]
    return api.make_doc(PATCHED, path, violations, bench.index, bench.config), target, violations


def retarget(old: str, new: str) -> Plan:
    return Plan(retargets=[("engine", old, new)])


def test_a_patch_moved_to_its_counterpart_passes_every_check(patch_case):
    doc, target, baseline = patch_case
    moved = PATCHED.replace(f"{EE}.logger", f"{UEE}.logger")
    assert verify(doc, target, moved, retarget(f"{EE}.logger", f"{UEE}.logger"), baseline) is None


def test_a_patch_target_that_is_not_the_counterpart_is_rejected(patch_case):
    doc, target, baseline = patch_case
    # what the first trial did: the logger patch became a patch of the canonical class; it parses,
    # the finding is gone, nothing new is reported and no name changes: only the target check sees it
    wrong = PATCHED.replace(f"{EE}.logger", f"{UEE}.UserExecutionEngine")
    problem = verify(doc, target, wrong, retarget(f"{EE}.logger", f"{UEE}.UserExecutionEngine"), baseline)
    assert problem == (f"the new target `{UEE}.UserExecutionEngine` is not the counterpart of `{EE}.logger` "
                       f"({UEE}.logger)")


class DefectiveFix:
    """A fix whose edit breaks the file: only verification stands between it and the user."""

    def __init__(self, inserted: str) -> None:
        self.inserted = inserted

    def words(self, doc, violation):
        return None

    def compute(self, doc, violation) -> FixEdit:
        return FixEdit(Plan(inserts=[(0, self.inserted)]), "Defective fix", safe=True)


@pytest.fixture
def defective(monkeypatch):
    def install(inserted: str) -> None:
        monkeypatch.setattr(api, "fix_of", lambda rule: DefectiveFix(inserted))
    return install


def test_fixes_for_withholds_a_fix_that_verification_rejects(case, defective):
    doc, target, baseline = case
    defective("x = (\n")
    (outcome,) = api.fixes_for(doc.text, doc.path, baseline, doc.index, doc.config, targets=[target])
    assert outcome.new_text is None
    assert outcome.reason.startswith("fix rejected by verification: the result does not parse")


def test_fix_all_never_applies_a_fix_that_verification_rejects(bench, defective):
    defective(f"from {EE} import ExecutionEngine as Again\n")  # parses, but keeps the violation
    result = bench.fix(ORIGINAL, unsafe=True, name="verify_fix_all")
    assert result.new_text == ORIGINAL and result.applied == []
    assert {o.reason for o in result.unfixable if o.violation.code == "SSOT001"} == {
        "fix rejected by verification: the violation is still reported after the fix"}
