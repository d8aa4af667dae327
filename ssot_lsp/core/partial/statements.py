"""Where the top-level statements of a Python file start, without parsing it.

Both the workspace scan (``core/partial/scan.py``) and the quick fixes (``core/partial/fix_tree.py``) parse only
the statements that matter; this finds the line ranges of the module-level statements with a
regular-expression lexer that only knows what can hide a line start (strings, comments,
brackets, backslash continuations).

A chunk of complete top-level lines parsed alone gives the same subtree as in the whole module
(same line numbers once offset, same columns since lines are not re-indented); callers must still
require every chunk they use to parse on its own and fall back to the whole file otherwise.
``tests/fixes/test_chunks.py`` compares the chunks with the real top-level statements on every
Python file it can find.

Python 3.12+ f-strings may nest the same quote (PEP 701), which this lexer does not follow, so
there the fast path is off.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator

from ssot_lsp.core.text import LINE_BREAK

# Python 3.12+ f-strings may nest the same quote (PEP 701), which the lexer does not follow
ENABLED = sys.version_info < (3, 12)

# strings (any prefix: the extent does not depend on it), comments, backslash continuations;
# each string body is written "unrolled" (a run of ordinary characters, then escapes each followed
# by another run), which the regular-expression engine matches twice as fast as one alternation
# per character
_LEX = re.compile(
    r"'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"
    r'|"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""'
    r"|'[^'\\\r\n]*(?:\\(?:\r\n|.)[^'\\\r\n]*)*'"
    r'|"[^"\\\r\n]*(?:\\(?:\r\n|.)[^"\\\r\n]*)*"'
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
    if "\n" not in token and "\r" not in token:
        return "S"
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
    if "\r" in masked:
        return _chunks_line_by_line(masked)
    # only lines that start in column 0 can start a statement: visit just those, and get the bracket
    # depth before each from the brackets counted (in C) since the previous one
    starts: list[int] = []
    depth = line = previous = 0
    pending_decorator = False
    brackets = masked.translate(_ONE_KIND)  # one kind per side: the depth is count("(") - count(")")
    for position in _column_zero(masked):
        depth += brackets.count("(", previous, position) - brackets.count(")", previous, position)
        line += masked.count("\n", previous, position)
        previous = position
        if depth:
            if depth < 0:
                raise ChunkError("unbalanced brackets")
            continue
        first = masked[position]
        if _CONTINUES.match(masked, position) or pending_decorator:
            pending_decorator = first == "@"
            continue
        pending_decorator = first == "@"
        starts.append(line)
    if depth + brackets.count("(", previous) - brackets.count(")", previous):
        raise ChunkError("unbalanced brackets")
    return starts


# a line starting in column 0 with code (masked continuation lines start with "\x01"), after the
# first: searched from its line break, which the regular-expression engine finds five times faster
# than trying ``^`` at every position
_COLUMN_ZERO = re.compile(r"\n[^ \t\f\x01\n]")
_NOT_CODE_AT_ZERO = " \t\f\x01\n"


def _column_zero(masked: str) -> Iterator[int]:
    """Offsets of the lines of ``masked`` that start with code in column 0."""
    if masked and masked[0] not in _NOT_CODE_AT_ZERO:
        yield 0
    for match in _COLUMN_ZERO.finditer(masked):
        yield match.start() + 1


def _chunks_line_by_line(masked: str) -> list[int]:
    """The same for text with ``\\r`` line breaks, which ``^`` in a regular expression does not know."""
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


def leading_text_is_inert(text: str, first_line_offset: int) -> bool:
    """Whether the text before the first statement start holds no code (blank lines, comments).

    The scanner never starts a statement on an indented line, so stray indented code at the top
    (``" x = 1"``) lies before the first start; whoever skips that prefix must check it.
    """
    prefix = text[:first_line_offset]
    if not prefix.strip():
        return True
    try:
        return not ast.parse(prefix).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
