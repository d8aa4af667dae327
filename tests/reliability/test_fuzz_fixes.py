"""Fuzzing the fixes: every offered fix (fixes_for, fix_all, safe and unsafe) keeps the file parseable,
and minimal_edits reproduces the new text, on demo files mutated like test_fuzz_core does."""

from __future__ import annotations

import ast

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from ssot_reliability_support import REPO, analyse_document, demo_sources, demo_workspace, fuzz_settings

from ssot_lsp.fixes import api

SEEDS = [(p, t) for p, t in demo_sources() if "migration-demo" in p]
STATS = {"fixes": 0, "fix_all": 0}


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
        return True
    except (SyntaxError, ValueError):
        return False


def _apply(old: str, edits) -> str:
    out, last = [], 0
    for start, end, replacement in sorted(edits):
        assert last <= start <= end <= len(old)
        out.append(old[last:start])
        out.append(replacement)
        last = end
    out.append(old[last:])
    return "".join(out)


def check_fixes(text: str, relpath: str) -> None:
    ws, result = demo_workspace()
    path = str(REPO / relpath)
    facts, violations = analyse_document(text, str(REPO / relpath))
    if not violations:
        return
    index = result.index
    previous = index.facts_by_module.get(facts.module)
    index.add(facts)
    try:
        was_parseable = _parses(text)
        for outcome in api.fixes_for(text, path, violations, index, ws.config):
            if outcome.new_text is None:
                continue
            STATS["fixes"] += 1
            if was_parseable:
                assert _parses(outcome.new_text), f"fix {outcome.title!r} broke the file"
            assert _apply(text, api.minimal_edits(text, outcome.new_text)) == outcome.new_text
        for unsafe in (False, True):
            fixed = api.fix_all(text, path, index, ws.config, unsafe=unsafe)
            STATS["fix_all"] += 1
            if was_parseable:
                assert _parses(fixed.new_text), f"fix_all(unsafe={unsafe}) broke the file"
            assert _apply(text, api.minimal_edits(text, fixed.new_text)) == fixed.new_text
    finally:
        if previous is not None:
            index.add(previous)
        else:
            index.remove(facts.module)


@pytest.mark.parametrize("relpath", [p for p, _ in SEEDS])
def test_fixes_on_demo_files_keep_them_parseable(relpath):
    text = dict(SEEDS)[relpath]
    check_fixes(text, relpath)


_WIDE = ["\U0001f600", "é", "\u4e2d", "\x0c", "\u2028"]


@st.composite
def variants(draw):
    relpath, text = draw(st.sampled_from(SEEDS))
    lines = text.split("\n")
    choice = draw(st.integers(0, 5))
    if choice == 0:
        text = text.replace("\n", "\r\n")
    elif choice == 1:
        text = text.replace("\n", "\r")
    elif choice == 2:  # non-BMP characters before ranges, in comments and strings
        wide = draw(st.sampled_from(_WIDE[:3])) * draw(st.integers(1, 4))
        text = "\n".join(f"{line}  # {wide}" if line.strip() and not line.rstrip().endswith(("\\", ",", "(")) and
                         '"""' not in line else line for line in lines)
    elif choice == 3:  # a prefix, as if still typing
        text = text[:draw(st.integers(0, len(text)))]
    elif choice == 4:  # a form feed / separator inside lines
        text = text.replace("(", "(\x0c", 3).replace(" = ", " =\u2028 " if False else " = ", 1)
    else:  # duplicated block
        start = draw(st.integers(0, len(lines)))
        text = "\n".join(lines + lines[start:start + 10])
    return relpath, text


@fuzz_settings(scale=3)
@given(variants())
def test_fixes_on_variants_keep_files_parseable(case):
    relpath, text = case
    note(repr(text[:300]))
    check_fixes(text, relpath)


@fuzz_settings(scale=2)
@given(st.text(max_size=60), st.text(max_size=60))
def test_minimal_edits_reproduce_the_new_text(old, new):
    assert _apply(old, api.minimal_edits(old, new)) == new


def test_stats_reported():
    print(f"\nfuzz fixes: {STATS['fixes']} fixes verified, {STATS['fix_all']} fix_all runs")
