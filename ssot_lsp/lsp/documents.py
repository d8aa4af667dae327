"""Open documents: a text store with LSP line splitting and exact incremental edits.

pygls' own ``TextDocument`` splits lines with ``str.splitlines`` (which also breaks on form feeds,
``\\u2028`` and friends), so incremental edits after such characters land in the wrong place.
This store splits only on ``\\r\\n``, ``\\r`` and ``\\n`` -- the way LSP and Python's tokenizer do --
and converts positions in the negotiated encoding (UTF-16, UTF-8 or UTF-32) to code points.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lsprotocol import types

from ssot_lsp.core.facts import FileFacts
from ssot_lsp.core.partial.incremental import StatementCache
from ssot_lsp.core.text import (
    Span,
    cp_to_utf8,
    cp_to_utf16,
    line_offsets,
    utf8_to_cp,
    utf16_to_cp,
)
from ssot_lsp.core.violations import Violation

if TYPE_CHECKING:
    from ssot_lsp.lsp.folder import Folder, Placement

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


class LineIndex:
    """Line starts of a text; converts (line, column in an encoding) <-> code-point offsets."""

    __slots__ = ("offsets", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.offsets = line_offsets(text)

    def line_count(self) -> int:
        return len(self.offsets)

    def line(self, line: int) -> str:
        """The content of a line, without its terminator ('' past the end)."""
        if line < 0 or line >= len(self.offsets):
            return ""
        start = self.offsets[line]
        if line + 1 < len(self.offsets):
            end = self.offsets[line + 1]
            end -= 2 if self.text[end - 2:end] == "\r\n" else 1
        else:
            end = len(self.text)
        return self.text[start:end]

    # -- encoding-aware columns ----------------------------------------------------------------
    def to_cp_col(self, line: int, character: int, encoding: str) -> int:
        content = self.line(line)
        if encoding == UTF16:
            col = utf16_to_cp(content, character)
        elif encoding == UTF8:
            col = utf8_to_cp(content, character)
        else:
            col = character
        return max(0, min(col, len(content)))

    def from_cp_col(self, line: int, col: int, encoding: str) -> int:
        if encoding == UTF32:
            return col
        content = self.line(line)
        if content.isascii():
            return col
        if encoding == UTF16:
            return cp_to_utf16(content, col)
        return cp_to_utf8(content, col)

    # -- offsets ----------------------------------------------------------------------------------
    def offset(self, line: int, character: int, encoding: str) -> int:
        """Code-point offset of an LSP position, clamped into the document."""
        if line < 0:
            return 0
        if line >= len(self.offsets):
            return len(self.text)
        return self.offsets[line] + self.to_cp_col(line, character, encoding)

    def cp_position(self, offset: int) -> tuple[int, int]:
        """(line, code-point column) of a code-point offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.offsets, offset) - 1
        return line, offset - self.offsets[line]

    def position(self, offset: int, encoding: str) -> tuple[int, int]:
        line, col = self.cp_position(offset)
        return line, self.from_cp_col(line, col, encoding)

    def lsp_range(self, span: Span, encoding: str) -> tuple[int, int, int, int]:
        return (span.line, self.from_cp_col(span.line, span.col, encoding),
                span.end_line, self.from_cp_col(span.end_line, span.end_col, encoding))


def shift_span(span: Span, start: tuple[int, int], end: tuple[int, int], new_text: str,
               joins_line_break: bool | None = None) -> Span | None:
    """Move a code-point span through one edit that replaced [start, end) by ``new_text``.

    Spans before the edit stay, spans after it move; spans overlapping the edit are dropped.
    An edit can also join a lone ``\r`` before it with a ``\n`` (``\r\n`` is one line break),
    which removes a line the arithmetic below does not see: ``joins_line_break`` says whether it
    does (the caller knows the text); when unknown, an edit that could do so drops later spans.
    """
    s, e = (span.line, span.col), (span.end_line, span.end_col)
    if e <= start:
        return span
    if s < end:
        return None
    if joins_line_break is None:
        joins_line_break = start[1] == 0 and start[0] > 0 and (new_text.startswith("\n") or not new_text)
    if joins_line_break:
        return None
    lines = new_text.count("\n") + new_text.count("\r") - new_text.count("\r\n")
    last = len(new_text) - max(new_text.rfind("\n"), new_text.rfind("\r")) - 1 if lines else len(new_text)

    def move(pos: tuple[int, int]) -> tuple[int, int]:
        line, col = pos
        if line == end[0]:
            base_col = last if lines else start[1] + last
            return start[0] + lines, base_col + (col - end[1])
        return line + lines - (end[0] - start[0]), col

    (l1, c1), (l2, c2) = move(s), move(e)
    return Span(l1, c1, l2, c2)


