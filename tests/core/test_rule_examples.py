"""Every rule's own examples (``Rule.valid`` / ``Rule.invalid``), run in the example workspace.

The examples are what the rule's docs page shows; this keeps the page true: an invalid example is
reported by its rule, a valid one is not, and where an invalid example shows the text after the
fix, the rule's verified fix produces exactly that text.
"""

from __future__ import annotations

import pytest

from ssot_lsp.config.loader import load_config
from ssot_lsp.core.rules.registry import ALL
from ssot_lsp.fixes.api import fixes_for

INVALID = [pytest.param(rule, example, id=f"{rule.code}-invalid-{n}")
           for rule in ALL for n, example in enumerate(rule.invalid)]
VALID = [pytest.param(rule, example, id=f"{rule.code}-valid-{n}")
         for rule in ALL for n, example in enumerate(rule.valid)]


def test_every_rule_has_a_valid_and_an_invalid_example():
    assert all(rule.valid and rule.invalid for rule in ALL)


@pytest.mark.parametrize(("rule", "example"), INVALID)
def test_invalid_example_is_reported_by_its_rule(project, rule, example):
    assert rule.code in [code for _, code in project.check(example.path, example.code)]


@pytest.mark.parametrize(("rule", "example"), VALID)
def test_valid_example_is_not_reported_by_its_rule(project, rule, example):
    assert rule.code not in [code for _, code in project.check(example.path, example.code)]


@pytest.mark.parametrize(("rule", "example"), [p for p in INVALID if p.values[1].fixed is not None])
def test_fix_of_invalid_example_gives_the_text_the_docs_show(project, rule, example):
    project.check(example.path, example.code)
    violations = project.violations(example.path)
    target = next(v for v in violations if v.code == rule.code)
    result = project.result
    assert result is not None and result.index is not None
    (outcome,) = fixes_for(example.code, target.path, violations, result.index, load_config(project.root),
                           targets=[target])
    assert outcome.reason is None
    assert outcome.new_text == example.fixed
