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
import bisect
import re
import sys
from array import array
from dataclasses import dataclass

from ssot_lsp.core.text import LINE_BREAK, line_offsets

# Python 3.12+ f-strings may nest the same quote (PEP 701), which the lexer does not follow
ENABLED = sys.version_info < (3, 12)

# strings (any prefix: the extent does not depend on it), comments, backslash continuations;
# each string body is written "unrolled" (a run of ordinary characters, then escapes each followed
# by another run), which the regular-expression engine matches twice as fast as one alternation
# per character
_TRIPLE_QUOTED = (r"'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"
                  r'|"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""')
_OTHER_TOKENS = (r"|'[^'\\\r\n]*(?:\\(?:\r\n|.)[^'\\\r\n]*)*'"
                 r'|"[^"\\\r\n]*(?:\\(?:\r\n|.)[^"\\\r\n]*)*"'
                 r"|#[^\r\n]*"
                 r"|\\(?:\r\n|\r|\n)")
_LEX = re.compile(_TRIPLE_QUOTED + _OTHER_TOKENS, re.DOTALL)
STRINGS_AND_COMMENTS = _LEX  # also finds the comments of a file's suppression directives (core/suppressions.py)
# the same for a piece cut at a line start: a triple quote whose string does not end in the piece
# matches alone (any other quote no string takes stays as it is): the piece must be lexed further
_LEX_CUT = re.compile(_TRIPLE_QUOTED + r"|'''" + r'|"""' + _OTHER_TOKENS, re.DOTALL)
# What the mask can leave as it is, matched without returning to Python: code up to the next quote,
# "#" or backslash; a one-line string and a comment that hold no bracket, backslash or non-ASCII
# character (nine strings in ten); a backslash that continues no line. Such a string ends at its
# first quote (no backslash comes before it), as in ``_LEX``; "'(?!'')" leaves a triple quote to
# ``_LEX``, which tries triple-quoted strings first.
_PLAIN = "()[]{}\\\r\n"  # with any non-ASCII character, what makes a string or comment need masking


def _ascii_except(excluded: str) -> str:
    """A character class of the ASCII characters not in ``excluded``: the same set as
    ``[^excluded\\x80-\\U0010ffff]``, which ``re`` takes ~7 ms to compile (a class reaching past
    U+FFFF is compiled to a big-charset table), on every start of a check, before any worker forks."""
    kept = [code for code in range(128) if chr(code) not in excluded]
    runs: list[tuple[int, int]] = []
    for code in kept:
        if runs and runs[-1][1] == code - 1:
            runs[-1] = (runs[-1][0], code)
        else:
            runs.append((code, code))
    return "[" + "".join(f"\\x{a:02x}" if a == b else f"\\x{a:02x}-\\x{b:02x}" for a, b in runs) + "]"


_SKIPPED = (r"(?:[^'" + '"' + r"#\\]++"
            + r"|'(?!'')" + _ascii_except("'" + _PLAIN) + r"*+'"
            + r'|"(?!"")' + _ascii_except('"' + _PLAIN) + r'*+"'
            + r"|#" + _ascii_except(_PLAIN) + r"*+(?=[\r\n]|\Z)"
            + r"|\\(?![\r\n]))*+")
# the next token to mask (group 1) after what can stay, or a quote no string takes, or the end
_TOKENS = re.compile(_SKIPPED + "(?:(" + _LEX.pattern + r"|['" + '"' + r"])|\Z)", re.DOTALL)
_TOKENS_CUT = re.compile(_SKIPPED + "(?:(" + _LEX_CUT.pattern + r"|['" + '"' + r"])|\Z)", re.DOTALL)
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
    starts = StatementStarts(text, lazy=False)
    return starts.lines