@dataclass(frozen=True)
class DocumentAnalysis:
    """The results of one analysis of a document's text (replaced, never changed)."""

    version: int | None
    text: str  # the very string analysed: ``Document.analysis_is_current`` compares identity
    violations: list[Violation]  # everything the rules found (fix verification needs them all)
    visible: list[Violation]  # those the workspace baseline does not accept: what is reported
    facts: FileFacts | None  # of the last text that parsed (this one, when ``parsed``); None: never
    parsed: bool  # this text parsed (fixes and cross-file facts need a text that parses)


TextChange = types.TextDocumentContentChangePartial | types.TextDocumentContentChangeWholeDocument


@dataclass(eq=False)
class Document:
    uri: str
    path: str
    text: str
    version: int | None
    place: Placement  # its folder and module: set at open, again when folders or configuration change
    analysis: DocumentAnalysis | None = None
    # the last violations of a text that parsed, moved through every edit since: shown (with the
    # syntax error) while the buffer does not parse
    last_good: list[Violation] = field(default_factory=list)
    too_large_reported: bool = False
    # parsed top-level statements of the last analysed text: an edit re-parses only what it touched
    statements: StatementCache = field(default_factory=StatementCache, repr=False)
    _lines: LineIndex | None = field(default=None, repr=False)

    @property
    def folder(self) -> Folder:
        return self.place.folder

    @property
    def lines(self) -> LineIndex:
        if self._lines is None or self._lines.text is not self.text:
            self._lines = LineIndex(self.text)
        return self._lines

    @property
    def analysis_is_current(self) -> bool:
        analysis = self.analysis
        return analysis is not None and analysis.text is self.text and analysis.version == self.version

    @property
    def visible(self) -> list[Violation]:
        """The reported violations of the last analysis (call ``Session.ensure_current`` first)."""
        return self.analysis.visible if self.analysis is not None else []

    def replace_text(self, text: str) -> None:
        """The whole text is new (an open, a full change, a save that carried other text)."""
        self.text = text
        self.last_good = []

    def apply_change(self, change: TextChange, encoding: str) -> None:
        """Apply one ``TextDocumentContentChangeEvent`` (incremental or whole-document)."""
        if isinstance(change, types.TextDocumentContentChangeWholeDocument):
            self.replace_text(change.text)
            return
        rng = change.range
        index = self.lines
        start = index.offset(rng.start.line, rng.start.character, encoding)
        end = index.offset(rng.end.line, rng.end.character, encoding)
        if end < start:
            start, end = end, start
        start_pos, end_pos = index.cp_position(start), index.cp_position(end)
        before = self.text
        self.text = before[:start] + change.text + before[end:]
        # a lone CR before the edit meeting an LF after it (or typed) becomes one line break
        joins = start > 0 and before[start - 1] == "\r" and (
            (change.text or before[end:end + 1]).startswith("\n"))
        joins = joins or (change.text.endswith("\r") and before[end:end + 1] == "\n")
        if self.last_good:
            moved = []
            for violation in self.last_good:
                span = shift_span(violation.span, start_pos, end_pos, change.text, joins)
                if span is not None:
                    moved.append(_with_span(violation, span))
            self.last_good = moved


def _with_span(violation: Violation, span: Span) -> Violation:
    delta = span.line - violation.span.line
    return Violation(code=violation.code, message=violation.message, path=violation.path, span=span,
                     severity=violation.severity, group=violation.group,
                     stmt_line=max(0, violation.stmt_line + delta), symbol=violation.symbol,
                     related=violation.related, payload=violation.payload)


class DocumentStore:
    def __init__(self) -> None:
        self._docs: dict[str, Document] = {}

    def add(self, doc: Document) -> None:
        self._docs[doc.uri] = doc

    def get(self, uri: str) -> Document | None:
        return self._docs.get(uri)

    def close(self, uri: str) -> Document | None:
        return self._docs.pop(uri, None)

    def by_path(self, path: str) -> Document | None:
        norm = os.path.normcase(os.path.abspath(path))
        for doc in self._docs.values():
            if os.path.normcase(os.path.abspath(doc.path)) == norm:
                return doc
        return None

    def __iter__(self) -> Iterator[Document]:
        return iter(list(self._docs.values()))

    def __len__(self) -> int:
        return len(self._docs)
