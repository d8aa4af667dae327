"""Top-level statements of a document without parsing all of it, and a partial ``ast`` tree.

A quick fix looks at a handful of statements of a file; ``ast.parse`` of a 4,000-line file costs
30-60 ms (more under load) and a Python walk of the tree as much again. ``top_level_chunks`` finds
the line ranges of the module-level statements with a regular-expression lexer that only knows
what can hide a line start (strings, comments, brackets, backslash continuations), and
``partial_tree`` parses only the chunks that contain given words (plus every chunk that mentions
``import``). The partial ``ast.Module`` has the original line numbers and columns, so the fixes
use it unchanged.

Why the result is the same as with the whole tree: module-level statements are independent
subtrees of ``ast.Module``; a fix only needs the subtrees that mention its names (every use or
binding of a name contains the name as a word; every import contains the word ``import``), and a
chunk of complete top-level lines parsed alone gives the same subtree (same line numbers after
``increment_lineno``, same byte columns since the lines are not re-indented). Each chunk parsed
must parse on its own, or the caller falls back to the whole tree. ``tests/fixes/test_chunks.py``
compares the chunks with the real top-level statements on every Python file it can find, and the
fast path with the slow one on the golden cases.

Python 3.12+ f-strings may nest the same quote (PEP 701), which this lexer does not follow, so
there the fast path is off.
"""

from __future__ import annotations

import ast
import re
import sys

from ssot_lsp.core.text import LINE_BREAK

ENABLED = sys.version_info < (3, 12)

# strings (any prefix: the extent does not depend on it), comments, backslash continuations
_LEX = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\r\n]|\\(?:\r\n|.))*'"
    r'|"(?:[^"\\\r\n]|\\(?:\r\n|.))*"'
    r"|#[^\r\n]*"
    r"|\\(?:\r\n|\r|\n)",
    re.DOTALL,
)
_BRACKETS_ONLY = re.compile(r"[^()\[\]{}\r\n]+")
_ONE_KIND = str.maketrans("[{]}", "(())")
_CONTINUES = re.compile(r"(?:else|elif|except|finally)\b")


def _mask(match: re.Match) -> str:
    token = match.group()
    first = token[0]
    if first == "#":
        return ""
    if first == "\\":
        return " \n\x01"  # the next line continues this one
    breaks = LINE_BREAK.findall(token)
    if not breaks:
        return "S"
    return "S" + "\n\x01" * len(breaks)


class ChunkError(Exception):
    pass


def top_level_chunks(text: str) -> list[int]:
    """0-based first lines of the module-level statements (a decorated definition starts at its first
    decorator; ``else``/``elif``/``except``/``finally`` stay with their statement). Raises ChunkError
    when brackets do not balance (the text is not valid Python)."""
    masked = _LEX.sub(_mask, text)
    if not masked.isascii():
        # identifiers are NFKC-normalised by the parser: a word search could miss one
        raise ChunkError("non-ASCII code outside strings and comments")
    starts: list[int] = []
    depth = 0
    pending_decorator = False
    # one bracket kind per side: the depth changes by (count of "(") - (count of ")") on a line
    # (other characters become "." so that a lone "\r" and a later "\n" never become one "\r\n")
    brackets = LINE_BREAK.split(_BRACKETS_ONLY.sub(".", masked).translate(_ONE_KIND))
    for number, line in enumerate(LINE_BREAK.split(masked)):
        at_start = depth == 0
        kept = brackets[number]
        if kept.strip("."):
            depth += kept.count("(") - kept.count(")")
            if depth < 0:
                raise ChunkError("unbalanced brackets")
        if not at_start or not line or line[0] in " \t\f\x01" or not line.strip(" \t\f\x01"):
            continue
        if _CONTINUES.match(line) or pending_decorator:
            pending_decorator = line[0] == "@"
            continue
        pending_decorator = line[0] == "@"
        starts.append(number)
    if depth:
        raise ChunkError("unbalanced brackets")
    return starts


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
        if module.body[0].lineno - 1 != first and not (
                getattr(module.body[0], "decorator_list", None) and module.body[0].decorator_list[0].lineno - 1 == first):
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
        if at < len(lines) and lines[at] <= stmt.end_lineno:
            body.append(stmt)
    return ast.Module(body=body, type_ignores=[])
