"""Fuzzing the pure analysis: random and mutated sources through extract_facts + analyze.

Promises: no exception escapes; every reported position lies inside the document and covers
what the finding is about (a name, a dotted module, ``*`` or a string literal); a comment with wide
characters after a line moves no finding; the position helpers of ``ssot_lsp.core.text`` round-trip.
"""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssot_lsp.core.text import (
    cp_to_utf8,
    cp_to_utf16,
    line_offsets,
    offset_of,
    split_lines,
    utf8_to_cp,
    utf16_to_cp,
)
from ssot_reliability_support import FUZZ_STATS, analyse_document, assert_span_inside, demo_sources, fuzz_settings

SOURCES = demo_sources()
assert SOURCES, "the demo workspace has no Python files"
# files with findings are the interesting seeds; keep all of them but weight them double
SEEDS = SOURCES
WEIRD = ["\x00", "\x0c", "\u2028", "\u2029", "\x85", "\r", "\r\n", "\n", "\t", "\ufeff", "\U0001f600",
         "\U00010348", "\ud800", "é", "(", ")", "[", "]", "{", "}", ":", "'", '"', '"""', "\\", "#", "f'{",
         "import ", "from . import ", "class X(", "async def f():\n    ", "lambda: ", "    ", "@", ",", "*"]

# what the span of a finding covers: the name it is about (an identifier, a dotted module name, or
# the `*` of a star import), for SSOT007 the string literal, for SSOT011 either (a name no scope
# binds, or the string of a patch / import_module of something gone); SSOT009 (syntax) and SSOT010
# (the suppression comment) cover other text
NAMED = re.compile(r"\*|(?!\d)\w+(?:\.(?!\d)\w+)*", re.UNICODE)
STRING_LITERAL = re.compile(r"[rRbBuU]?(\"|')")


def covered_text(text: str, span) -> str:
    lines = split_lines(text)
    if span.line != span.end_line:
        return "\n".join([lines[span.line][span.col:], *lines[span.line + 1:span.end_line],
                          lines[span.end_line][:span.end_col]])
    return lines[span.line][span.col:span.end_col]


def assert_span_covers_its_subject(text: str, violation) -> None:
    covered = covered_text(text, violation.span)
    if violation.code == "SSOT007" or (violation.code == "SSOT011" and STRING_LITERAL.match(covered)):
        assert STRING_LITERAL.match(covered) and covered.endswith(covered.lstrip("rRbBuU")[0]), \
            f"{violation.code} span {violation.span} covers {covered!r}, not a string literal"
    elif violation.code not in ("SSOT009", "SSOT010"):
        assert NAMED.fullmatch(covered), f"{violation.code} span {violation.span} covers {covered!r}, not a name"


def check_document(text: str, relpath: str) -> list:
    facts, violations = analyse_document(text, relpath)
    FUZZ_STATS["documents analysed"] += 1
    FUZZ_STATS["violations checked"] += len(violations)
    for violation in violations:
        assert_span_inside(text, violation.span, f"{violation.code} span")
        assert_span_covers_its_subject(text, violation)
        for related in violation.related:
            if related.path == facts.path:
                assert_span_inside(text, related.span, f"{violation.code} related span")
    if facts.problem is not None:
        assert_span_inside(text, facts.problem.span, "parse problem span")
    for suppression in facts.suppressions:
        assert_span_inside(text, suppression.span, "suppression span")
    for group in (facts.imports, facts.classes, facts.calls, facts.string_refs, facts.aliases):
        for fact in group:
            assert_span_inside(text, fact.span, f"{type(fact).__name__} span")
    return violations


def test_the_seed_documents_exercise_every_check():
    """The properties above hold vacuously for a document without findings: the seeds must have
    findings of every rule the demo shows, each satisfying them."""
    codes = set()
    for relpath, text in SEEDS:
        codes.update(v.code for v in check_document(text, relpath))
    assert codes >= {"SSOT001", "SSOT002", "SSOT003", "SSOT004", "SSOT005", "SSOT006", "SSOT007", "SSOT008",
                     "SSOT009"}, sorted(codes)


seed = st.sampled_from(SEEDS)


