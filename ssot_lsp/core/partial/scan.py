"""Facts from only the top-level statements that can matter, for workspace scans.

Parsing is most of the cost of a cold scan, and a file that mentions an engine name usually does
so in two or three statements out of hundreds. The file is cut into top-level statements
(``ssot_lsp.core.partial.statements``), and only these are parsed: imports, ``__all__``,
and statements that mention a prefilter needle or a name the file binds to something already
parsed — repeated until no new statement qualifies. The parsed statements are handed to the
normal extractor as one module, with their real line numbers, so facts are identical in every
position they record.

Why this is sound: a statement can only produce a fact a rule uses if it mentions a group name
(a needle) or a name bound by an import, alias or class in the same file; those statements are
exactly the ones selected. Files where that reasoning does not hold are parsed whole: modules a
group names (their every definition matters), files with star imports (names bound invisibly),
and any file where a selected statement does not parse on its own.
"""

from __future__ import annotations

import ast
import bisect
import dataclasses
import keyword
import operator
import re
from collections.abc import Collection, Iterable
from collections.abc import Set as AbstractSet

from ssot_lsp.core.facts import FileFacts, Suppression, extract_facts
from ssot_lsp.core.partial.replay import NO_MEMO, Context, PartialMemo, digest, widened_unused
from ssot_lsp.core.partial.statements import (
    ENABLED,
    ChunkError,
    Lexed,
    StatementStarts,
    leading_text_is_inert,
)
from ssot_lsp.core.suppressions import read_suppressions
from ssot_lsp.core.wordsearch import find_all, word_matcher

# imports and `__all__`, and a module `__getattr__` (it may bind any name: SSOT011 must know)
_IMPORT_OR_ALL = re.compile(r"(?:import|from|__all__|def __getattr__)\b")
_STAR_IMPORT = re.compile(r"import[ \t\\\r\n(]*\*")  # star imports bind names invisibly: parse whole
MIN_LINES_FOR_CHUNKING = 60


def partial_facts(text: str, path: str, module: str, is_package: bool,
                  needles: Collection[str], watch: frozenset[str] = frozenset(),
                  memo: PartialMemo | None = None) -> FileFacts | None:
    """Facts from the statements that matter, or None when the file must be parsed whole.
    ``memo``: the record of the run on the file's previous version, replayed where it still holds
    (``core/partial/replay.py``), and this run's record."""
    if not ENABLED or text.count("\n") < MIN_LINES_FOR_CHUNKING or "\x00" in text or _STAR_IMPORT.search(text):
        return None
    plain = tuple(sorted(n for n in needles if not n.startswith("\\b")))
    words = frozenset(n[2:] for n in needles if n.startswith("\\b"))
    asked = (plain, words, frozenset[str](), watch, path, module, is_package)  # (``through`` comes from the hits)
    if memo is not None and (within := _replayed_within_reach(text, memo, needles, asked)) is not None:
        return within
    hits = find_all(text, plain, whole_words=False) + find_all(text, words, whole_words=True)
    starts = _starts_reaching(text, hits, memo.lexed() if memo is not None else None)
    if starts is None:
        return None
    chunk_starts = starts.offsets

    def chunks_at(offsets: Iterable[int]) -> set[int]:
        return {bisect.bisect_right(chunk_starts, offset) - 1 for offset in offsets}

    selected = {index for index, start in enumerate(chunk_starts) if _IMPORT_OR_ALL.match(text, start)}
    selected |= chunks_at(hits)
    selected.discard(-1)
    through = _attribute_roots(text, hits)
    memo = memo if memo is not None else NO_MEMO
    context = (plain, words, frozenset(through), watch, path, module, is_package)
    memo.start(context, text)

    parsed: set[int] = set()
    statements: list[ast.stmt] = []
    bound: set[str] = set()
    source = ""
    while True:
        indexes = sorted(selected - parsed)
        binds = memo.bindings(starts, indexes)
        source = ""  # more than one round, or none parsed: assembled again below
        if binds is None:
            fresh_source = _assemble(starts, indexes)
            fresh = _parse(fresh_source)
            if fresh is None:
                return None
            statements += fresh
            binds = frozenset(_bindings(fresh, plain, words, through, fresh_source))
            source = fresh_source if not parsed else ""
        memo.note(binds)
        parsed |= selected
        new_bound = binds - bound
        if not new_bound:
            break
        bound |= new_bound
        found_bound = find_all(text, new_bound, whole_words=True)
        try:
            starts.cover(max(found_bound, default=0))
        except ChunkError:
            return None
        more = chunks_at(found_bound) - selected - {-1}
        if not more:
            break
        selected |= more
    recorded = memo.final_facts()
    if recorded is not None:
        found_suppressions, ignore_file = read_suppressions(text)
        facts = dataclasses.replace(recorded, suppressions=[Suppression(*item) for item in found_suppressions],
                                    ignore_file=ignore_file, import_words=frozenset())
        memo.replayed = True
    else:  # the rounds replayed before the run diverged from the record were not parsed yet
        replayed = _parse_all([_assemble(starts, indexes) for indexes in memo.unparsed()])
        if replayed is None:
            return None
        statements += replayed
        statements.sort(key=_LINE)
        tree = ast.Module(body=statements, type_ignores=[])
        facts = extract_facts(text, path, module, is_package, tree=tree,
                              tree_text=source or _assemble(starts, sorted(parsed)), call_roots=bound | words,
                              relevant_module=lambda name: _mentions(name, plain, words), watch=watch)
    facts.partial_needles = frozenset(needles)
    memo.record(context, facts, starts, max(map(len, plain), default=0))
    return facts


