"""Golden before/after cases (tests/fixes/golden/NNN_name/{before,after}.py).

Names ending in ``_safe`` run with safe fixes only; the others with ``unsafe=True``.
"""

from __future__ import annotations

from pathlib import Path

import ast

import pytest

GOLDEN = Path(__file__).parent / "golden"  # not imported from conftest: another conftest can shadow it

CASES = sorted(p for p in GOLDEN.iterdir() if (p / "before.py").exists())


def test_enough_cases():
    assert len(CASES) >= 50


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(bench, case):
    before = (case / "before.py").read_bytes().decode("utf-8")
    expected = (case / "after.py").read_bytes().decode("utf-8")
    unsafe = not case.name.endswith("_safe")
    result = bench.fix(before, unsafe=unsafe, name=case.name[4:])
    assert result.new_text == expected
    ast.parse(result.new_text)
    if "\r\n" in before:
        assert "\r\n" in result.new_text and result.new_text.count("\n") == result.new_text.count("\r\n")
    again = bench.fix(result.new_text, unsafe=unsafe, name=case.name[4:] + "_again")
    assert again.new_text == result.new_text  # idempotent
