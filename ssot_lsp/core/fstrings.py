"""Masking Python 3.12 f-strings (PEP 701) so that an older ``ast`` can parse the rest of a file.

Python 3.12 lets a replacement field reuse the enclosing quote (``f"{d["key"]}"``), nest f-strings
to any depth and hold comments and line breaks. Before 3.12 ``ast.parse`` rejects such a file.
Every f-string is replaced by a plain string of the same shape, so every other token keeps its
exact line and column and the facts read from the masked text are true for the original.

Two ways to find the f-strings: a small lexer for string literals (``_fstring_spans``), and libcst,
which parses the whole module (the reference, but 60 ms per file: a fifth of a cold check's CPU
on the realistic corpus went to the 0.2 % of files with such f-strings). The lexer is tried first;
whatever it is unsure of, and any masked text that does not parse, goes to libcst.
"""

from __future__ import annotations

import ast
import re

from ssot_lsp.core.text import split_lines

_PREFIXES = frozenset({"", "r", "u", "f", "b", "br", "rb", "fr", "rf"})
_OPENERS = "([{"
_CLOSERS = ")]"


class _Unsure(Exception):
    """The lexer met something it does not model exactly: let libcst decide."""


def mask_new_fstrings(text: str) -> str | None:
    """``text`` with every f-string masked, parseable by this Python's ``ast``; None if impossible."""
    try:
        masked: str | None = _mask(text, _fstring_spans(text))
    except (_Unsure, IndexError):
        masked = None
    if masked is not None and _parses(masked):
        return masked
    return _mask_with_libcst(text)


def masked_tree(text: str) -> tuple[str, ast.Module] | None:
    """``mask_new_fstrings`` and the tree of the masked text (the check that it parses is the parse
    the caller wants: a file with such f-strings was parsed three times); None if impossible."""
    try:
        masked: str | None = _mask(text, _fstring_spans(text))
    except (_Unsure, IndexError):
        masked = None
    tree = _parse(masked) if masked is not None else None
    if masked is None or tree is None:
        masked = _mask_with_libcst(text)
        tree = _parse(masked) if masked is not None else None
    return (masked, tree) if masked is not None and tree is not None else None


def _parses(text: str) -> bool:
    return _parse(text) is not None


def _parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    parts: list[str] = []
    previous = 0
    for start, end in spans:
        parts.append(text[previous:start])
        parts.append(_masked_literal(text[start:end]))
        previous = end
    parts.append(text[previous:])
    return "".join(parts)


def _masked_literal(code: str) -> str:
    """A plain string literal exactly as wide and as tall as the f-string ``code``."""
    lines = split_lines(code)
    if len(lines) == 1:
        return '"' + " " * max(len(code) - 2, 0) + '"'
    first, last = lines[0], lines[-1]
    if len(first) < 3 or len(last) < 3:
        return code
    middle = [" " * len(line) for line in lines[1:-1]]
    newline = "\r\n" if "\r\n" in code else ("\r" if "\r" in code and "\n" not in code else "\n")
    return newline.join(['"""' + " " * (len(first) - 3), *middle, " " * (len(last) - 3) + '"""'])