def _replayed_within_reach(text: str, memo: PartialMemo, needles: Collection[str], asked: Context) -> FileFacts | None:
    """The facts of a run on ``text`` (``memo`` recording them), ``asked``: its context but for the
    names needles are reached through, when it agrees with the recorded run's text up to
    where that run stopped looking (``Reach``) and adds nothing the run would find after it; None: run.

    ``audit --history`` reads a file again at every commit that changes it, and most edits append or
    remove a helper at the end, past every statement that matters. A run looks at the text in two
    ways. Whole-text searches: its needles (``hits``), the names its rounds bound, the last import
    line, and the prechecks (line count, NUL, star import — made on this text by the caller — and,
    in ``StatementStarts``, whether it holds "\\r" or non-ASCII characters: then it is lexed whole,
    and no record has a reach). Everything else — the lexing, each statement start's import words,
    the statements' texts and lines, the names a needle is reached through — reads the text before
    ``lexed_to``: the lexing stops at the end of the piece holding a start past every hit, import
    line and bound name it used (``cover``), and reads nothing after it (the cut is the line break
    found last), and the rest reads statements it found, or the text before a hit.

    So when this text's first ``agreed`` characters are the recorded one's (same digest), every
    search finds here what it found there up to the line break ending the text lexed, and when none
    finds anything from that line break on, every search finds the same: the run goes through the
    same lexing, rounds and bindings, and ends in the recorded facts, suppressions read from this
    text. A search decides on a match from the text it spans and, for a whole word, the characters
    either side (a non-overlapping search takes the same matches where two texts agree, one after
    the other): what the searches look for holds no line break — identifiers, import words — but
    for a plain needle a configuration may spell with one, so ``agreed`` lies past the text lexed by
    the longest plain needle. Word needles added since the record that this text never uses change
    nothing (``widened_unused``)."""
    previous = memo.previous
    if previous is None or previous.reach is None:
        return None
    reach, recorded = previous.reach, previous.context
    plain, words = asked[0], asked[1]
    if (recorded[0] != plain or recorded[3:] != asked[3:] or "\r" in text
            or not text.isascii() or digest(text[:reach.agreed]) != reach.digest):
        return None
    context = (plain, words, recorded[2], *asked[3:])
    if words != recorded[1] and not widened_unused(recorded, context, text):  # (fewer words: not widened)
        return None
    # from the line break ending the text lexed (a cut of the lexing, in the agreed text): no
    # identifier holds it, so a word found in the tail starts after it, and is checked against it
    after = reach.lexed_to - 1
    tail = text[after:]
    if (find_all(tail, plain, whole_words=False) or _IMPORT_OR_ALL_LINE.search(text, after)
            or word_matcher(words)(tail)):
        return None
    # a bound name holding a plain needle or spelling a word needle has been looked for (and the
    # other names, different in nearly every file, one by one: an automaton would be built per file)
    bound = [name for binds in {binds for _, binds, _ in previous.rounds} for name in binds
             if name not in words and not any(needle in name for needle in plain)]
    if any(_holds_word(tail, name) for name in bound):
        return None
    found_suppressions, ignore_file = read_suppressions(text)
    facts = dataclasses.replace(previous.facts, ignore_file=ignore_file, import_words=frozenset(),
                                suppressions=[Suppression(*item) for item in found_suppressions])
    facts.partial_needles = frozenset(needles)
    return memo.replay_within_reach(context, facts)


