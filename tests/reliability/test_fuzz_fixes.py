"""Fuzzing the fixes, on demo files and variants of them: every offered fix (fixes_for, fix_all, safe
and unsafe) keeps a parseable file parseable, re-analysing its result no longer reports what it
fixed, a second fix_all finds nothing more to do, and minimal_edits reproduces the new text."""

from __future__ import annotations

import ast
from collections import Counter

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from ssot_reliability_support import FUZZ_STATS, REPO, analyse_document, demo_sources, demo_workspace, fuzz_settings

from ssot_lsp.fixes import api

SEEDS = [(p, t) for p, t in demo_sources() if "migration-demo" in p]


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


def _codes(text: str, path: str) -> Counter:
    return Counter(v.code for v in analyse_document(text, path)[1])


def _assert_fixed(before: Counter, text: str, path: str, fixed_codes: Counter, what: str) -> None:
    """Re-analysis of the fixed text reports each fixed code that many times less (the fix did not
    just move the finding, or bring one of the same kind elsewhere)."""
    after = _codes(text, path)
    for code, count in fixed_codes.items():
        assert after[code] <= before[code] - count, \
            f"{what}: {code} still reported ({before[code]} before, {after[code]} after fixing {count})"


def check_fixes(text: str, relpath: str) -> int:
    """Check every fix offered for ``text`` as the demo file ``relpath``; returns how many there were."""
    ws, result = demo_workspace()
    path = str(REPO / relpath)
    facts, violations = analyse_document(text, path)
    if not violations:
        return 0
    index = result.index
    previous = index.facts_by_module.get(facts.module)
    index.add(facts)
    offered = 0
    try:
        was_parseable = _parses(text)
        before = Counter(v.code for v in violations)
        for outcome in api.fixes_for(text, path, violations, index, ws.config):
            if outcome.new_text is None:
                continue
            offered += 1
            FUZZ_STATS["fixes verified"] += 1
            assert _apply(text, api.minimal_edits(text, outcome.new_text)) == outcome.new_text
            if was_parseable:
                assert _parses(outcome.new_text), f"fix {outcome.title!r} broke the file"
                _assert_fixed(before, outcome.new_text, path, Counter([outcome.violation.code]),
                              f"fix {outcome.title!r}")
        for unsafe in (False, True):
            fixed = api.fix_all(text, path, index, ws.config, unsafe=unsafe)
            FUZZ_STATS["fix_all runs"] += 1
            assert _apply(text, api.minimal_edits(text, fixed.new_text)) == fixed.new_text
            assert (fixed.new_text != text) == bool(fixed.applied), f"fix_all(unsafe={unsafe}): applied list wrong"
            if was_parseable:
                assert _parses(fixed.new_text), f"fix_all(unsafe={unsafe}) broke the file"
                _assert_fixed(before, fixed.new_text, path, Counter(o.violation.code for o in fixed.applied),
                              f"fix_all(unsafe={unsafe})")
                # fix-all runs until nothing changes: a second run has nothing left to apply
                again = _fix_all_as(fixed.new_text, path, unsafe, ws)
                assert again.applied == [] and again.new_text == fixed.new_text, \
                    f"fix_all(unsafe={unsafe}) was not done: {[o.title for o in again.applied]}"
    finally:
        if previous is not None:
            index.add(previous)
        else:
            index.remove(facts.module)
    return offered


def _fix_all_as(text: str, path: str, unsafe: bool, ws):
    """fix_all of ``text`` with the index holding its facts (as after saving the fixed file)."""
    _, result = demo_workspace()
    index = result.index
    facts, _ = analyse_document(text, path)  # leaves the index as it was
    previous = index.facts_by_module.get(facts.module)
    index.add(facts)
    try:
        return api.fix_all(text, path, index, ws.config, unsafe=unsafe)
    finally:
        index.add(previous) if previous is not None else index.remove(facts.module)


@pytest.mark.parametrize("relpath", [p for p, _ in SEEDS])
def test_fixes_on_demo_files_keep_them_parseable_and_fix_what_they_say(relpath):
    text = dict(SEEDS)[relpath]
    check_fixes(text, relpath)


def test_the_demo_files_offer_fixes_to_check():
    """The properties hold vacuously where nothing is offered: the demo must offer fixes."""
    offered = sum(check_fixes(text, relpath) for relpath, text in SEEDS)
    assert offered >= 20, offered  # 24 when written


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
