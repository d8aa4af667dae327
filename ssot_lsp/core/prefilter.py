"""The prefilter: which files can matter at all, decided on bytes before anything is parsed.

A file that contains none of the needles — the configured names of each group, the literals its
patterns require, and the names later discovered to be bound to a group's symbols — cannot
produce a finding, so a scan skips it (keeping only its import lines, see ``import_lines``).
``discovered_needles`` widens the needles after each round until nothing new appears
(``ssot_lsp.core.scan``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from functools import partial
from typing import Any, cast

from ssot_lsp.config.model import Config
from ssot_lsp.config.regex_safety import required_literals
from ssot_lsp.core.classify import Classifier, Duplicate, group_modules, modules_of
from ssot_lsp.core.facts import FileFacts
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.rules.context import short

WORD = "\\b"  # marks a needle that must match a whole identifier


# Modules a group names: every definition in them matters (and what they no longer define), so a
# scan always reads them, whole.
whole_modules = group_modules


def watch_names(config: Config) -> frozenset[str]:
    """The names whose unbound uses facts record (SSOT011, ``core/unbound.py``): every group's
    canonical and legacy class names. Each spells a needle of ``base_needles``."""
    names: set[str] = set()
    for group in config.groups:
        names.add(group.canonical_name)
        names.update(short(symbol) for symbol in group.legacy_symbols)
    return frozenset(name for name in names if name.isidentifier())


# a suppression directive must be seen to be reported unused (SSOT010), so a file holding one is
# analysed whatever else it mentions. The pattern follows the exact grammar of
# ``core/suppressions.py`` up to the codes: `# ssot: ignore` / `ignore-file` ending the comment or
# followed by `[`, and a `# noqa:` list naming an SSOT code. A looser test (the word "ssot") let
# through most files of a monorepo that writes "SSOT" in its prose comments and docstrings (issue
# 10). It may still match inside a string: over-inclusive, never missing a directive.
SUPPRESSION = re.compile(
    rb"#[ \t]*(?:ssot:[ \t]*ignore(?:-file)?(?:\[|[ \t]*(?:#|\r|\n|\Z))|noqa[ \t]*:[^\r\n]*ssot[0-9])",
    re.IGNORECASE)


def holds_suppression(data: bytes) -> bool:
    """Whether ``data`` may hold a suppression directive (see ``SUPPRESSION``)."""
    return SUPPRESSION.search(data) is not None


def base_needles(config: Config) -> set[str] | None:
    """Literals one of which every violating file must contain; None disables the prefilter."""
    needles: set[str] = set()
    for group in config.groups:
        needles.add(group.canonical_name)
        # a string naming a group module (a patch of a deleted module or a removed attribute, SSOT011)
        needles.update(m.rpartition(".")[2] for m in modules_of(group))
        needles.update(s.rpartition(":")[2].rpartition(".")[2] for s in group.legacy_symbols)
        needles.update(group.compat_constructors)
        needles.update(group.needles)
        for pattern in (group.class_pattern, group.method_pattern):
            if pattern is not None:
                literals = required_literals(pattern)
                if literals is None and not group.needles:
                    return None
                needles.update(literals or ())
    # a module `__getattr__` may bind any name: whether a module still binds a group's class name
    # (SSOT011) is only known when such modules are read
    needles.add("def __getattr__")
    return reduce_needles(needles)


def reduce_needles(needles: AbstractSet[str]) -> set[str]:
    """Drop needles made redundant by another: a file holding the longer one holds the shorter too.

    Word needles (discovered names, marked with ``WORD``) match whole identifiers only, so a plain
    needle inside one makes it redundant, but a word needle never makes anything else redundant.
    """
    plain = sorted((n for n in needles if not n.startswith(WORD)), key=len)
    kept: list[str] = []
    for needle in plain:
        if not any(shorter in needle for shorter in kept):
            kept.append(needle)
    words = {n for n in needles if n.startswith(WORD) and not any(p in n[len(WORD):] for p in kept)}
    return set(kept) | words


ImportPayload = tuple[bool, str, "str | None"]  # an import binding's (is_from, source, imported)
# an own import's answer: whether it stops outside the analysed files, whether it reaches a role
OwnImport = Callable[[ImportPayload], "tuple[bool, bool | None]"]


def discovered_needles(index: WorkspaceIndex, classifier: Classifier, all_facts: Iterable[FileFacts],
                        settled: set[tuple[str, str]] | None = None,
                        own_import: OwnImport | None = None) -> tuple[set[str], dict[str, set[str]]]:
    """Names that can reach a group symbol without spelling any configured needle.

    Sound because a file that uses a legacy symbol must name it: either by a configured needle
    (its class name or its module's name), or through a name some non-legacy module binds to it
    (re-export, alias, star import) — those names are collected here — or through a subclass
    discovered as a duplicate, whose class name is collected too. Names bound inside legacy
    modules are reached through the legacy module's own name, already a needle.

    Returns the needles and, per name, the last components of the modules binding it: a file
    can only use the name by importing it or one of those modules.

    ``settled`` (kept across the rounds of one scan) collects the (module, name) imports whose
    resolution stopped at a module outside the analysed files without reaching a group: later
    rounds only add files, so such an import resolves the same way until its source module is
    analysed — the rounds skip it until then (a file parsed again must drop its entries).

    ``own_import(payload)``: what ``own_import_answer`` answers for an import of the file's own,
    when the caller shares those answers beyond this call (``audit --history`` calls it file by
    file); None: each distinct import is resolved once per call.
    """
    names: set[str] = set()
    importers: dict[str, set[str]] = {}
    # a file's own import: whether it stops outside, whether it reaches a role — the same for every
    # file holding the same import (37,000 import bindings, 1,100 distinct imports in the realistic
    # corpus's analysed files); each is resolved once, as the index's memo would answer after that
    answer = own_import or _memoised(partial(own_import_answer, index, classifier))
    for facts in all_facts:
        tail = facts.module.rpartition(".")[2]
        if classifier.legacy_module_group(facts.module) is None:
            # the file's own bindings, unless a file of the same module shadows it in the index
            own = index.holds(facts)
            for name, (kind, payload) in facts.bindings.items():
                # a class, def or plain value binds itself; only the listed ones (already
                # configured needles) have a role, so only imports and aliases need resolving
                if kind != "import" and kind != "alias" or name.startswith("__"):
                    continue
                if own and kind == "import":
                    outside, reaches = answer(cast(ImportPayload, payload))
                else:
                    outside, reaches = kind == "import" and _stops_outside(index, cast(ImportPayload, payload)), None
                key = (facts.module, name)
                if outside and settled is not None and key in settled:
                    continue
                if reaches is None:
                    reaches = classifier.role(index.resolve_name(facts.module, name)) is not None
                if reaches:
                    names.add(WORD + name)
                    importers.setdefault(name, set()).add(tail)
                elif outside and settled is not None:
                    settled.add(key)
        for cls in facts.classes:
            if any(d.kind in (Duplicate.DEFINITION, Duplicate.NAME) for d in classifier.discover(facts.module, cls)):
                names.add(WORD + cls.name)
                importers.setdefault(cls.name, set()).add(tail)
    return names, importers


def _memoised(own_import: OwnImport) -> OwnImport:
    answers: dict[ImportPayload, tuple[bool, bool | None]] = {}

    def answer(payload: ImportPayload) -> tuple[bool, bool | None]:
        known = answers.get(payload)
        if known is None:
            known = answers[payload] = own_import(payload)
        return known

    return answer


def own_import_answer(index: WorkspaceIndex, classifier: Classifier,
                      payload: ImportPayload) -> tuple[bool, bool | None]:
    """Whether an import stops outside the analysed files (``_stops_outside``), and whether it
    reaches a role: resolved from its payload, what resolve_name would find for the name it binds
    in the module indexed for its file, without looking the binding up again."""
    return _stops_outside(index, payload), classifier.role(index.resolve_import(payload, 1)) is not None


def _stops_outside(index: WorkspaceIndex, payload: ImportPayload) -> bool:
    """An import whose resolution does not look at any analysed file: ``import a.b`` (the module
    itself), or a from-import out of a module that is not analysed."""
    _, source, imported = payload
    return imported is None or index.get(source) is None


def import_lines(data: bytes, positions: Iterable[int] | None = None) -> str:
    """The lines of the file's import statements (parenthesised and backslash-continued imports
    followed to their end), one text: what decides, when a later round discovers new names, whether
    a skipped file could use them. ``positions``: where "import" occurs in ``data``, in order, when
    already known (``skipped_import_lines``).

    Over-inclusive on purpose (a line mentioning "import" in a string counts too). Kept as text and
    searched only when a round needs it: splitting every skipped file into words up front cost
    twice as much.
    """
    parts = []
    size = len(data)
    find = data.find
    end = 0
    for position in _occurrences(data, b"import") if positions is None else positions:
        if position < end:
            continue  # on a line already taken (a continued import)
        start = data.rfind(b"\n", 0, position) + 1
        end = find(b"\n", position)
        if end < 0:
            end = size
        opening = find(b"(", start, end)
        if opening >= 0 and find(b")", start, end) < 0:
            close = find(b")", end)
            end = close if close >= 0 else size
        else:
            while end < size and data[end - 1] in _CONTINUED and data[start:end].rstrip(b"\r").endswith(b"\\"):
                following = find(b"\n", end + 1)
                end = following if following >= 0 else size
        parts.append(data[start:end])
    return b"\n".join(parts).decode("utf-8", "replace")


_CONTINUED = frozenset(b"\\\r")  # the last byte of a line a backslash continues


def _occurrences(data: bytes, literal: bytes) -> Iterator[int]:
    position = data.find(literal)
    while position >= 0:
        yield position
        position = data.find(literal, position + len(literal))


def _case_variants(word: str) -> list[bytes]:
    return [bytes(letters) for letters in itertools.product(*({ord(c.lower()), ord(c.upper())} for c in word))]


# What a skipped file is searched for, in one pass: every "import" (its import lines) and the
# literals no suppression directive can do without, in any case ("ssot:" or "noqa", see
# ``SUPPRESSION``). "import" cannot overlap either, so the non-overlapping matches are every occurrence.
_ANCHORS = (b"import", *_case_variants("ssot:"), *_case_variants("noqa"))
_ANCHOR_AUTOMATA: list[Any] = []


def skipped_import_lines(data: bytes) -> str | None:
    """What a scan keeps of a file that holds no needle: its import lines (``import_lines``), or None
    when it must be read all the same — for a star import (it binds names no needle spells) or what
    may be a suppression directive (it must be seen to be reported unused).

    One automaton pass finds both, where searching for "import" and then matching ``SUPPRESSION``
    at every comment took three times as long on the realistic corpus (most files are skipped)."""
    automaton = _anchor_automaton()
    if automaton is None:  # pragma: no cover - the dependency is declared; keep working without it
        lines = import_lines(data)
        return None if STAR_IMPORT_TEXT.search(lines) or holds_suppression(data) else lines
    matches = automaton.find_matches_as_indexes(data)
    imports = [start for anchor, start, _ in matches if anchor == 0]
    if len(imports) != len(matches) and holds_suppression(data):
        return None
    lines = import_lines(data, imports)
    return None if STAR_IMPORT_TEXT.search(lines) else lines


def _anchor_automaton() -> Any:
    if not _ANCHOR_AUTOMATA:
        try:
            import ahocorasick_rs
        except ImportError:  # pragma: no cover
            _ANCHOR_AUTOMATA.append(None)
        else:
            _ANCHOR_AUTOMATA.append(ahocorasick_rs.BytesAhoCorasick(
                list(_ANCHORS), matchkind=ahocorasick_rs.MatchKind.LeftmostFirst))
    return _ANCHOR_AUTOMATA[0]


_IDENTIFIER = re.compile(r"[^\W\d]\w*")


def import_words(data: bytes) -> frozenset[str]:
    """Every identifier in the file's import lines (see ``import_lines``), every "import" found by the
    skipped files' automaton in one pass in C (``skipped_import_lines``): 36 -> 20 ms of CPU for the
    1,700 analysed files of the realistic corpus, against a ``bytes.find`` per occurrence."""
    automaton = _anchor_automaton()
    positions = None if automaton is None else [
        start for anchor, start, _ in automaton.find_matches_as_indexes(data) if anchor == 0]
    return frozenset(_IDENTIFIER.findall(import_lines(data, positions)))


# (plain automaton, word automaton, plain needles, (word, its pattern) pairs); no automata without ahocorasick-rs
Encoded = tuple[Any, Any, tuple[bytes, ...], tuple[tuple[bytes, "re.Pattern[bytes]"], ...]]
_ENCODED: dict[frozenset[str], Encoded] = {}
_IDENT_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") | frozenset(range(128, 256))
# star imports bind names without spelling them, so such files always pass the prefilter
# (searched in a file's ``import_lines``: a star import is on one of them, a continued line followed)
STAR_IMPORT_TEXT = re.compile(r"import[ \t\\\r\n(]*\*")


def mentions(data: bytes, needles: AbstractSet[str]) -> bool:
    """Whether ``data`` holds a plain needle, or a word needle as a whole identifier."""
    plain_automaton, words_automaton, plain, words = _encoded(needles)
    if plain_automaton is not None:
        # non-overlapping, leftmost: lets the automaton skip ahead with its prefilter (3.5x faster
        # than reporting overlapping matches); any plain match answers the question
        if plain_automaton.find_matches_as_indexes(data):
            return True
        if words_automaton is None:
            return False
        # word needles are identifiers: an occurrence that is a whole identifier cannot overlap an
        # earlier-starting match (that one would contain the byte before the identifier) nor lose to
        # a longer one starting with it (that would contain the byte after), so leftmost-longest
        # non-overlapping matching still reports every whole-identifier occurrence
        size = len(data)
        for _, start, end in words_automaton.find_matches_as_indexes(data):
            if (start == 0 or data[start - 1] not in _IDENT_BYTES) and (end == size or data[end] not in _IDENT_BYTES):
                return True
        return False
    if any(n in data for n in plain):
        return True
    return any(literal in data and pattern.search(data) for literal, pattern in words)


def _encoded(needles: AbstractSet[str]) -> Encoded:
    """Needles compiled once per set: an Aho-Corasick automaton (ahocorasick-rs) for the plain needles
    and one for the word needles each scan a file in a single pass; without the package, one
    substring search per needle."""
    key = frozenset(needles)
    found = _ENCODED.get(key)
    if found is None:
        plain = tuple(sorted((n.encode() for n in needles if not n.startswith(WORD)), key=len))
        words = tuple((n[len(WORD):].encode(),
                       re.compile(rb"(?<![\w])" + re.escape(n[len(WORD):].encode()) + rb"(?![\w])"))
                      for n in sorted(needles) if n.startswith(WORD))
        try:
            import ahocorasick_rs

            plain_automaton: Any = ahocorasick_rs.BytesAhoCorasick(
                plain, matchkind=ahocorasick_rs.MatchKind.LeftmostFirst)
            words_automaton: Any = ahocorasick_rs.BytesAhoCorasick(
                [w for w, _ in words], matchkind=ahocorasick_rs.MatchKind.LeftmostLongest) if words else None
        except ImportError:  # pragma: no cover - the dependency is declared; keep working without it
            plain_automaton = words_automaton = None
        found = (plain_automaton, words_automaton, plain, words)
        _ENCODED.clear()
        _ENCODED[key] = found
    return found