def _holds_word(text: str, word: str) -> bool:
    """Whether the identifier ``word`` occurs in ``text`` as a whole identifier."""
    size, length = len(text), len(word)
    position = text.find(word)
    while position >= 0:
        end = position + length
        if not ((position > 0 and _is_ident(text[position - 1])) or (end < size and _is_ident(text[end]))):
            return True
        position = text.find(word, position + 1)
    return False


def _starts_reaching(text: str, hits: list[int], previous: Lexed | None = None) -> StatementStarts | None:
    """The statement starts, lexed as far as the statements holding a hit and every import or
    `__all__` in column 0 reach (the last such line found from the end, without lexing what follows
    it); None when the file must be parsed whole. ``previous``: what lexing the file's previous
    version found, to start from (``StatementStarts``)."""
    try:
        starts = StatementStarts(text, previous=previous)  # lexes a text with "\r" line breaks at once
        starts.at_least(8)
        if len(starts.offsets) < 8:
            return None
        starts.cover(max(max(hits, default=0), _last_import_line(text)))
    except ChunkError:
        return None  # unbalanced brackets, or non-ASCII identifiers a text search could miss
    return starts if leading_text_is_inert(text, starts.offsets[0]) else None


# a line where `_IMPORT_OR_ALL` may match a statement start, from the second line on (searched from
# its line break: the regular-expression engine finds that literal fast, faster than four `rfind`)
_IMPORT_OR_ALL_LINE = re.compile(r"\n(?=import|from|__all__|def __getattr__)")


def _last_import_line(text: str) -> int:
    """An offset at or after the last statement start ``_IMPORT_OR_ALL`` can match (0 if none)."""
    last = 0
    for match in _IMPORT_OR_ALL_LINE.finditer(text):
        last = match.end()
    return last


def _assemble(starts: StatementStarts, indexes: list[int]) -> str:
    """One text of the statements ``indexes`` (ascending) at their own lines, every other line left
    blank: parsed at once, each statement has its real position (one parse instead of one per
    chunk: the calls cost as much as the parsing), and the extractor searches it instead of the
    whole file (every line it looks at is a line of a parsed statement)."""
    text, offsets, lines = starts.text, starts.offsets, starts.lines
    parts: list[str] = []
    line = 0
    for index in indexes:
        first = lines[index]
        chunk = text[offsets[index]:starts.end_of(index)]
        parts.append("\n" * (first - line))
        parts.append(chunk)
        if not chunk.endswith("\n"):  # the last chunk, or one ending in a lone "\r" ("\r\n" is one break)
            parts.append("\n")
        line = lines[index + 1] if index + 1 < len(lines) else first  # nothing follows the last
    return "".join(parts)


def _parse_all(sources: list[str]) -> list[ast.stmt] | None:
    """The statements of each assembled text; None when one does not parse."""
    out: list[ast.stmt] = []
    for source in sources:
        fresh = _parse(source)
        if fresh is None:
            return None
        out += fresh
    return out


def _parse(source: str) -> list[ast.stmt] | None:
    """The statements of an assembled text; None when it does not parse: the caller then parses
    the whole file."""
    try:
        return ast.parse(source).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


_LINE = operator.attrgetter("lineno")


def _mentions(name: str, plain: tuple[str, ...], words: frozenset[str]) -> bool:
    """Whether a dotted name holds a plain needle or has a word needle as one of its parts;
    remembered per name (the same module names come back in file after file of a scan)."""
    key = (plain, words)
    if _MENTIONS_FOR[0] != key:
        _MENTIONS_FOR[0] = key
        _MENTIONS.clear()
    found = _MENTIONS.get(name)
    if found is None:
        found = _MENTIONS[name] = any(n in name for n in plain) or any(part in words for part in name.split("."))
    return found


_MENTIONS: dict[str, bool] = {}
_MENTIONS_FOR: list[tuple[tuple[str, ...], frozenset[str]] | None] = [None]


def _attribute_roots(text: str, hits: list[int]) -> set[str]:
    """The names a needle is reached through as an attribute (``agents.execution_engine.X``: the
    ``agents`` of ``from app import agents``, an import that mentions no needle itself). Python
    allows spaces, line continuations, line breaks and comments around the dots of a chain inside
    brackets (``(agents  # the package\n .ExecutionEngine)``), so the chain is followed back across
    them; where a comment may end the line before, every way of reading it is followed (a ``#``
    can sit in a string), so a root is never missed, at worst one too many is kept."""
    roots: set[str] = set()
    for position in hits:
        holder = _identifier_start(text, position)  # the identifier holding the needle
        before = holder
        while before > 0 and text[before - 1] in " \t\f":
            before -= 1
        if before == 0 or text[before - 1] not in ".\r\n\\":
            continue  # most hits: `import X`, `= X(`, `(X`: no chain (and no walking back for it)
        pending, seen = [holder], {holder}
        while pending:
            start = pending.pop()
            while start > 1 and text[start - 1] == "." and _is_ident(text[start - 2]):
                start = _identifier_start(text, start - 1)  # `agents.execution_engine.X`, the usual spelling
            previous = [found for dot in _code_ends_before(text, start) if dot > 0 and text[dot - 1] == "."
                        for end in _code_ends_before(text, dot - 1) if end > 0 and _is_ident(text[end - 1])
                        for found in [_identifier_start(text, end)]
                        if not keyword.iskeyword(text[found:end])]  # `from .execution_engine import`
            if not previous and start != holder:
                roots.add(text[start:_identifier_end(text, start)])
            for found in previous:
                if found not in seen:
                    seen.add(found)
                    pending.append(found)
    return roots


