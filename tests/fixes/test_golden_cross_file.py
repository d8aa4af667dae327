"""Golden cases of the cross-file fix of a compatibility re-export (issue 15 §4).

Each case (``golden_cross_file/NNN_name/``) has ``before/`` (files placed, at their paths, in a
fresh copy of the fix workspace), ``after/`` (the changed files as recorded and reviewed; none when
the fix is withheld) and ``expect.toml``, written by hand and checked without looking at after/:

- ``why``: the behaviour the case is about;
- ``site``: ``path:line`` of the re-export's SSOT001 whose cross-file fix runs;
- ``changed``: every file the fix changes (``[]``: withheld, and then ``reason`` is a part of why);
- ``[contains]`` / ``[absent]``: per file, whole lines that must be in the result / regular
  expressions that must match nowhere in it.

Each applied case is also re-scanned as written: the re-export's finding is gone and no case file
reports SSOT001, SSOT002 or SSOT011 about the name any more.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.fixes.cross_file_cases import CASES, expectations, run_case


def test_enough_cases():
    assert len([c for c in CASES if expectations(c)["changed"]]) >= 6
    assert len([c for c in CASES if not expectations(c)["changed"]]) >= 4


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cross_file_golden(case, tmp_path):
    bench, fix = run_case(case, tmp_path)
    after = case / "after"
    recorded = {str(p.relative_to(after)) for p in after.rglob("*.py")} if after.exists() else set()
    produced = {str(Path(p).relative_to(bench.root)): c.new_text for p, c in fix.changed.items()}
    assert set(produced) == recorded
    for rel, text in produced.items():
        assert text == (after / rel).read_text(encoding="utf-8"), rel


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cross_file_case_does_what_it_states(case, tmp_path):
    expect = expectations(case)
    bench, fix = run_case(case, tmp_path)
    what = f"{case.name} ({expect['why']})"
    produced = {str(Path(p).relative_to(bench.root)): c.new_text for p, c in fix.changed.items()}
    if not expect["changed"]:
        assert fix.reason is not None and expect["reason"] in fix.reason, f"{what}: {fix.reason}"
        return
    assert fix.reason is None, f"{what}: {fix.reason}"
    assert fix.title.startswith("Unsafe: drop the re-export")
    assert sorted(produced) == sorted(expect["changed"]), what
    for rel, lines in expect.get("contains", {}).items():
        for line in lines:
            assert line in produced[rel].splitlines(), f"{what}: no line {line!r} in {rel}:\n{produced[rel]}"
    for rel, patterns in expect.get("absent", {}).items():
        for pattern in patterns:
            assert not re.search(pattern, produced[rel]), f"{what}: {pattern!r} matches in {rel}:\n{produced[rel]}"
    for text in produced.values():
        ast.parse(text)


@pytest.mark.parametrize("case", [c for c in CASES if expectations(c)["changed"]],
                         ids=[c.name for c in CASES if expectations(c)["changed"]])
def test_cross_file_result_leaves_nothing_of_the_name(case, tmp_path):
    from tests.fixes.conftest import Workbench

    bench, fix = run_case(case, tmp_path)
    for path, change in fix.changed.items():
        Path(path).write_text(change.new_text, encoding="utf-8")
    again = Workbench(bench.root)
    placed = {str(bench.root / p.relative_to(case / "before")) for p in (case / "before").rglob("*.py")}
    left = [(Path(v.path).name, v.code, v.message) for v in again.result.violations
            if v.path in placed and v.code in ("SSOT001", "SSOT002", "SSOT011")]
    assert left == []
