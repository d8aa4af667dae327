"""Whether a suppression comment the server would add really suppresses the finding.

"Suppress CODE on this line" appends ``# ssot: ignore[CODE]`` to a line (or extends the directive
there) and is offered only when the result parses and the comment is a directive on that line --
not text inside a multi-line string the line ends in. Reading the directives of the whole file
(``tokenize``, pure Python) and parsing all of it took 300 ms on a 5,000-line file, per request
of a client that cannot resolve edits lazily. The result is parsed through the candidates' shared
statements (``fixes/candidates.py``: only the edited statement is parsed), and the directives are
read from the edited top-level statement alone: a statement found by the statement scanner
tokenizes alone exactly as inside its file.
"""

from __future__ import annotations

import bisect

from ssot_lsp.core.partial.statements import ChunkError, top_level_chunks
from ssot_lsp.core.suppressions import read_suppressions
from ssot_lsp.core.text import line_offsets
from ssot_lsp.fixes.candidates import parse_candidate
from ssot_lsp.lsp.folder import Placement


def suppresses(candidate: str, path: str, place: Placement, line: int, code: str) -> bool:
    """``candidate`` parses and holds a directive suppressing ``code`` on ``line`` (0-based)."""
    try:
        parse_candidate(candidate)
        first, region = _statement_at(candidate, line)
    except (SyntaxError, ValueError, RecursionError, MemoryError, ChunkError):
        return _suppresses_in_whole_file(candidate, path, place, line, code)
    found, _ = read_suppressions(region)
    return any(first + at == line and (codes is None or code in codes) for at, codes, _, _ in found)


def _statement_at(text: str, line: int) -> tuple[int, str]:
    """(first line, text) of the top-level statement holding ``line`` (the text before the first
    statement when it is above it)."""
    firsts = top_level_chunks(text)
    offsets = line_offsets(text)
    index = bisect.bisect_right(firsts, line) - 1
    first = firsts[index] if index >= 0 else 0
    following = index + 1
    end = offsets[firsts[following]] if following < len(firsts) else len(text)
    return first, text[offsets[first]:end]


def _suppresses_in_whole_file(candidate: str, path: str, place: Placement, line: int, code: str) -> bool:
    """The whole file's facts: for texts the statement scanner cannot split, and newer syntax."""
    from ssot_lsp.core.facts import extract_facts

    facts = extract_facts(candidate, path, place.module, place.is_package)
    return facts.parsed and any(s.line == line and (s.codes is None or code in s.codes) for s in facts.suppressions)