def _identifier_start(text: str, end: int) -> int:
    while end > 0 and _is_ident(text[end - 1]):
        end -= 1
    return end


def _identifier_end(text: str, start: int) -> int:
    while start < len(text) and _is_ident(text[start]):
        start += 1
    return start


def _code_ends_before(text: str, position: int) -> list[int]:
    """Where the code before ``position`` may end once spaces, line continuations, line breaks and
    a comment ending the line before are passed over: the end of that line, and the place before
    each ``#`` in it (which ``#`` starts the comment, if any, needs a lexer; all are tried)."""
    ends: list[int] = []
    pending = [position]
    seen: set[int] = set()
    while pending:
        at = pending.pop()
        while at > 0 and text[at - 1] in " \t\f\\":
            at -= 1
        if at == 0 or text[at - 1] not in "\r\n":
            ends.append(at)
            continue
        line_end = at - 1 - (text[at - 1] == "\n" and at > 1 and text[at - 2] == "\r")
        line_start = max(text.rfind("\n", 0, line_end), text.rfind("\r", 0, line_end)) + 1
        candidates = [line_end]
        hash_at = text.find("#", line_start, line_end)
        while hash_at != -1:
            candidates.append(hash_at)
            hash_at = text.find("#", hash_at + 1, line_end)
        for candidate in candidates:
            if candidate not in seen:
                seen.add(candidate)
                pending.append(candidate)
    return ends


def _is_ident(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _import_names(node: ast.Import | ast.ImportFrom, plain: tuple[str, ...], words: frozenset[str],
                  through: AbstractSet[str] = frozenset()) -> set[str]:
    """Names an import binds that can reach a group symbol: the import must mention a needle, or
    the name be one a needle is reached through (``through``)."""
    if isinstance(node, ast.Import):
        return {a.asname or a.name.partition(".")[0] for a in node.names
                if _mentions(a.name, plain, words) or (a.asname or a.name.partition(".")[0]) in through}
    whole = _mentions(node.module or "", plain, words)
    return {a.asname or a.name for a in node.names
            if a.name != "*" and (whole or _mentions(a.name, plain, words) or (a.asname or a.name) in through
                                    or (a.asname is not None and _mentions(a.asname, plain, words)))}


def _has_nested_import(node: ast.stmt) -> bool:
    """Cheap pre-check before walking a compound statement for imports: any statement list item
    at any depth that is an import. Iterative over statement lists only (expressions skipped)."""
    stack: list[ast.AST] = [node]
    while stack:
        current = stack.pop()
        for field in ("body", "orelse", "finalbody", "handlers"):
            for child in getattr(current, field, ()) or ():
                if isinstance(child, (ast.Import, ast.ImportFrom)):
                    return True
                if isinstance(child, (ast.stmt, ast.excepthandler)):
                    stack.append(child)
    return False


def _bindings(statements: list[ast.stmt], plain: tuple[str, ...], words: frozenset[str],
              through: AbstractSet[str] = frozenset(), source: str | None = None) -> set[str]:
    """Names the parsed (top-level) statements bind to something a rule may care about: imports at
    any depth, classes and plain assignments at the top. ``source``: the text they were parsed
    from; when each "import" in it belongs to a top-level import statement, no statement holds
    a nested one and none is looked for."""
    names: set[str] = set()
    nested = source is None or source.count("import") > sum(
        isinstance(node, (ast.Import, ast.ImportFrom)) for node in statements)
    for node in statements:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= _import_names(node, plain, words, through)
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        if nested and isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef, ast.If, ast.Try)) \
                and _has_nested_import(node):
            for sub in ast.walk(node):
                if sub is not node and isinstance(sub, (ast.Import, ast.ImportFrom)):
                    names |= _import_names(sub, plain, words, through)
    names.discard("__all__")
    return names