class StatementStarts:
    """The module-level statement starts of a text (lines and offsets), found from the beginning as
    far as a caller needs them: selecting statements in a workspace scan only needs the statements
    up to the last one it parses, and lexing is the largest part of reading a long file.

    ``lazy``: the text is lexed in pieces, each only when ``cover`` asks past what is known. A piece
    ends at a line start; it is kept only when every string in it ends inside it (a triple-quoted
    string reaching past the cut would be lexed otherwise): then lexing the whole text gives the same
    tokens up to the cut, and so the same starts. Otherwise the rest is lexed at once. Text after the
    last piece is never looked at: a syntax error there (unbalanced brackets) goes unseen, as does
    any syntax error in a statement that is not parsed. Texts with ``\\r`` line breaks or any
    non-ASCII character are lexed whole (the latter for the non-ASCII-code check).

    Raises ChunkError (from ``__init__`` when not lazy, else from ``cover``) like ``top_level_chunks``.

    ``previous``: what lexing another version of the file found (``lexed``). Lexing goes through
    the same pieces as without it, but a piece is lexed from the last start of ``previous`` inside
    it whose text before it is the same here: a start is a line start at depth 0 outside any
    token, so the state there (the starts before it, its line) depends only on the text before it,
    and lexing the piece from there finds what lexing it whole finds (the cut of a piece, once
    more). Same pieces, so the lexing stops at the same place and sees the same errors.
    """

    def __init__(self, text: str, lazy: bool = True, previous: Lexed | None = None) -> None:
        self.text = text
        self.lines: list[int] = []
        self.offsets: list[int] = []  # offsets in ``text`` of the starts, ascending
        self.complete = False
        self._position = 0  # lexed up to here: a line start where no token is cut
        self._depth = self._line = 0
        self._pending_decorator = self._continued = False
        self._window = _FIRST_WINDOW
        self._previous: Lexed | None = None  # while lexing may still resume from it
        self._source: Lexed | None = previous
        self._marked = 0  # marks of ``previous`` whose text is this text's (checked as lexing needs them)
        # the starts found where every quote opened a string that ends: a quote that opens none is
        # read otherwise once a later edit closes its string, so the starts after it hold for this text only
        self._sound = 0
        if "\r" in text:
            self.lines = _chunks_line_by_line(_LEX.sub(_mask, text))
            offsets = line_offsets(text)
            self.offsets = [offsets[line] for line in self.lines]
            self.complete = True
        elif not lazy or not text.isascii():
            self._lex_rest()
        else:
            self._previous = previous
        if self._previous is None:
            self._source = None

    def cover(self, offset: int) -> None:
        """Lex until a start after ``offset`` is known (the statement holding it has its end), or
        the whole text is."""
        while not self.complete and (not self.offsets or self.offsets[-1] <= offset):
            self._lex_past(max(offset, self._position))

    def at_least(self, count: int) -> None:
        """Lex until ``count`` starts are known, or the whole text is."""
        while not self.complete and len(self.offsets) < count:
            self._lex_past(self._position)

    def lexed_to(self) -> int | None:
        """Where lexing stopped: a line start, the end of the last piece (nothing after it was looked
        at); None when the whole text was lexed (at once, or piece by piece to its end)."""
        return None if self.complete else self._position

    def end_of(self, index: int) -> int:
        """Where the statement ``index`` ends: the next start (known for any statement that holds an
        offset ``cover`` was given), or the end of the text."""
        return self.offsets[index + 1] if index + 1 < len(self.offsets) else len(self.text)

    def _lex_past(self, offset: int) -> None:
        """Lex a piece from where lexing stopped to a line start past ``offset``: the first window
        past it, twice as far each time a piece is lexed (a statement may be long) or a string
        reaches past the cut (or never ends: then, by doubling, the piece reaches the end)."""
        text = self.text
        while True:
            cut = text.find("\n", offset + self._window) + 1
            self._window *= 2
            if cut <= 0:
                self._lex_rest()
                return
            if self._previous is not None:
                self._resume(cut)
            masked, ends, _ = _masked(text[self._position:cut], _TOKENS_CUT)
            if ends:
                self._take(masked, cut)
                self._sound = len(self.offsets)
                return

    def _lex_rest(self) -> None:
        """Lex from where lexing stopped to the end of the text."""
        if self._previous is not None:
            self._resume(len(self.text))
        start = self._position
        masked, ends, unclosed = _masked(self.text[start:], _TOKENS)
        if not masked.isascii():
            # identifiers are NFKC-normalised by the parser: a word search could miss one
            raise ChunkError("non-ASCII code outside strings and comments")
        self._take(masked, len(self.text))
        if ends:
            # a triple quote whose string never ends is read here as an empty string and a quote,
            # while a piece holding it would not be taken (``_TOKENS_CUT``): another version of the
            # text, where it ends, would be lexed in other pieces; the starts after it are not sound
            self._sound = (len(self.offsets) if unclosed < 0
                           else bisect.bisect_left(self.offsets, start + unclosed))
        self.complete = True
        if self._depth:
            raise ChunkError("unbalanced brackets")

    def _resume(self, cut: int) -> None:
        """Lexing moved on to the last start of ``previous`` up to ``cut`` with the same text before
        it, taking the starts before it from ``previous``."""
        previous, text = self._previous, self.text
        assert previous is not None
        marks, offsets, digests = previous.marks, previous.offsets, previous.digests
        marked = self._marked
        while marked < len(marks) and offsets[marks[marked]] <= cut:
            since = offsets[marks[marked - 1]] if marked else 0
            if _digest(text[since:offsets[marks[marked]]]) != digests[marked * DIGEST_SIZE:(marked + 1) * DIGEST_SIZE]:
                self._previous = None  # the texts differ from there: no later mark can hold
                break
            marked += 1
        self._marked = marked
        if not marked:
            return
        index = marks[marked - 1]
        if offsets[index] <= self._position:
            return
        known = len(self.offsets)  # the starts before the position: those of ``previous`` (same text)
        self.offsets.extend(offsets[known:index])
        self.lines.extend(previous.lines[known:index])
        self._position, self._line = offsets[index], previous.lines[index]
        self._depth, self._pending_decorator, self._continued = 0, False, False
        self._sound = index

    def lexed(self) -> Lexed:
        """What this lexing found, for lexing the next version of the text (``previous``): the
        starts, and marks on some of them (``MARK_SPACING`` characters apart or more), each with
        the digest of the text from the mark before it; the marks of ``previous`` this text was
        found to share are kept as they are."""
        offsets = self.offsets[:self._sound]
        marks, digests, last = array("i"), bytearray(), 0
        source = self._source
        if source is not None:
            for kept in range(self._marked):
                index = source.marks[kept]
                if index >= len(offsets) or offsets[index] != source.offsets[index]:
                    break
                marks.append(index)
                last = offsets[index]
            digests += source.digests[:len(marks) * DIGEST_SIZE]
        text = self.text
        for index in range(marks[-1] + 1 if marks else 0, len(offsets)):
            offset = offsets[index]
            if offset - last >= MARK_SPACING:
                marks.append(index)
                digests += _digest(text[last:offset])
                last = offset
        return Lexed(array("i", offsets), array("i", self.lines[:len(offsets)]), marks, bytes(digests))

    def _take(self, masked: str, end: int) -> None:
        self._take_starts(masked, self._position)
        self._position = end
        self._continued = masked.endswith("\\\n")

    def _take_starts(self, masked: str, start: int) -> None:
        """Only lines that start in column 0 can start a statement: visit just those, and get the
        bracket depth before each from the brackets counted (in C) since the previous one, and
        the line of each start from the line breaks since the previous start."""
        depth, line, pending_decorator = self._depth, self._line, self._pending_decorator
        previous = counted = 0
        brackets = masked.translate(_ONE_KIND)  # one kind per side: the depth is count("(") - count(")")
        count_brackets, count_breaks = brackets.count, masked.count
        positions = [match.end() for match in _COLUMN_ZERO.finditer(masked)]
        if "\\\n" in masked:  # a backslash continuation (kept as it is): the line after is no start
            # (the second line, after an empty first one, follows no backslash: masked[-1] is the piece's last character)
            positions = [p for p in positions if p < 2 or masked[p - 2] != "\\"]
        if masked and masked[0] not in _NOT_CODE_AT_ZERO and not self._continued and not masked.startswith("\\\n"):
            positions.insert(0, 0)
        for position in positions:
            depth += count_brackets("(", previous, position) - count_brackets(")", previous, position)
            previous = position
            if depth:
                if depth < 0:
                    raise ChunkError("unbalanced brackets")
                continue
            first = masked[position]
            if pending_decorator or (first in "ef" and _CONTINUES.match(masked, position)):
                pending_decorator = first == "@"
                continue
            pending_decorator = first == "@"
            line += count_breaks("\n", counted, position)
            counted = position
            self.lines.append(line)
            self.offsets.append(start + position)
        self._depth = depth + count_brackets("(", previous) - count_brackets(")", previous)
        self._line = line + count_breaks("\n", counted)
        self._pending_decorator = pending_decorator


