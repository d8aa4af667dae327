"""Suppression comments: the exact grammar, and reading them out of a file's comments.

The grammar is modelled on ruff's ``# noqa`` parser: a directive starts at a ``#`` of a comment
(the first one or a later one: ``# type: ignore  # ssot: ignore[SSOT001]``), keywords are
case-insensitive, and the list of codes ends where the codes end. One difference is deliberate:
the first users' monorepo writes "SSOT" in prose comments everywhere (``# SSOT: ignore stale
registry entries``), so a directive without codes must end the comment (or be followed by another
``#`` comment); anything else after ``ignore`` makes the comment prose, not a suppression.

    # ssot: ignore                       every code on this line
    # ssot: ignore[SSOT001, SSOT008]     these codes (commas and/or spaces; any text may follow "]")
    # ssot: ignore  # removed in phase 5 a reason as a second comment
    # ssot: ignore-file                  the whole file (within its first 30 lines)
    # noqa: SSOT001 F401 reason          the SSOT codes of a noqa list (the list ends at "reason")

Not directives: ``# SSOT: ignore stale entries`` (prose after ``ignore``), ``# ssot : ignore`` (no
space before the colon, as in ``# type: ignore``), ``# noqa`` without codes and ``# noqa: F401``
(other tools' business), ``# ssot: ignore[]`` (no codes), ``# see ssot: ignore`` (not at a ``#``).
Codes are case-insensitive and reported upper-case; a code no rule has is reported by SSOT010.
"""

from __future__ import annotations

import io
import re
import tokenize
from bisect import bisect_right

from ssot_lsp.core.partial.statements import ENABLED as LEXING_MATCHES_TOKENIZE
from ssot_lsp.core.partial.statements import STRINGS_AND_COMMENTS, mask_strings_and_comments
from ssot_lsp.core.text import Span, line_offsets, split_lines

IGNORE_FILE_WINDOW = 30  # `# ssot: ignore-file` counts in the first lines only

_SSOT = re.compile(
    r"#[ \t]*ssot:[ \t]*(?P<verb>ignore-file|ignore)"
    r"(?:\[(?P<codes>[^\]\r\n]*)\]|(?P<bare>[ \t]*(?=#|$)))",
    re.IGNORECASE)
_NOQA = re.compile(r"#[ \t]*noqa[ \t]*:[ \t]*(?P<codes>[A-Za-z]+[0-9]+(?:(?:[ \t]*,[ \t]*|[ \t]+)[A-Za-z]+[0-9]+)*)",
                   re.IGNORECASE)
_CODE_SEPARATOR = re.compile(r"[\s,]+")
# a cheap look over the whole text before comments are tokenized: most files of a monorepo that
# talks about "SSOT" in its comments hold no directive at all
_CANDIDATE = re.compile(r"#[ \t]*(?:ssot:[ \t]*ignore|noqa[ \t]*:[^\r\n]*ssot[0-9])", re.IGNORECASE)
# The same look, exact for `# ssot:` directives: ``_SSOT`` at any ``#`` of the text, the end of a
# comment being the end of its line. Whichever way the comments are then found (tokens, or lines
# for a file that does not tokenize), each is a line's text from one of its ``#`` on, and a
# directive must match there; a text without any such match has none, and is not tokenized (prose
# like ``# SSOT: ignore stale entries`` was most of the tokenizing a realistic scan did).
_DIRECTIVE_ANYWHERE = re.compile(
    r"#[ \t]*ssot:[ \t]*(?:ignore-file|ignore)(?:\[[^\]\r\n]*\]|[ \t]*(?=#|\r|\n|\Z))"
    r"|#[ \t]*noqa[ \t]*:[^\r\n]*ssot[0-9]",
    re.IGNORECASE)


def parse_comment(comment: str) -> list[tuple[int, int, str, frozenset[str] | None]]:
    """The directives of one comment (``#`` included): (start, end, kind, codes) with kind
    ``ignore``, ``ignore-file`` or ``noqa``; codes None for every code. Positions are offsets in
    the comment."""
    found: list[tuple[int, int, str, frozenset[str] | None]] = []
    for match in _SSOT.finditer(comment):
        codes_text = match.group("codes")
        if codes_text is not None:
            codes = _codes(codes_text)
            if not codes:
                continue  # `ignore[]`: nothing named, nothing suppressed
            end = match.end()
        else:
            codes = None
            end = match.end("verb")
        found.append((match.start(), end, match.group("verb").lower(), codes))
    for match in _NOQA.finditer(comment):
        ours = frozenset(code for code in _codes(match.group("codes")) if code.startswith("SSOT"))
        if ours:
            found.append((match.start(), match.end(), "noqa", ours))
    return found


def _codes(text: str) -> frozenset[str]:
    return frozenset(code.upper() for code in _CODE_SEPARATOR.split(text) if code)


Found = tuple[int, "frozenset[str] | None", Span, str]  # (0-based line, codes or None for all, span, 'ssot'|'noqa')


def may_hold_suppressions(text: str) -> bool:
    """Whether ``text`` may hold a directive at all (a cheap look before tokenizing)."""
    return _CANDIDATE.search(text) is not None


