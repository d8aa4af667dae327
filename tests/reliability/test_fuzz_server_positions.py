"""Fuzzing the server's position conversion and incremental document store (``ssot_lsp.lsp.documents``).

A reference model applies the same LSP edits (positions in UTF-16 / UTF-8 / UTF-32, lines split
only at CR LF, CR and LF) and the store must agree with it after every edit; conversions between
code points and each encoding round-trip; spans moved through an edit still cover the same text.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import assume, given, note
from hypothesis import strategies as st

from lsprotocol import types
from ssot_reliability_support import fuzz_settings

from ssot_lsp.core.text import Span, split_lines
from ssot_lsp.lsp import documents
from ssot_lsp.lsp.folder import Folder, Placement

LINE_BREAK = re.compile(r"\r\n|\r|\n")
ENCODINGS = ["utf-16", "utf-8", "utf-32"]
ALPHABET = ["a", "b", " ", "(", "é", "\u4e2d", "\U0001f600", "\U00010348", "\x00", "\x0c", "\u2028", "\x85",
            "\r", "\n", "\r\n", "\t", "\ufeff"]
texts = st.lists(st.sampled_from(ALPHABET), max_size=60).map("".join)


def _document(text: str) -> documents.Document:
    place = Placement(Folder(uri="file:///", root=Path("/")), "x", is_package=False, in_workspace=False)
    return documents.Document(uri="file:///x.py", path="/x.py", text=text, version=0, place=place)


def ref_width(ch: str, encoding: str) -> int:
    if encoding == "utf-16":
        return 2 if ord(ch) > 0xFFFF else 1
    if encoding == "utf-8":
        return len(ch.encode("utf-8", "surrogatepass"))
    return 1


def ref_offset(text: str, line: int, character: int, encoding: str) -> int:
    """The reference: code-point offset of an LSP position, clamped to the line (LSP 3.17 rules)."""
    starts = [0] + [m.end() for m in LINE_BREAK.finditer(text)]
    if line >= len(starts):
        return len(text)
    lines = split_lines(text)
    content = lines[line]
    units = 0
    for index, ch in enumerate(content):
        if units >= character:
            return starts[line] + index
        units += ref_width(ch, encoding)
    return starts[line] + len(content)


def ref_units(content: str, col: int, encoding: str) -> int:
    return sum(ref_width(ch, encoding) for ch in content[:col])


@st.composite
def lsp_edit(draw, text: str, encoding: str, inside_chars: bool = False):
    lines = split_lines(text)
    l1 = draw(st.integers(0, len(lines)))  # may be one past the end
    l2 = draw(st.integers(l1, len(lines)))
    def char(line):
        content = lines[line] if line < len(lines) else ""
        if not inside_chars:  # character boundaries, or beyond the end of the line (clamped by LSP rules)
            col = draw(st.integers(0, len(content) + 2))
            return ref_units(content, col, encoding) + max(0, col - len(content))
        return draw(st.integers(0, ref_units(content, len(content), encoding) + 2))
    c1, c2 = char(l1), char(l2)
    if l1 == l2 and c2 < c1:
        c1, c2 = c2, c1
    new_text = draw(texts)
    return l1, c1, l2, c2, new_text


@fuzz_settings(scale=4)
@given(texts, st.sampled_from(ENCODINGS), st.data())
def test_incremental_edits_match_reference(text, encoding, data):
    doc = _document(text)
    ref = text
    for step in range(data.draw(st.integers(1, 12))):
        l1, c1, l2, c2, new_text = data.draw(lsp_edit(ref, encoding))
        start, end = ref_offset(ref, l1, c1, encoding), ref_offset(ref, l2, c2, encoding)
        note(f"edit {step}: ({l1},{c1})-({l2},{c2}) {new_text!r} on {ref!r}")
        ref = ref[:start] + new_text + ref[max(start, end):]
        change = types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=l1, character=c1), end=types.Position(line=l2, character=c2)),
            text=new_text)
        doc.apply_change(change, encoding)
        assert doc.text == ref


@fuzz_settings(scale=4)
@given(texts, st.sampled_from(ENCODINGS))
def test_line_index_round_trip(text, encoding):
    index = documents.LineIndex(text)
    lines = split_lines(text)
    assert index.line_count() == len(lines)
    for number, content in enumerate(lines):
        assert index.line(number) == content
        for col in range(len(content) + 1):
            units = index.from_cp_col(number, col, encoding)
            assert units == ref_units(content, col, encoding)
            assert index.to_cp_col(number, units, encoding) == col
            offset = index.offset(number, units, encoding)
            assert index.cp_position(offset) == (number, col)
            assert index.position(offset, encoding) == (number, units)
    for offset in range(len(text) + 1):
        line, col = index.cp_position(offset)
        assert 0 <= line < len(lines) and 0 <= col <= len(lines[line]) or text[offset - 1:offset + 1] == "\r\n"


@fuzz_settings(scale=4)
@given(texts, st.sampled_from(ENCODINGS), st.data())
def test_moved_spans_cover_the_same_text(text, encoding, data):
    """``shift_span`` (last good diagnostics moved through edits) keeps covering the same characters."""
    lines = split_lines(text)
    assume(text)
    line = data.draw(st.integers(0, len(lines) - 1))
    col = data.draw(st.integers(0, len(lines[line])))
    end_line = data.draw(st.integers(line, len(lines) - 1))
    end_col = data.draw(st.integers(0 if end_line > line else col, len(lines[end_line])))
    span = Span(line, col, end_line, end_col)
    index = documents.LineIndex(text)
    covered = text[index.offset(line, col, "utf-32"):index.offset(end_line, end_col, "utf-32")]
    l1, c1, l2, c2, new_text = data.draw(lsp_edit(text, encoding))
    start, end = ref_offset(text, l1, c1, encoding), ref_offset(text, l2, c2, encoding)
    if end < start:
        start, end = end, start
    new = text[:start] + new_text + text[end:]
    breaks = len(split_lines(new_text)) - 1
    sl, el = index.cp_position(start)[0], index.cp_position(end)[0]
    # a CR at one side of the edit and an LF at the other merge into one CR LF line break: known bug,
    # covered by test_moved_span_when_cr_and_lf_merge below (found by this suite, fixed in c5670ad)
    assume(len(split_lines(new)) == len(lines) - (el - sl) + breaks)
    edit_start, edit_end = index.cp_position(start), index.cp_position(end)
    moved = documents.shift_span(span, edit_start, edit_end, new_text)
    note(f"span {span} covering {covered!r}; edit [{start},{end}) -> {new_text!r}; new text {new!r}; moved {moved}")
    if (end_line, end_col) <= edit_start:
        assert moved == span, "a span before the edit must stay where it is"
    if moved is None:
        # dropped only when it overlaps the edit, or lies after an edit that may join a CR before it
        # with an LF it starts with (shift_span's documented caution)
        overlaps = (line, col) < edit_end and (end_line, end_col) > edit_start
        may_join = edit_start[1] == 0 and edit_start[0] > 0 and (new_text.startswith("\n") or not new_text)
        assert overlaps or may_join, "a span clear of the edit was dropped"
        return
    new_lines = split_lines(new)
    assert 0 <= moved.line < len(new_lines) and 0 <= moved.end_line < len(new_lines)
    assert moved.col <= len(new_lines[moved.line]) and moved.end_col <= len(new_lines[moved.end_line])
    new_index = documents.LineIndex(new)
    assert new[new_index.offset(moved.line, moved.col, "utf-32"):
               new_index.offset(moved.end_line, moved.end_col, "utf-32")] == covered


@fuzz_settings(scale=2)
@given(texts, st.sampled_from(["utf-16", "utf-8"]), st.data())
def test_edits_inside_characters_do_not_break_the_store(text, encoding, data):
    """Positions inside a surrogate pair / UTF-8 sequence are invalid input: no exception, sane text."""
    doc = _document(text)
    for _ in range(data.draw(st.integers(1, 8))):
        l1, c1, l2, c2, new_text = data.draw(lsp_edit(doc.text, encoding, inside_chars=True))
        before = doc.text
        doc.apply_change(types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=l1, character=c1), end=types.Position(line=l2, character=c2)),
            text=new_text), encoding)
        assert len(doc.text) <= len(before) + len(new_text)
        assert new_text in doc.text
        index = doc.lines
        for number in range(index.line_count()):
            assert index.line(number) == split_lines(doc.text)[number]


def test_moved_span_when_cr_and_lf_merge():
    text = "a\rbc"  # line 0 'a' ended by a lone CR, line 1 'bc'
    new = "a\r\nbc"  # the user types LF at (1, 0): CR LF is now one line break, 2 lines in total
    moved = documents.shift_span(Span(1, 0, 1, 2), (1, 0), (1, 0), "\n")
    assert moved is None or moved == Span(1, 0, 1, 2), f"{moved} for {new!r} ({len(split_lines(new))} lines)"
