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
    """Statement selection cuts the text at these offsets (``partial/scan.py``), computed from the
    lines starting in column 0 only."""
    from ssot_lsp.core.partial.scan import _offsets_of_starts

    text = TRICKY[name]
    lines = statements.top_level_chunks(text)
    assert _offsets_of_starts(text, lines) == [line_offsets(text)[line] for line in lines]


def test_offsets_of_lines_not_starting_in_column_zero_are_still_right():
    from ssot_lsp.core.partial.scan import _offsets_of_starts

    text = "x = 1\n    y = 2\nz = 3\n"
    assert _offsets_of_starts(text, [0, 1, 2]) == [0, 6, 16]


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
    from ssot_lsp.core.partial.scan import _offsets_of_starts

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
        assert _offsets_of_starts(text, found) == [line_offsets(text)[line] for line in found], path
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
