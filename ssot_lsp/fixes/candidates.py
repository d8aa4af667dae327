"""Parsing candidate texts (fixes, suppression comments) through the statements they share.

Every candidate a fix or a suppression produces is the document with a few statements changed,
and verifying one starts with ``ast.parse`` of all of it: on a 5,000-line file that alone was
over the 100 ms a code action may take. Candidates are parsed through one ``StatementCache``
(``core/partial/incremental.py``): only statements that are not already known -- as the same text
at the same line, from an earlier candidate or from the open document (``reuse_statements``) --
are parsed. The assembled tree equals ``ast.parse`` of the whole text, and a text whose statements
cannot be told apart without parsing is parsed whole, which also raises its syntax error.

No libcst here: suppression comments are verified without the fixes.
"""

from __future__ import annotations

import ast

from ssot_lsp.core.partial.incremental import StatementCache

# the top-level statements of the candidates verified last: the candidates of one document differ
# from each other (and from the document) in a few statements, which are all that is parsed again
_CANDIDATES = StatementCache()
_KEPT_SHARE = 3  # statements kept: at most this many times those of the last candidate


def parse_candidate(text: str) -> ast.Module:
    """``ast.parse(text)``, assembled from the statements of earlier candidates where they are the
    same text at the same line (``core/partial/incremental.py``: the result equals the whole parse,
    and a text whose statements cannot be parsed alone is parsed whole, which raises its error)."""
    known = _CANDIDATES.entries
    tree = _CANDIDATES.tree(text)  # keeps only this text's statements ...
    if len(known) <= _KEPT_SHARE * len(_CANDIDATES.entries):
        # ... but candidates alternate (a fix that adds an import line moves every statement below
        # it, a suppression comment moves none): keep the others' too, within bounds
        _CANDIDATES.entries = {**known, **_CANDIDATES.entries}
    return tree if tree is not None else ast.parse(text)


def reuse_statements(statements: StatementCache) -> None:
    """Let the next verifications reuse the parsed statements of a document (the language server's
    open buffer): the candidates of its fixes share most of them."""
    _CANDIDATES.entries.update(statements.entries)
