"""The fast path (top-level chunks + partial tree) against the whole tree.

1. ``top_level_chunks`` finds exactly the first lines of the real module-level statements, on tricky
   sources and on every Python file of the project and a sample of the standard library.
2. ``fixes_for`` gives the same outcomes (text, title, safety, reason) with the fast path as with the
   whole tree, on every golden case, the unfixable cases and the benchmark's 4,000-line file.
"""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
REPO = Path(__file__).resolve().parents[2]  # not imported from conftest: another conftest can shadow it

from ssot_lsp.core.partial import fix_tree, statements
from ssot_lsp.core.text import decode_source, line_offsets
from ssot_lsp.fixes import document as common
from ssot_lsp.fixes.api import fixes_for

pytestmark = pytest.mark.skipif(not statements.ENABLED, reason="fast path is off on Python 3.12+")


def real_starts(text: str) -> list[int]:
    tree = ast.parse(text)
    return sorted({(s.decorator_list[0].lineno if getattr(s, "decorator_list", None) else s.lineno) - 1
                   for s in tree.body})


TRICKY = {
    "string_with_code": 'x = """\ndef foo():\n    pass\n"""\ny = 1\n',
    "brackets_in_strings": 'a = ("(", \'[\', "{")\nb = f"{a!r:>{10}}"\n# ( [ {\nc = 2\n',
    "continuation": "x = 1 + \\\n2\ny = (\n1,\n)\nz = [\n]  # ]\n",
    "decorators_else": "@a\n@b(\n1)\ndef f(): pass\nif x:\n    pass\nelse:\n    pass\ntry:\n    pass\n"
                       "except E:\n    pass\nfinally:\n    pass\nfor i in x: pass\nelse: pass\n",
    "semicolons": "import os; import sys\nx = 1; y = 2\n",
    "crlf_and_cr": "import os\r\nx = '''a\r\nb'''\r\ny = 1\rz = 2\n",
    "escapes": "a = 'it\\'s'\nb = \"q\\\"\"\nc = '\\\\'\nd = r'\\''\ne = '''x\\'''y'''\n",
    "string_continuation": "a = 'x\\\ny'\nb = 1\n",
    "comment_only_and_blank": "# c\n\n\nx = 1\n    # indented comment\n\ny = 2\n",
    "class_body": "class A:\n    '''doc\nnot a statement\n'''\n    x = (\n1)\n\n\nclass B: pass\n",
    "match": "match x:\n    case 1:\n        pass\ny = 1\n",
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_chunks_tricky(name):
    text = TRICKY[name]
    assert statements.top_level_chunks(text) == real_starts(text)


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_statement_starts_are_found_at_their_line_offsets(name):
    """Statement selection cuts the text at these offsets (``partial/scan.py``)."""
    text = TRICKY[name]
    starts = statements.StatementStarts(text, lazy=False)
    assert starts.offsets == [line_offsets(text)[line] for line in starts.lines]


def test_chunks_non_ascii_code_refused():
    with pytest.raises(statements.ChunkError):
        statements.top_level_chunks("café = 1\n")
    assert statements.top_level_chunks("x = 'café'  # é\n") == [0]


def _python_files():
    roots = [REPO / "ssot_lsp", REPO / "tests", REPO / "examples", REPO / "benchmarks"]
    files = [p for root in roots for p in sorted(root.rglob("*.py"))]
    stdlib = Path(os.__file__).parent
    files += sorted(stdlib.glob("*.py"))[:150] + sorted((stdlib / "email").glob("*.py"))
    return files


def test_chunks_match_real_files():
    checked = 0
    for path in _python_files():
        try:
            text, _ = decode_source(path.read_bytes())
            expected = real_starts(text)
        except (SyntaxError, ValueError):
            continue
        try:
            found = statements.top_level_chunks(text)
        except statements.ChunkError:
            continue  # non-ASCII code: the fast path falls back to the whole tree
        assert found == expected, path
        assert statements.StatementStarts(text, lazy=False).offsets == [line_offsets(text)[line] for line in found], path
        checked += 1
    assert checked > 150


def test_partial_tree_matches_whole_tree():
    """Every statement naming a word is in the partial tree, identical (positions included) to the
    whole tree's; the partial tree holds nothing else than whole-tree statements."""
    import re

    from ssot_lsp.core.text import line_offsets

    text = (REPO / "ssot_lsp" / "fixes" / "imports.py").read_text()
    partial = fix_tree.partial_tree(text, line_offsets(text), {"Walk", "NotFixable"})
    whole = [ast.dump(s, include_attributes=True) for s in ast.parse(text).body]
    got = [ast.dump(s, include_attributes=True) for s in partial.body]
    pattern = re.compile(r"\b(?:import|Walk|NotFixable)\b")
    wanted = [d for s, d in zip(ast.parse(text).body, whole) if pattern.search(ast.get_source_segment(text, s))]
    assert set(wanted) <= set(got) and set(got) <= set(whole)
    assert len(got) < len(whole)


# -- fast path == slow path ---------------------------------------------------------------------

def _outcomes(bench, text, name, fast, monkeypatch, warm=False):
    path, module = bench.place(text, name)
    violations = bench.analyse(text, path, module)
    monkeypatch.setattr(common, "FAST_PATH", fast)
    common._TREES.clear()
    if warm:  # the whole tree is cached: the fast path filters it (fix_tree.filter_tree)
        try:
            common.parse_cached(text)
        except SyntaxError:
            pass
    result = fixes_for(text, path, violations, bench.index, bench.config)
    common._TREES.clear()
    return [(o.violation.code, o.violation.span, o.title, o.safe, o.new_text, o.reason) for o in result]


def _sources():
    cases = sorted(p for p in GOLDEN.iterdir() if (p / "before.py").exists())
    sources = [(c.name[4:], (c / "before.py").read_bytes().decode("utf-8")) for c in cases]
    from test_fixes import UNFIXABLE

    sources += [(f"unfixable_{name}", text) for name, text, _, _ in UNFIXABLE]
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import bench_fix
    finally:
        sys.path.pop(0)
    sources.append(("big", bench_fix.generate(4000)))
    return sources


SOURCES = _sources()


@pytest.mark.parametrize("name,text", SOURCES, ids=[s[0] for s in SOURCES])
def test_fast_path_equals_whole_tree(bench, monkeypatch, name, text):
    slow = _outcomes(bench, text, f"slow_{name}", False, monkeypatch)
    fast = _outcomes(bench, text, f"fast_{name}", True, monkeypatch)
    warm = _outcomes(bench, text, f"warm_{name}", True, monkeypatch, warm=True)
    # the module name differs between the placements; it appears in no outcome of these cases
    assert fast == slow
    assert warm == slow
    assert any(o[4] is not None or o[5] for o in fast) or not fast


# -- lexing only as far as needed (``StatementStarts.cover``) ------------------------------------

# each has a token or a statement that a cut at some line start would split
LAZY = {
    "docstring_holding_code": 'x = 1\n"""\ndef not_a_statement():\n    pass\nclass Nope: pass\n"""\ny = 2\n',
    # cut after the first line, `'''a'` lexes as '' + 'a': the string must still be seen to go on
    "triple_quote_reading_as_two_strings": "s = '''a'\nx = (\n'''\ny = 2\nz = 3\n",
    "triple_quote_never_closed": "a = 1\ns = '''a'\nx = 1\ny = 2\n",
    "string_continued_by_backslash": "a = 'x\\\ny = (1'\nb = 1\n",
    "line_continued_by_backslash": "x = 1 + \\\n2\ny = 3 + \\\n\\\n4\nz = 5\n",
    "decorator_lines": "@a\n@b(\n1)\ndef f(): pass\n\n@c\nclass C: pass\nd = 1\n",
    "open_brackets": "x = (\n1,\n)\ny = [\n]\nz = {\n'a': (\n1)}\nw = 0\n",
    "else_and_except": "if a:\n    pass\nelse:\n    pass\ntry:\n    pass\nexcept E:\n    pass\nq = 1\n",
    "f_string_braces": 'a = f"{x!r:>{10}}"\nb = f"""{\n1}"""\nc = 2\n',
    "comments_and_tabs_and_form_feeds": "# (\nx = 1  # [\n\t\ny = 2\n\x0cz = 3\n    # '\nw = 4\n",
}


def _lazily(text: str, offset: int) -> statements.StatementStarts:
    starts = statements.StatementStarts(text)
    starts.cover(offset)
    return starts


@pytest.mark.parametrize("window", [1, 2, 5, 13])
@pytest.mark.parametrize("name", sorted(LAZY))
def test_starts_lexed_as_far_as_an_offset_are_those_of_the_whole_text(name, window, monkeypatch):
    """Whatever line the lexing stops at, the starts it found are the first starts of the whole
    text, and one of them lies past the offset asked for (the statement holding it has its end)."""
    monkeypatch.setattr(statements, "_FIRST_WINDOW", window)
    text = LAZY[name]
    whole = statements.StatementStarts(text, lazy=False)
    for offset in range(len(text)):
        lazy = _lazily(text, offset)
        count = len(lazy.offsets)
        assert (lazy.offsets, lazy.lines) == (whole.offsets[:count], whole.lines[:count]), offset
        assert lazy.complete or lazy.offsets[-1] > offset


def test_lexing_goes_on_from_where_it_stopped(monkeypatch):
    monkeypatch.setattr(statements, "_FIRST_WINDOW", 1)
    text = "".join(LAZY[name] for name in sorted(LAZY) if "never_closed" not in name)
    whole = statements.StatementStarts(text, lazy=False)
    lazy = statements.StatementStarts(text)
    for offset in range(0, len(text), 7):
        lazy.cover(offset)
        assert lazy.offsets == whole.offsets[:len(lazy.offsets)]
    lazy.cover(len(text))
    assert lazy.complete and (lazy.offsets, lazy.lines) == (whole.offsets, whole.lines)


def test_a_text_with_non_ascii_characters_is_lexed_whole():
    """The non-ASCII code check needs all of it (an identifier anywhere could be missed)."""
    text = "x = 1\n" * 50 + "café = 2\n"
    with pytest.raises(statements.ChunkError):
        statements.StatementStarts(text)
    assert statements.StatementStarts("x = 1\n" * 50 + "y = 'café'\n").complete


def test_starts_of_real_files_are_found_lazily():
    checked = 0
    for path in _python_files()[::7]:
        text, _ = decode_source(path.read_bytes())
        if not text.isascii() or "\r" in text:
            continue
        try:
            whole = statements.StatementStarts(text, lazy=False)
        except statements.ChunkError:
            continue  # does not parse (a fixture): no statements to compare
        for offset in range(0, len(text), max(len(text) // 5, 1)):
            lazy = _lazily(text, offset)
            assert lazy.offsets == whole.offsets[:len(lazy.offsets)], (path, offset)
        checked += 1
    assert checked > 20


# -- the starts against an independent lexing, on generated text ----------------------------------

from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

# pieces of Python that hide or fake a statement start: strings holding brackets, quotes and "#",
# triple quotes, comments, backslash continuations, tabs, form feeds, decorators, else/except
FRAGMENTS = ["x = 1", "y", "(", ")", "[", "]", "{", "}", "'", '"', "'''", '"""', "#", "# (", "\\", "\n", "\n",
             "\n", " ", "    ", "\t", "\x0c", "@d", "else:", "except E:", "def f():", "class C:", "'a(b'",
             '"#"', "f'{x}'", "'it\\'s'", '"q\\""', "pass", "'''a'", '"""\n"""', "r'\\'", "import os"]


def _reference_starts(text: str) -> list[int]:
    """The first lines of the statements by the line-by-line lexing (masking every string and
    comment; the path for ``\\r`` line breaks)."""
    return statements._chunks_line_by_line(statements._LEX.sub(statements._mask, text))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40), st.integers(1, 9), st.integers(0, 400))
def test_starts_agree_with_the_line_by_line_lexing(fragments, window, offset):
    text = "".join(fragments)
    try:
        expected = _reference_starts(text)
    except statements.ChunkError:
        return  # brackets that do not balance: the two lexings may notice it at different places
    whole = statements.StatementStarts(text, lazy=False)
    assert whole.lines == expected
    assert whole.offsets == [line_offsets(text)[line] for line in expected]
    with mock.patch.object(statements, "_FIRST_WINDOW", window):
        lazy = _lazily(text, offset)
    assert lazy.offsets == whole.offsets[:len(lazy.offsets)]
    assert lazy.complete or lazy.offsets[-1] > offset


@pytest.mark.parametrize("excluded", ["'" + statements._PLAIN, '"' + statements._PLAIN, statements._PLAIN],
                         ids=["single-quoted", "double-quoted", "comment"])
def test_the_lexers_ascii_classes_match_exactly_the_characters_of_the_negated_class(excluded: str):
    """``_ascii_except`` spells ``[^excluded\\x80-\\U0010ffff]`` (slow to compile) as ASCII ranges:
    every code point must be matched by both or by neither."""
    import re

    every_character = "".join(map(chr, range(0x110000)))
    negated = re.compile("[^" + re.escape(excluded) + r"\x80-\U0010ffff]")
    ranges = re.compile(statements._ascii_except(excluded))
    assert ([m.start() for m in ranges.finditer(every_character)]
            == [m.start() for m in negated.finditer(every_character)])
