"""Re-parse only the top-level statements an edit touched.

The language server analyses a document on every (debounced) keystroke, and ``ast.parse`` of the
whole file is most of that time. A ``StatementCache`` keeps the parsed statements of the last
version keyed by (first line, text); the next version is cut into statements again
(``core/partial/statements.py``, no parsing) and only new or moved statements are parsed. Typing inside
a line moves nothing, so one statement is parsed; inserting lines moves everything below, so
when most statements missed, the whole file is parsed once and the cache refilled from it.

The assembled ``ast.Module`` equals ``ast.parse`` of the whole text: top-level statements are
independent subtrees, each statement is parsed at its real line (a prefix of line breaks) and
column (lines are not re-indented), and a file parses exactly when each of its statements does.
Anything the statement scanner cannot split (unbalanced brackets while typing, non-ASCII
identifiers) returns None and the caller parses the whole text, which also reports the error.
"""

from __future__ import annotations

import ast
import bisect

from ssot_lsp.core.partial.statements import (
    ENABLED,
    ChunkError,
    leading_text_is_inert,
    top_level_chunks,
)
from ssot_lsp.core.text import line_offsets

_FULL_PARSE_SHARE = 0.25  # more misses than this: one whole parse is cheaper


class StatementCache:
    def __init__(self) -> None:
        self.entries: dict[tuple[int, str], list[ast.stmt]] = {}
        self.reused = 0
        self.parsed = 0

    def tree(self, text: str) -> ast.Module | None:
        """``ast.parse(text)`` assembled from cached statements, or None (then parse yourself)."""
        if not ENABLED:
            return None
        try:
            first_lines = top_level_chunks(text)
        except ChunkError:
            return None
        if not first_lines:
            return None
        offsets = line_offsets(text)
        bounds = [offsets[line] for line in first_lines] + [len(text)]
        if not leading_text_is_inert(text, bounds[0]):
            return None
        keys = [(line, text[bounds[i]:bounds[i + 1]]) for i, line in enumerate(first_lines)]
        misses = [i for i, key in enumerate(keys) if key not in self.entries]
        if len(misses) > max(2, _FULL_PARSE_SHARE * len(keys)):
            return self._refill(text, first_lines, keys)
        fresh: dict[tuple[int, str], list[ast.stmt]] = {}
        body: list[ast.stmt] = []
        for key in keys:
            statements = self.entries.get(key)
            if statements is None:
                line, chunk = key
                try:
                    statements = ast.parse("\n" * line + chunk).body
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    return None
                self.parsed += 1
            else:
                self.reused += 1
            fresh[key] = statements
            body.extend(statements)
        self.entries = fresh
        return ast.Module(body=body, type_ignores=[])

    def _refill(self, text: str, first_lines: list[int], keys: list[tuple[int, str]]) -> ast.Module | None:
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            self.entries = {}
            return None
        groups: list[list[ast.stmt]] = [[] for _ in keys]
        for statement in tree.body:
            decorators = getattr(statement, "decorator_list", None)
            first = (decorators[0].lineno if decorators else statement.lineno) - 1
            index = bisect.bisect_right(first_lines, first) - 1
            if index < 0:
                self.entries = {}
                return tree  # a statement before the first detected start: do not cache
            groups[index].append(statement)
        self.entries = {key: group for key, group in zip(keys, groups)}
        self.parsed += len(keys)
        return tree
