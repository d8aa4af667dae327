"""Source decoding and position arithmetic.

The core speaks one convention: 0-based lines split the way both Python and LSP split them
(``\\r\\n``, ``\\r``, ``\\n`` only — never ``str.splitlines``) and 0-based code-point columns.
Front ends convert to UTF-16 or UTF-8 at their edge with the helpers here.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from itertools import accumulate

LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


@dataclass(frozen=True)
class Span:
    """A range: 0-based lines, 0-based code-point columns, end exclusive."""

    line: int
    col: int
    end_line: int
    end_col: int


class UndecodableSource(ValueError):
    pass


def detect_encoding(data: bytes) -> str:
    """PEP 263: a BOM, or a coding cookie on one of the first two lines; UTF-8 otherwise."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    # the first two lines, without copying the rest of the file (this runs for every file read)
    first_end = data.find(b"\n")
    if first_end < 0:
        first, second = data, b""
    else:
        second_end = data.find(b"\n", first_end + 1)
        first, second = data[:first_end], data[first_end + 1:second_end if second_end >= 0 else len(data)]
    for line in (first, second):
        match = _CODING.match(line)
        if match:
            name = match.group(1).decode("ascii", "replace")
            try:
                return codecs.lookup(name).name
            except LookupError:
                raise UndecodableSource(f"unknown encoding {name!r} in coding cookie") from None
        if line.strip() and not line.lstrip().startswith(b"#"):
            break
    return "utf-8"


def decode_source(data: bytes) -> tuple[str, str]:
    """Decoded text and the encoding used; raises UndecodableSource with a readable reason."""
    encoding = detect_encoding(data)
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        raise UndecodableSource(f"cannot decode as {encoding}: {exc.reason} at byte {exc.start}") from None


def split_lines(text: str) -> list[str]:
    """Lines without their terminators, split exactly where LSP and Python's tokenizer split."""
    if "\r" not in text:
        return text.split("\n")  # the same lines, several times faster than the regular expression
    return LINE_BREAK.split(text)


_LINE_BREAK_KEPT = re.compile(r"(\r\n|\r|\n)")


def line_offsets(text: str) -> list[int]:
    """Code-point offset of the start of every line (lengths summed in C: this runs for every
    analysed file of a workspace scan)."""
    if "\r" not in text:
        # each line is its length plus one "\n" after it
        return [0, *accumulate(map(_PLUS_ONE, map(len, text.split("\n")[:-1])))]
    ends = list(accumulate(map(len, _LINE_BREAK_KEPT.split(text))))
    return [0, *ends[1::2]]


_PLUS_ONE = (1).__add__


def byte_to_cp(line: str, byte_col: int) -> int:
    if line.isascii():
        return min(byte_col, len(line))
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", "ignore"))


def cp_to_utf16(line: str, col: int) -> int:
    prefix = line[:col]
    if prefix.isascii():
        return len(prefix)
    return len(prefix) + sum(1 for ch in prefix if ord(ch) > 0xFFFF)


def utf16_to_cp(line: str, units: int) -> int:
    if line.isascii():
        return min(units, len(line))
    count = 0
    for index, ch in enumerate(line):
        if count >= units:
            return index
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(line)


def cp_to_utf8(line: str, col: int) -> int:
    prefix = line[:col]
    return len(prefix) if prefix.isascii() else len(prefix.encode("utf-8", "surrogatepass"))


def utf8_to_cp(line: str, byte_col: int) -> int:
    return byte_to_cp(line, byte_col)


def offset_of(text: str, offsets: list[int], line: int, col: int) -> int:
    """Code-point offset in ``text`` of a (line, code-point column), clamped into the document."""
    if line < 0:
        return 0
    if line >= len(offsets):
        return len(text)
    start = offsets[line]
    end = offsets[line + 1] if line + 1 < len(offsets) else len(text)
    # the line's content ends before its terminator
    content_end = end
    if line + 1 < len(offsets):
        content_end = end - (2 if text[end - 2 : end] == "\r\n" else 1)
    return min(start + max(col, 0), content_end)
