"""Golden before/after cases (tests/fixes/golden/NNN_name/{before,after}.py, expect.toml).

Names ending in ``_safe`` run with safe fixes only; the others with ``unsafe=True``.

``after.py`` is fix_all's output, recorded and reviewed: comparing with it catches any change, but
it cannot say whether the output is right. ``expect.toml`` says what must change, written by hand,
and is checked against fix_all's output without looking at ``after.py``:

- ``why``: the behaviour the case is about;
- ``applied``: the fixes fix_all applies, as "CODE safe" / "CODE unsafe" (in any order); empty for a
  case about sites left unfixed (which ``unfixed`` then lists);
- ``imports`` / ``no_imports``: imports that must / must not be in the result, as ``module:name``,
  ``module:name as alias``, ``module`` or ``module as alias`` (relative modules keep their dots);
- ``statements_from``: how many ``from MODULE import`` statements there must be (no duplicates);
- ``contains``: whole lines that must be in the result (new or changed code);
- ``kept``: lines of before.py that must stay exactly as they are;
- ``absent``: regular expressions that must match nowhere in the result;
- ``first_line``, ``trailing_newline``: the first line; whether the text ends with a line break;
- ``[[unfixed]]``: every site fix_all leaves unfixed: code, line (in the result) and a part of the
  reason it gives; sites not listed must not be left unfixed.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the product depends on tomli there
    import tomli as tomllib

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


# -- what each case states, checked without after.py ---------------------------------------------

def _imports(tree: ast.Module) -> tuple[set[str], Counter]:
    found: set[str] = set()
    statements: Counter = Counter()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            statements[module] += 1
            found.update(f"{module}:{a.name}" + (f" as {a.asname}" if a.asname else "") for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name + (f" as {a.asname}" if a.asname else "") for a in node.names)
    return found, statements


def _expectations(case: Path) -> dict:
    with open(case / "expect.toml", "rb") as handle:
        return tomllib.load(handle)


KNOWN_KEYS = {"why", "applied", "imports", "no_imports", "statements_from", "contains", "kept", "absent",
              "first_line", "trailing_newline", "unfixed"}


def test_every_case_states_what_must_change():
    for case in CASES:
        assert (case / "expect.toml").exists(), f"{case.name}: no expect.toml"
        expect = _expectations(case)
        assert set(expect) <= KNOWN_KEYS, f"{case.name}: unknown keys {set(expect) - KNOWN_KEYS}"
        assert expect.get("why") and "applied" in expect, f"{case.name}: says neither why nor what is applied"
        # an unfixable-with-reason case applies nothing and says what is left and why
        assert expect["applied"] or expect.get("unfixed"), f"{case.name}: applies nothing and leaves nothing"
        before_lines = (case / "before.py").read_bytes().decode("utf-8").splitlines()
        for line in expect.get("kept", []):
            assert line in before_lines, f"{case.name}: kept line {line!r} is not in before.py"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_case_does_what_it_states(bench, case):
    expect = _expectations(case)
    before = (case / "before.py").read_bytes().decode("utf-8")
    result = bench.fix(before, unsafe=not case.name.endswith("_safe"), name=case.name[4:] + "_stated")
    text = result.new_text
    what = f"{case.name} ({expect['why']})"
    assert sorted(f"{o.violation.code} {'safe' if o.safe else 'unsafe'}" for o in result.applied) == \
        sorted(expect["applied"]), what
    imports, statements = _imports(ast.parse(text))
    assert set(expect.get("imports", [])) <= imports, f"{what}: imports {sorted(imports)}"
    assert not set(expect.get("no_imports", [])) & imports, f"{what}: imports {sorted(imports)}"
    for module, count in expect.get("statements_from", {}).items():
        assert statements[module] == count, f"{what}: {statements[module]} statements import from {module}"
    lines = text.splitlines()
    for line in expect.get("contains", []) + expect.get("kept", []):
        assert line in lines, f"{what}: no line {line!r} in\n{text}"
    for pattern in expect.get("absent", []):
        assert not re.search(pattern, text, re.MULTILINE), f"{what}: {pattern!r} matches in\n{text}"
    if "first_line" in expect:
        assert lines[0] == expect["first_line"], what
    assert text.endswith("\n") == expect.get("trailing_newline", True), what
    left = [(o.violation.code, o.violation.span.line + 1, o.reason or "") for o in result.unfixable]
    stated = expect.get("unfixed", [])
    assert len(left) == len(stated), f"{what}: left unfixed {left}"
    for item in stated:
        assert any(code == item["code"] and line == item["line"] and item["reason"] in reason
                   for code, line, reason in left), f"{what}: {item} not among {left}"