@st.composite
def mutated(draw):
    relpath, text = draw(seed)
    rng = random.Random(draw(st.integers(0, 2**32)))
    data = bytearray(text.encode("utf-8"))
    for _ in range(draw(st.integers(1, 12))):
        op = rng.randrange(6)
        pos = rng.randrange(len(data) + 1)
        if op == 0 and data:  # byte flip
            i = min(pos, len(data) - 1)
            data[i] ^= 1 << rng.randrange(8)
        elif op == 1:  # insertion of random bytes
            data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 6)))
        elif op == 2:  # deletion
            del data[pos:pos + rng.randrange(1, 40)]
        elif op == 3:  # weird token
            data[pos:pos] = rng.choice(WEIRD).encode("utf-8", "surrogatepass")
        elif op == 4:  # duplicate a chunk
            chunk = data[pos:pos + rng.randrange(1, 200)]
            data[pos:pos] = chunk
        else:  # swap line endings
            data = data.replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n", b"\x0c\n"]))
    # the core sees text; undecodable bytes arrive as replacement characters or surrogates from editors
    decoded = bytes(data).decode("utf-8", errors=draw(st.sampled_from(["replace", "surrogateescape"])))
    return relpath, decoded


def test_a_patch_of_an_attribute_that_is_gone_is_reported_on_its_string_literal():
    """SSOT011 of a string reference covers the string, as SSOT007 does (the fuzzer found one by
    mutating the attribute of a `patch.object`)."""
    text = ("from unittest.mock import patch\n\nfrom netra_backend.app.agents.supervisor import execution_engine as eem\n"
            "\n\ndef test():\n    with patch.object(eem, 'ExecutionEnXgine') as cls:\n        return cls\n")
    violations = check_document(text, "tests/fixes/golden/042_patch_object_module/before.py")
    assert [(v.code, covered_text(text, v.span)) for v in violations if v.code == "SSOT011"] == \
        [("SSOT011", "'ExecutionEnXgine'")]


@fuzz_settings(scale=3)
@given(mutated())
def test_mutated_sources_never_raise_and_stay_in_document(case):
    relpath, text = case
    check_document(text, relpath)


@fuzz_settings(scale=1)
@given(seed, st.data())
def test_prefixes_as_typed(case, data):
    """Every prefix of a realistic file, as if typed character by character (sampled stride)."""
    relpath, text = case
    stride = data.draw(st.integers(1, 97))
    start = data.draw(st.integers(0, stride))
    for end in range(start, len(text) + 1, stride):
        check_document(text[:end], relpath)


@fuzz_settings(scale=2)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=400),
       st.sampled_from(SEEDS))
def test_random_text(text, case):
    check_document(text, case[0])


@fuzz_settings(scale=1)
@given(st.sampled_from(SEEDS), st.sampled_from(["\r\n", "\r", "\x0c\n", "\u2028\n", "\n\x00"]))
def test_line_endings_and_separators(case, ending):
    relpath, text = case
    converted = text.replace("\n", ending)
    check_document(converted, relpath)
    # a separator inside lines (not a line break for Python or LSP)
    check_document(text.replace(" = ", " =\u2028 ").replace("(", "(\x0c"), relpath)


@fuzz_settings(scale=1)
@given(st.sampled_from(SEEDS), st.integers(1, 8), st.sampled_from(["\U0001f600", "\U00010348", "é", "\u4e2d"]))
def test_non_bmp_before_ranges(case, count, char):
    """Wide characters in front of every reported name: columns stay in code points, inside the line."""
    relpath, text = case
    lines = text.split("\n")
    prefixed = "\n".join(
        (f"x = '{char * count}'; " + line) if line.strip() and not line.startswith((" ", "\t", ")", "]", "}"))
        else line for line in lines)
    check_document(prefixed, relpath)
    comment = "\n".join(line + (f"  # {char * count}" if line.strip() else "") for line in lines)
    check_document(comment, relpath)


@pytest.mark.parametrize("char", ["\U0001f600", "\u4e2d", "\x0c"])
def test_a_comment_after_each_line_moves_no_finding(char):
    """Wide characters after the code of a line (4 bytes in UTF-8, 2 units in UTF-16) change no
    start or end column of any finding; lines in strings and continued lines are left alone."""
    moved = 0
    for relpath, text in SEEDS:
        lines = text.split("\n")
        in_string = _lines_inside_strings(text)
        commented = "\n".join(
            line + f"  # {char * 3}" if line.strip() and number not in in_string and not line.endswith("\\")
            else line for number, line in enumerate(lines))
        before = [(v.code, v.span) for v in check_document(text, relpath) if v.code != "SSOT009"]
        after = [(v.code, v.span) for v in check_document(commented, relpath) if v.code != "SSOT009"]
        assert after == before, relpath
        moved += len(before)
    assert moved > 100  # the comparison covered the demo's findings