# the first piece of a lazy lexing goes this far past the offset asked for; each next one twice as far
_FIRST_WINDOW = 512
# a version of a file lexed again resumes from the last mark before its first change (``Lexed``):
# marks this far apart cost a digest each (~0.5 us) and lex at most that much again
MARK_SPACING = 1024
DIGEST_SIZE = 16


@dataclass(frozen=True)
class Lexed:
    """What lexing a version of a text found (``StatementStarts.lexed``), for lexing the next
    version from where their texts part: the statement starts (offsets, lines), and some of them
    marked, with the digest of the text from the mark before (from the start of the text for the
    first): a mark whose digest and those before it match the new text has the same text before it."""

    offsets: array
    lines: array
    marks: array  # indexes in ``offsets``, ascending
    digests: bytes  # ``DIGEST_SIZE`` bytes per mark


def _digest(piece: str) -> bytes:
    import hashlib  # here: ``check`` marks nothing, and hashlib loads OpenSSL (3 ms before its first read)

    return hashlib.blake2b(piece.encode("utf-8", "surrogatepass"), digest_size=DIGEST_SIZE).digest()
# a line starting in column 0 with code, after the first (lines inside a string start with "\x01"
# once masked): searched from its line break, which the regular-expression engine finds five times
# faster than trying ``^`` at every position (and than a look-behind for a continuation before it)
_COLUMN_ZERO = re.compile(r"\n(?=[^ \t\f\x01\n#])(?!\\\n)")  # (a line holding only a continuation is none)
_NOT_CODE_AT_ZERO = " \t\f\x01\n#"
_NOT_LINE_BREAK = re.compile(r"[^\n]")
_UNFINISHED = "\x02"


