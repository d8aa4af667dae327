"""Find many literals in one text at once: where names occur, as substrings or whole identifiers.

Fact extraction and statement selection ask "which lines mention any of these 20-80 names?" for
every file; a regular expression built per file costs more to compile than to run, so this uses
an Aho-Corasick automaton (ahocorasick-rs) and falls back to `str.find` without it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

try:
    import ahocorasick_rs
except ImportError:  # pragma: no cover - declared dependency; the fallback keeps working
    ahocorasick_rs = None  # type: ignore[assignment]


def _is_ident(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def find_all(text: str, literals: Iterable[str], whole_words: bool) -> list[int]:
    """Sorted start offsets of occurrences (of whole identifiers when ``whole_words``), enough to
    know every line that holds one.

    Matching is non-overlapping (leftmost-longest), three times faster than reporting overlapping
    matches: an occurrence hidden inside an earlier match starts on that match's line (literals
    hold no line break), and a whole-identifier occurrence of an identifier literal is never hidden
    (an earlier-starting match would contain the character before it, a longer one starting with
    it the character after). Literals that are not plain ASCII identifiers keep overlapping matching
    when whole words are asked for.
    """
    literals = [w for w in set(literals) if w]
    if not literals:
        return []
    size = len(text)
    found = []
    if ahocorasick_rs is not None and len(literals) > FEW:
        overlapping = whole_words and not all(w.isascii() and w.isidentifier() for w in literals)
        automaton = _automaton(literals, overlapping)
        matches = automaton.find_matches_as_indexes(text, overlapping=overlapping)
        if not whole_words:
            return sorted(start for _, start, _ in matches)
        for _, start, end in matches:
            # inline `_is_ident` on both sides: most matches of a common name (``mock`` in
            # ``mock_engine``) are rejected here, hundreds of thousands per scan
            if start > 0:
                before = text[start - 1]
                if before.isalnum() or before == "_":
                    continue
            if end < size:
                after = text[end]
                if after.isalnum() or after == "_":
                    continue
            found.append(start)
    else:
        for literal in literals:
            position = text.find(literal)
            while position >= 0:
                end = position + len(literal)
                if not whole_words or not ((position > 0 and _is_ident(text[position - 1]))
                                           or (end < size and _is_ident(text[end]))):
                    found.append(position)
                position = text.find(literal, position + 1)
    found.sort()
    return found


def word_matcher(words: Iterable[str]) -> Callable[[str], bool]:
    """A test ``text -> bool``: does one of ``words`` occur in it as a whole identifier? Built once
    for a set of words that is then tried on many texts."""
    words = [w for w in set(words) if w]
    if not words:
        return lambda text: False
    if ahocorasick_rs is None or not all(w.isascii() and w.isidentifier() for w in words):
        return lambda text: bool(find_all(text, words, whole_words=True))
    automaton = _automaton(words, False)

    def matches(text: str) -> bool:
        size = len(text)
        for _, start, end in automaton.find_matches_as_indexes(text):
            if not ((start > 0 and _is_ident(text[start - 1])) or (end < size and _is_ident(text[end]))):
                return True
        return False

    return matches


# up to this many literals, one fast substring search each beats building an automaton (most calls
# ask for the handful of names a file binds, a different set in nearly every file)
FEW = 4
_AUTOMATA: dict[tuple[frozenset[str], bool], object] = {}


def _automaton(literals: list[str], overlapping: bool) -> Any:
    """One automaton per set of literals: a scan asks about the same needles in every file, and
    building the automaton costs more than running it over one file.

    Built from the literals in sorted order: the order changes how fast it searches (up to 4x: the
    prefilter it picks), and a set's order changes with the hash seed of each run — the search of
    9,300 skipped files' imports for 18 discovered names (``Scan._pending_for``) took 10 ms in half
    the runs of the realistic corpus's check, 35-40 ms in the others. Sorted, it takes the same time
    in every run: the fast one on both realistic corpora, for that search and the needles'."""
    key = (frozenset(literals), overlapping)
    automaton = _AUTOMATA.get(key)
    if automaton is None:
        if len(_AUTOMATA) >= 64:
            _AUTOMATA.clear()
        kind = ahocorasick_rs.MatchKind.Standard if overlapping else ahocorasick_rs.MatchKind.LeftmostLongest
        automaton = _AUTOMATA[key] = ahocorasick_rs.AhoCorasick(sorted(literals), matchkind=kind)
    return automaton


def line_numbers(text: str, offsets: list[int]) -> set[int]:
    """1-based line numbers (``\\r\\n``, ``\\r``, ``\\n`` breaks) of sorted offsets."""
    numbers: set[int] = set()
    line, previous = 1, 0
    for offset in offsets:
        segment = text[previous:offset]
        line += segment.count("\n") + segment.count("\r") - segment.count("\r\n")
        if segment.endswith("\r") and text.startswith("\n", offset):
            line -= 0  # the \r\n pair straddles the boundary: counted once, by the \r
        previous = offset
        numbers.add(line)
    return numbers
