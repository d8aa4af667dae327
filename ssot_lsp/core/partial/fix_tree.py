"""A partial ``ast`` tree for quick fixes: only the module-level statements a fix touches.

A quick fix looks at a handful of statements of a file; ``ast.parse`` of a 4,000-line file costs
30-60 ms (more under load) and a Python walk of the tree as much again. ``partial_tree`` parses
only the statements (found by ``ssot_lsp.core.partial.statements``) that contain given words, plus every
statement that mentions ``import``. The partial ``ast.Module`` has the original line numbers and
columns, so the fixes use it unchanged: a fix only needs the subtrees that mention its names
(every use or binding of a name contains the name as a word; every import contains ``import``).
"""

from __future__ import annotations

import ast
import re

from ssot_lsp.core.partial.statements import ENABLED, ChunkError, top_level_chunks


def partial_tree(text: str, offsets: list[int], words: set[str]) -> ast.Module | None:
    """An ``ast.Module`` holding only the module-level statements whose text contains one of
    ``words`` or ``import``; None when the document cannot be split safely."""
    if not ENABLED:
        return None
    try:
        starts = top_level_chunks(text)
    except ChunkError:
        return None
    pattern = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, words | {"import"}))) + r")\b")
    count = len(starts)
    wanted: list[int] = []
    seen = -1
    for match in pattern.finditer(text):
        position = match.start()
        if position < seen:
            continue
        # the chunk holding this position: last start whose offset <= position
        low, high = 0, count - 1
        found = -1
        while low <= high:
            middle = (low + high) // 2
            if offsets[starts[middle]] <= position:
                found = middle
                low = middle + 1
            else:
                high = middle - 1
        if found < 0:
            continue  # before the first statement: a comment or blank line
        wanted.append(found)
        seen = offsets[starts[found + 1]] if found + 1 < count else len(text) + 1
    body: list[ast.stmt] = []
    for chunk in wanted:
        first = starts[chunk]
        start = offsets[first]
        end = offsets[starts[chunk + 1]] if chunk + 1 < count else len(text)
        try:
            module = ast.parse(text[start:end])
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        if not module.body:
            return None
        if first:
            for stmt in module.body:
                ast.increment_lineno(stmt, first)
        decorators = getattr(module.body[0], "decorator_list", None)
        if module.body[0].lineno - 1 != first and not (decorators and decorators[0].lineno - 1 == first):
            return None
        body.extend(module.body)
    return ast.Module(body=body, type_ignores=[])


def filter_tree(tree: ast.Module, text: str, offsets: list[int], words: set[str]) -> ast.Module | None:
    """The module-level statements of a whole tree that mention ``words`` or ``import`` (the same
    selection as ``partial_tree``, from a tree already parsed); None for non-ASCII text (identifiers
    are NFKC-normalised, a word search could miss one)."""
    if not ENABLED or not text.isascii():
        return None
    import bisect

    pattern = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, words | {"import"}))) + r")\b")
    lines = sorted({bisect.bisect_right(offsets, m.start()) for m in pattern.finditer(text)})  # 1-based
    body = []
    for stmt in tree.body:
        deco = getattr(stmt, "decorator_list", None)
        first = deco[0].lineno if deco else stmt.lineno
        at = bisect.bisect_left(lines, first)
        if at < len(lines) and lines[at] <= (stmt.end_lineno or stmt.lineno):
            body.append(stmt)
    return ast.Module(body=body, type_ignores=[])
