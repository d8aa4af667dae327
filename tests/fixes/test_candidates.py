"""Candidates are parsed through shared statements, and the tree is the whole parse's."""

from __future__ import annotations

import ast

import pytest

from ssot_lsp.core.partial.incremental import StatementCache
from ssot_lsp.fixes.candidates import parse_candidate, reuse_statements

DOCUMENT = "import os\n" + "".join(f"\n\ndef job_{n}(ctx):\n    return Engine(ctx, {n})\n" for n in range(60))


def test_a_candidate_that_moves_every_statement_parses_like_the_whole_text():
    candidate = DOCUMENT.replace("import os\n", "import os\nfrom factory import make\n")
    assert ast.dump(parse_candidate(candidate), include_attributes=True) == ast.dump(
        ast.parse(candidate), include_attributes=True)


def test_candidates_of_one_document_reuse_the_documents_statements():
    statements = StatementCache()
    statements.tree(DOCUMENT)
    reuse_statements(statements)
    candidate = DOCUMENT.replace("Engine(ctx, 7)", "make(ctx)")
    tree = parse_candidate(candidate)
    assert ast.dump(tree, include_attributes=True) == ast.dump(ast.parse(candidate), include_attributes=True)
    reused = [stmt for stmt in tree.body if any(stmt is known for body in statements.entries.values() for known in body)]
    assert len(reused) == len(tree.body) - 1  # only the edited function was parsed


def test_a_candidate_that_does_not_parse_raises_its_syntax_error():
    candidate = DOCUMENT.replace("return Engine(ctx, 7)", "return Engine(ctx, 7) +")
    with pytest.raises(SyntaxError):
        parse_candidate(candidate)
