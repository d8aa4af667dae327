"""A quick fix the server would withhold is refused on its plan, before the plan is applied.

The server's quick fix may not change another finding's statement (``lsp/quick_fixes.py``). An
import fix that rewrites every construction of the name does, and applying it costs about a second
on a 5,000-line file with 500 constructions, on each document version. ``_Scope.target_stray_line``
says so from the plan's targets; ``fixes_for(withhold=...)`` then returns the title, safety and
reason without applying (or verifying) the plan.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ssot_lsp.core.rules.registry import rule_for
from ssot_lsp.fixes import api
from ssot_lsp.fixes.api import fix_of, fixes_for, make_doc, minimal_edits
from ssot_lsp.fixes.document import NotFixable, ReexportNotFixable, prepare_tree
from ssot_lsp.fixes.transform import apply_plan
from ssot_lsp.lsp.documents import LineIndex
from ssot_lsp.lsp.quick_fixes import _Scope

EE = "netra_backend.app.agents.supervisor.execution_engine"
CONSTRUCTION = "    engine = ExecutionEngine(registry, bridge, user_context=ctx)\n    return engine\n"
TWO_CONSTRUCTIONS = (f"from {EE} import ExecutionEngine\n\n\nasync def first(registry, bridge, ctx):\n"
                     f"{CONSTRUCTION}\n\nasync def second(registry, bridge, ctx):\n{CONSTRUCTION}")
ANNOTATION_ONLY = f"from {EE} import ExecutionEngine\n\n\ndef run(engine: ExecutionEngine) -> None:\n    engine.go()\n"
GOLDEN = Path(__file__).parent / "golden"


def _analysed(bench, text: str):
    path, module = bench.place(text)
    return path, bench.analyse(text, path, module)


def _plan_and_edits(bench, text: str, path: str, violations, violation):
    """The plan of the violation's fix and the edits it makes once applied (None: no fix)."""
    doc = make_doc(text, path, violations, bench.index, bench.config)
    fix = fix_of(rule_for(violation.code))
    if fix is None:
        return None
    try:
        prepare_tree(doc, fix.words(doc, violation))
        edit = fix.compute(doc, violation)
        new_text = apply_plan(doc, edit.plan)
    except (NotFixable, ReexportNotFixable):
        return None
    return edit.plan, minimal_edits(text, new_text)


def test_the_import_fix_rewriting_other_constructions_is_refused_on_its_plan(bench):
    path, violations = _analysed(bench, TWO_CONSTRUCTIONS)
    legacy_import = next(v for v in violations if v.code == "SSOT001")
    plan, _ = _plan_and_edits(bench, TWO_CONSTRUCTIONS, path, violations, legacy_import)
    scope = _Scope(TWO_CONSTRUCTIONS, LineIndex(TWO_CONSTRUCTIONS), None, violations)
    assert scope.target_stray_line(legacy_import, plan.targets) == 4  # the first construction


def test_an_import_fix_renaming_only_an_annotation_is_not_refused(bench):
    path, violations = _analysed(bench, ANNOTATION_ONLY)
    (legacy_import,) = violations
    plan, _ = _plan_and_edits(bench, ANNOTATION_ONLY, path, violations, legacy_import)
    scope = _Scope(ANNOTATION_ONLY, LineIndex(ANNOTATION_ONLY), None, violations)
    assert scope.target_stray_line(legacy_import, plan.targets) is None


def test_a_construction_fix_is_not_refused_for_its_own_statement(bench):
    path, violations = _analysed(bench, TWO_CONSTRUCTIONS)
    first = min((v for v in violations if v.code == "SSOT002"), key=lambda v: v.span.line)
    plan, _ = _plan_and_edits(bench, TWO_CONSTRUCTIONS, path, violations, first)
    scope = _Scope(TWO_CONSTRUCTIONS, LineIndex(TWO_CONSTRUCTIONS), None, violations)
    assert scope.target_stray_line(first, plan.targets) is None


def test_a_withheld_plan_is_not_applied_and_keeps_its_title_and_safety(bench, monkeypatch):
    path, violations = _analysed(bench, TWO_CONSTRUCTIONS)
    legacy_import = next(v for v in violations if v.code == "SSOT001")
    (applied,) = fixes_for(TWO_CONSTRUCTIONS, path, violations, bench.index, bench.config, targets=[legacy_import])

    def never(*args, **kwargs):
        raise AssertionError("a withheld plan was applied")

    monkeypatch.setattr(api, "apply_plan", never)
    (withheld,) = fixes_for(TWO_CONSTRUCTIONS, path, violations, bench.index, bench.config,
                            targets=[legacy_import], withhold=lambda violation, plan: "not here")
    assert (withheld.title, withheld.safe, withheld.new_text, withheld.reason) == (
        applied.title, applied.safe, None, "not here")
    assert "+2 factory calls" in withheld.title


def test_a_plan_the_caller_accepts_is_applied_as_without_withhold(bench):
    path, violations = _analysed(bench, ANNOTATION_ONLY)
    (legacy_import,) = violations
    (plain,) = fixes_for(ANNOTATION_ONLY, path, violations, bench.index, bench.config, targets=[legacy_import])
    (asked,) = fixes_for(ANNOTATION_ONLY, path, violations, bench.index, bench.config, targets=[legacy_import],
                         withhold=lambda violation, plan: None)
    assert asked == plain and plain.new_text is not None


@pytest.mark.parametrize("case", sorted(p.name for p in GOLDEN.iterdir() if (p / "before.py").exists()))
def test_a_plan_refused_up_front_would_have_been_withheld_once_applied(bench, case):
    """On every golden case: what the plan check refuses, the check of the applied edits refuses too
    (it is a shortcut, never a second opinion)."""
    text = (GOLDEN / case / "before.py").read_text(encoding="utf-8")
    path, violations = _analysed(bench, text)
    scope = _Scope(text, LineIndex(text), None, violations)
    for violation in violations:
        found = _plan_and_edits(bench, text, path, violations, violation)
        if found is None:
            continue
        plan, edits = found
        if scope.target_stray_line(violation, plan.targets) is not None:
            assert scope.stray_line(violation, edits) is not None, (violation.code, violation.span)