def read_suppressions(text: str, parses: bool = False) -> tuple[list[Found], bool]:
    """The suppressions in the comments of ``text``, and whether an ``ignore-file`` directive applies.
    ``parses``: ``ast.parse`` accepted ``text`` (its comments can then be lexed: ``lexed_comments``)."""
    found: list[Found] = []
    ignore_file = False
    if not _DIRECTIVE_ANYWHERE.search(text):
        return found, ignore_file
    lexed = LEXING_MATCHES_TOKENIZE and (parses or tokenizes_cleanly(text))
    comments = lexed_comments(text) if lexed else tokenized_comments(text)
    for line, col, comment in comments:
        for start, end, kind, codes in parse_comment(comment):
            if kind == "ignore-file":
                ignore_file = ignore_file or line < IGNORE_FILE_WINDOW
                continue
            found.append((line, codes, Span(line, col + start, line, col + end), "noqa" if kind == "noqa" else "ssot"))
    return found, ignore_file


Comment = tuple[int, int, str]  # (0-based line, column, the comment from its "#")


def tokenized_comments(text: str) -> list[Comment]:
    """The comments Python's tokenizer finds; for a text it cannot tokenize, each line's text from
    its first ``#``."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text, newline=None).readline))
        return [(t.start[0] - 1, t.start[1], t.string) for t in tokens if t.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return [(i, line.find("#"), line[line.find("#"):]) for i, line in enumerate(split_lines(text))
                if "#" in line]


def lexed_comments(text: str) -> list[Comment]:
    """``tokenized_comments`` of a text that parses, found by the statement lexer's regular
    expression (strings, comments, continuations) in C, ~20x faster than the pure-Python tokenizer,
    whose patterns also take 5 ms to compile in each process of a scan (30-50 ms of CPU of a cold
    check of the realistic corpus). The same comments, lines and columns: in valid code (before
    Python 3.12, where an f-string cannot hold its own quote or a ``#``) every quote opens a string
    and both find the same end of it; the tokenizer splits lines where ``LINE_BREAK`` does
    (``\\r\\n``, ``\\r``, ``\\n``). A text that does not parse may tokenize differently (an unterminated
    string) or not at all (the line-wise fallback): it takes ``tokenized_comments`` unless
    ``tokenizes_cleanly`` (most files of a partial parse, which are never parsed whole)."""
    starts = line_offsets(text)
    comments: list[Comment] = []
    for match in STRINGS_AND_COMMENTS.finditer(text):
        token = match.group()
        if token[0] == "#":
            offset = match.start()
            line = bisect_right(starts, offset) - 1
            comments.append((line, offset - starts[line], token))
    return comments


_ONE_KIND = str.maketrans("[{]}", "(())")


def tokenizes_cleanly(text: str) -> bool:
    """Whether Python's tokenizer reads ``text`` to its end without an error, every quote opening
    a string that ends where the lexer ends it; its comments are then ``lexed_comments``. What the
    tokenizer refuses: a string it does not see end (a quote no string takes; a triple quote the
    lexer reads as an empty string and a quote), brackets (their count: opened minus closed) or a
    backslash continuation still open at the end, and a line starting a statement (outside brackets
    and continuations, as the tokenizer counts them) that dedents to a column no enclosing block
    started at (the tokenizer's rule: tabs to multiples of 8, a form feed back to 0). Texts breaking
    lines on a lone "\\r" are left to the tokenizer."""
    if "\r" in text:
        return False
    masked, every_quote_ends = mask_strings_and_comments(text)
    if not every_quote_ends or _triple_quote_read_as_empty_string(text):
        return False
    depth = 0
    continued = False
    indents = [0]
    lines = masked.translate(_ONE_KIND).split("\n")
    if not lines[-1]:
        lines.pop()  # what follows the last line break: the end, where a continuation is an error
    for line in lines:
        if not depth and not continued and line and line[0] != "\x01":  # a new statement may start here
            code = line.lstrip(" \t\f")
            if code and code[0] != "#":  # neither blank nor a comment (the mask may leave a comment as it is)
                column = _column(line[:len(line) - len(code)])
                if column > indents[-1]:
                    indents.append(column)
                while column < indents[-1]:
                    indents.pop()
                    if column > indents[-1]:
                        return False  # "unindent does not match any outer indentation level"
        depth += line.count("(") - line.count(")")  # below 0 too, as the tokenizer counts
        continued = line.endswith("\\")  # the mask keeps only backslash continuations
    return not depth and not continued


def _column(indent: str) -> int:
    if "\t" not in indent and "\f" not in indent:
        return len(indent)
    column = 0
    for char in indent:
        column = column + 1 if char == " " else (column // 8 + 1) * 8 if char == "\t" else 0
    return column


def _triple_quote_read_as_empty_string(text: str) -> bool:
    """A triple quote whose string never ends: the lexer reads its first two quotes as an empty
    string (the tokenizer, an unterminated string)."""
    for match in STRINGS_AND_COMMENTS.finditer(text):
        token = match.group()
        if token in ("''", '""') and text.startswith(token[0], match.end()):
            return True
    return False