def _lines_inside_strings(text: str) -> set[int]:
    """0-based lines that a (multi-line) string token spans, minus its last line."""
    import io
    import tokenize

    inside: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING or getattr(tokenize, "FSTRING_START", None) == token.type:
                inside.update(range(token.start[0] - 1, token.end[0] - 1))
    except (tokenize.TokenError, SyntaxError):
        pass
    return inside


@pytest.mark.parametrize("depth", [50, 200, 1000, 5000, 30000])
@pytest.mark.parametrize("shape", ["parens", "lists", "calls", "attrs", "binop", "if", "lambda", "fstring"])
def test_deep_nesting(depth, shape):
    relpath = SEEDS[0][0]
    head = "from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine\n"
    if shape == "parens":
        body = "x = " + "(" * depth + "ExecutionEngine()" + ")" * depth
    elif shape == "lists":
        body = "x = " + "[" * depth + "]" * depth
    elif shape == "calls":
        body = "x = " + "ExecutionEngine(" * depth + ")" * depth
    elif shape == "attrs":
        body = "x = ExecutionEngine" + ".a" * depth + "()"
    elif shape == "binop":
        body = "x = " + " + ".join(["ExecutionEngine()"] * depth)
    elif shape == "if":
        body = "".join(" " * i + "if x:\n" for i in range(min(depth, 2000))) + " " * min(depth, 2000) + "ExecutionEngine()"
    elif shape == "lambda":
        body = "x = " + "lambda: " * depth + "ExecutionEngine()"
    else:
        body = "x = " + "f'{" * min(depth, 300) + "1" + "}'" * min(depth, 300)
    check_document(head + body + "\n", relpath)


@pytest.mark.parametrize("text", [
    "x = '" + "a" * 100_000 + "'\n",
    "from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine; " + "ExecutionEngine(); " * 6000,
    "# " + "\U0001f600" * 100_000,
    "x = 1" + " " * 100_000 + "# ssot: ignore[SSOT001]",
    "import os\x00\nimport sys\n",
    "\x00" * 1000,
    "class A:\n\x0c    pass\n\u2028\n",
    "a = 1\r\rb = 2\r\n\rc\n",
    "\ufeffimport x\n",
    "",
    "\r",
    "\n\n\n",
    "def f(:\n  ExecutionEngine(",
    "x = 'unterminated\n" + "y\n" * 5,
    '"""' + "never closed\n" * 50,
    "\ud800 = 1\n",
    "# -*- coding: latin-1 -*-\nx = 'é'\n",
])
def test_pathological_documents(text):
    check_document(text, SEEDS[0][0])


# -- position conversion ---------------------------------------------------------------------

lines_text = st.lists(st.sampled_from(["a", " ", "é", "\u4e2d", "\U0001f600", "\U00010348", "\x00", "\x0c",
                                       "\u2028", "\r", "\n", "\r\n", "\t"]), max_size=80).map("".join)


@fuzz_settings(scale=4)
@given(lines_text, st.data())
def test_text_conversions_round_trip(text, data):
    lines = split_lines(text)
    offsets = line_offsets(text)
    assert len(lines) == len(offsets)
    assert "".join(lines) == text.replace("\r\n", "").replace("\r", "").replace("\n", "")
    for number, line in enumerate(lines):
        assert offsets[number] + len(line) <= len(text)
        assert text[offsets[number]:offsets[number] + len(line)] == line
        for col in range(len(line) + 1):
            assert utf16_to_cp(line, cp_to_utf16(line, col)) == col
            assert utf8_to_cp(line, cp_to_utf8(line, col)) == col
            assert offset_of(text, offsets, number, col) == offsets[number] + col
        # positions beyond the line clamp to its end, never into the next line
        assert offset_of(text, offsets, number, len(line) + 5) == offsets[number] + len(line)
        units = data.draw(st.integers(0, len(line) * 2 + 3))
        cp = utf16_to_cp(line, units)
        assert 0 <= cp <= len(line)
        assert cp_to_utf16(line, cp) >= min(units, cp_to_utf16(line, len(line)))  # never moves backwards
    assert offset_of(text, offsets, len(lines) + 3, 0) == len(text)
    assert offset_of(text, offsets, -1, 0) == 0