def _is_ident(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _prefix_before(text: str, quote: int) -> str:
    """The string prefix in front of the quote at ``quote``: the identifier run just before it,
    if the whole run is a prefix (``elif"x"`` is a keyword and a plain string)."""
    start = quote
    while start > 0 and _is_ident(text[start - 1]):
        start -= 1
    run = text[start:quote]
    return run if run.lower() in _PREFIXES else ""


# what the lexers stop at: outside strings, inside a plain string (per quote character)
_CODE_STOPS = re.compile(r"[#'\"\\]")
_STRING_STOPS = {"'": re.compile(r"['\\\r\n]"), '"': re.compile(r'["\\\r\n]')}


def _fstring_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every outermost f-string literal, prefix and quotes included. Jumps from one
    character that matters to the next (a loop over every character cost 10 ms per file)."""
    spans: list[tuple[int, int]] = []
    search = _CODE_STOPS.search
    i = 0
    while (found := search(text, i)) is not None:
        i = found.start()
        ch = text[i]
        if ch == "#":
            i = _line_end(text, i)
        elif ch in "'\"":
            prefix = _prefix_before(text, i)
            end = _string_end(text, i, prefix)
            if "f" in prefix.lower():
                spans.append((i - len(prefix), end))
            i = end
        else:  # a backslash
            i += 2
    return spans


def _line_end(text: str, i: int) -> int:
    ends = [e for e in (text.find("\n", i), text.find("\r", i)) if e >= 0]
    return min(ends) if ends else len(text)


def _string_end(text: str, i: int, prefix: str) -> int:
    """The offset just after the string literal whose opening quote is at ``i``."""
    quote = text[i]
    closing = quote * 3 if text.startswith(quote * 3, i) else quote
    lowered = prefix.lower()
    if "f" in lowered:
        return _fstring_end(text, i + len(closing), closing, "r" in lowered)
    j = i + len(closing)
    search = _STRING_STOPS[quote].search
    while (found := search(text, j)) is not None:
        j = found.start()
        ch = text[j]
        if ch == "\\":
            j += 2
        elif text.startswith(closing, j):
            return j + len(closing)
        elif ch in "\r\n" and len(closing) == 1:
            raise _Unsure("unterminated string")
        else:
            j += 1
    raise _Unsure("unterminated string")


def _fstring_end(text: str, j: int, closing: str, raw: bool) -> int:
    """The offset after an f-string whose body starts at ``j`` (literal text and fields)."""
    size = len(text)
    while j < size:
        ch = text[j]
        if ch == "\\":
            if not raw and text.startswith("N{", j + 1):  # a named escape, not a field
                close = text.find("}", j)
                if close < 0:
                    raise _Unsure("unterminated \\N escape")
                j = close + 1
            elif text.startswith(("{", "}"), j + 1):
                raise _Unsure("backslash before a brace")
            else:
                j += 2
        elif text.startswith(closing, j):
            return j + len(closing)
        elif ch in "\r\n" and len(closing) == 1:
            raise _Unsure("unterminated f-string")
        elif ch == "{":
            j = j + 2 if text.startswith("{{", j) else _field_end(text, j + 1, closing)
        elif ch == "}":
            if not text.startswith("}}", j):
                raise _Unsure("single closing brace")
            j += 2
        else:
            j += 1
    raise _Unsure("unterminated f-string")


def _field_end(text: str, j: int, closing: str) -> int:
    """The offset after a replacement field whose expression starts at ``j``."""
    size = len(text)
    depth = 0
    while j < size:
        ch = text[j]
        if ch in "'\"":
            prefix = _prefix_before(text, j)
            j = _string_end(text, j, prefix)
        elif ch == "#":
            j = _line_end(text, j)
        elif ch in _OPENERS:
            depth += 1
            j += 1
        elif ch in _CLOSERS:
            depth -= 1
            j += 1
        elif ch == "}":
            if depth == 0:
                return j + 1
            depth -= 1
            j += 1
        elif ch == "!" and text.startswith("!=", j):
            j += 2
        elif ch == ":" and depth == 0:
            return _format_spec_end(text, j + 1, closing)
        elif ch == "\\":
            raise _Unsure("backslash in a replacement field")
        else:
            j += 1
    raise _Unsure("unterminated replacement field")


def _format_spec_end(text: str, j: int, closing: str) -> int:
    """The offset after a format spec (it ends its field's closing brace) starting at ``j``."""
    size = len(text)
    while j < size:
        ch = text[j]
        if ch == "{":
            j = _field_end(text, j + 1, closing)
        elif ch == "}":
            return j + 1
        elif text.startswith(closing, j) or ch in "\\\r\n":
            raise _Unsure("format spec the lexer does not model")
        else:
            j += 1
    raise _Unsure("unterminated format spec")


def _mask_with_libcst(text: str) -> str | None:
    try:
        import libcst as cst
    except ImportError:  # pragma: no cover
        return None
    try:
        module = cst.parse_module(text)
    except Exception:
        return None

    class Masker(cst.CSTTransformer):
        def leave_FormattedString(self, original: cst.FormattedString,
                                  updated: cst.FormattedString) -> cst.BaseExpression:
            code = module.code_for_node(original)
            replacement = _masked_literal(code)
            return updated if replacement == code else cst.SimpleString(replacement)

    try:
        return module.visit(Masker()).code
    except Exception:
        return None