def _masked(piece: str, tokens: re.Pattern[str]) -> tuple[str, bool, int]:
    """``piece`` with each token that could hide a statement start replaced by as many characters (so
    offsets stay those of the text) holding no bracket, quote, backslash or line start: a string by
    "S..." (code: a string can start a statement), each of its continuation lines starting with
    "\x01", a comment by spaces; a backslash continuation is kept (the line after it is no start).
    Strings and comments ``_SKIPPED`` stay as they are (a comment in column 0 is no start either).

    And whether every string ends in the piece: false for a triple quote alone (``_LEX_CUT``: its
    string does not end in the piece) or a quote no string takes; and where the first triple quote
    whose string never ends is (-1: none) when ``_TOKENS`` reads it as an empty string and a quote."""
    parts: list[str] = []
    previous = 0
    ends = True
    unclosed = -1
    for match in tokens.finditer(piece):
        start, end = match.span(1)
        if start < 0:
            break  # the end of the piece
        token = match.group(1)
        parts.append(piece[previous:start])
        previous = end
        first = token[0]
        if first == "#":
            parts.append(" " * (end - start))
        elif first == "\\":
            parts.append(token)
        elif end - start == 1:  # a quote no string takes (the text does not parse)
            ends = False
            parts.append(token)
        elif "\n" in token:
            parts.append("S" + _NOT_LINE_BREAK.sub("\x01", token[1:]))
        elif token in _TRIPLE_QUOTES:
            ends = False
            parts.append(_UNFINISHED * 3)
        else:
            if end - start == 2 and unclosed < 0 and piece.startswith(first, end):
                unclosed = start
            parts.append("S" * (end - start))
    parts.append(piece[previous:])
    return "".join(parts), ends, unclosed


_TRIPLE_QUOTES = ("'''", '"""')


def mask_strings_and_comments(text: str) -> tuple[str, bool]:
    """``text`` with its strings and comments masked as for finding statement starts (``_masked``:
    no bracket, backslash or line start left inside them; strings and comments that hold none may
    stay as they are), and whether every quote opens a string that ends."""
    masked, ends, _ = _masked(text, _TOKENS)
    return masked, ends


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
