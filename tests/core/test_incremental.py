"""Re-parsing only edited statements gives exactly the facts of a full parse."""

from __future__ import annotations

import ast
import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ssot_lsp.core.facts import extract_facts
from ssot_lsp.core.partial.incremental import StatementCache

DEMO = Path(__file__).resolve().parents[2] / "examples" / "migration-demo"
SOURCES = [p.read_text() for p in sorted(DEMO.rglob("*.py")) if p.stat().st_size > 400]


def _facts(text: str, tree=None):
    return extract_facts(text, "x.py", "pkg.x", False, tree=tree)


def test_an_edit_inside_a_line_reparses_one_statement():
    text = (DEMO / "netra_backend/app/routes/agent_routes.py").read_text()
    cache = StatementCache()
    cache.tree(text)
    parsed = cache.parsed
    edited = text.replace("return await engine.execute_agent", "return await engine.execute_agentX", 1)
    tree = cache.tree(edited)
    assert cache.parsed - parsed == 1
    assert ast.dump(tree) == ast.dump(ast.parse(edited))


def test_inserting_lines_at_the_top_falls_back_to_one_whole_parse():
    text = (DEMO / "netra_backend/app/routes/agent_routes.py").read_text()
    cache = StatementCache()
    cache.tree(text)
    edited = "import os\n\n" + text
    assert ast.dump(cache.tree(edited)) == ast.dump(ast.parse(edited))


def test_a_buffer_that_does_not_parse_yields_no_tree():
    cache = StatementCache()
    assert cache.tree("def f(:\n    pass\n" * 3) is None


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0), st.lists(st.tuples(st.floats(0, 1), st.sampled_from(
    ["x", "\n", " ", "(", ")", "#", '"', "ExecutionEngine(", "\n\n", "", "é", "\r\n", "'''"]),
    st.integers(0, 3)), min_size=1, max_size=12))
def test_facts_through_the_cache_equal_facts_of_a_full_parse(seed, edits):
    text = SOURCES[seed % len(SOURCES)]
    cache = StatementCache()
    cache.tree(text)
    for where, insert, delete in edits:
        at = int(where * len(text))
        text = text[:at] + insert + text[at + delete:]
        tree = cache.tree(text)
        if tree is None:
            continue  # the caller parses the whole text itself
        assert ast.dump(tree, include_attributes=True) == ast.dump(ast.parse(text), include_attributes=True)
        assert _facts(text, tree) == _facts(text)


def test_indented_code_before_the_first_statement_yields_no_tree():
    cache = StatementCache()
    text = (DEMO / "netra_backend/app/agents/__init__.py").read_text()
    cache.tree(text)
    assert cache.tree(" " + text) is None  # IndentationError for ast.parse: the caller reports it
