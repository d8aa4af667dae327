"""Statement selection replayed: a file's partial facts from the record of the previous version's run.

``audit --history`` reads a changed file again at each commit that changes it, and most edits leave
the statements that matter as they were (a helper appended that mentions no group name).
``partial_facts`` is a function of its inputs: the statements it parses are chosen round by round,
each round's choice depending on the text and on the names the earlier rounds' statements bind; each
round's statements come from parsing one assembled text (the chosen statements at their own lines,
blank lines elsewhere), and the names they bind from that text, the needles and the names a needle
is reached through (``_attribute_roots``); the facts come from the parsed statements, the text they
were assembled into, the names calls can start from, the needles and the watched names — and from
the whole text only through its suppression comments. A ``Replay`` records those inputs (each
assembled text by its digest) and the facts. The next run on another version of the file still
chooses its statements from the new text, and parses nothing while each round's assembled text is
the recorded one: the same inputs give the same bindings and, when every round was the recorded one,
the same facts, whose suppressions are then read from the new text. From the first round that
differs the run goes on as without a record, and parses the rounds it replayed before extracting the
facts. The record also keeps what lexing the text found (``statements.Lexed``): the next version is
lexed only from the last mark before its first change, whatever else changed. ``check`` passes no
memo: nothing is hashed or kept.

A round is recorded as the digest of its statements' texts (without the blank lines ending them)
and, apart, the lines they start at: the assembled text's tree is a function of the two (each
statement at its line; blank lines between statements are passed over by the tokenizer).
Statements that only moved — lines added or removed above them, the most common edit of all —
keep their texts, so the round still replays: the names a round binds do not depend on where its
statements stand. When every round replays but some statements moved, the facts are the recorded
ones with their lines moved (``moved_facts``): a statement parsed at another line gives the same
tree with its line numbers moved by as much (the parser reads no position; columns stay, lines are
never re-indented), and the extractor is equivariant under such a move — it stores positions it
reads from the tree or from the assembled text's lines (whose contents move with them), compares
them only with one another (order and containment, kept when the statements keep their order,
which is checked) and numbers scopes in the order of the tree. Facts recording a problem (their
spans are not all the statements') are parsed again.
"""

from __future__ import annotations

import bisect
import copy
import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ssot_lsp.core.facts import FileFacts
from ssot_lsp.core.partial.statements import Lexed, StatementStarts
from ssot_lsp.core.text import Span
from ssot_lsp.core.wordsearch import word_matcher

# (plain needles, word needles, names needles are reached through, watched names, path, module, is_package)
Context = tuple[tuple[str, ...], frozenset[str], frozenset[str], frozenset[str], str, str, bool]
# a round: the digest of its statements' texts, the names they bind, the (0-based) lines they start at
Round = tuple[bytes, frozenset[str], tuple[int, ...]]


def digest(source: str) -> bytes:
    import hashlib  # here: ``check`` replays nothing, and hashlib loads OpenSSL (3 ms before its first read)

    return hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@dataclass(frozen=True)
class Replay:
    """One run of ``partial_facts``: what it depended on, and the facts it gave."""

    context: Context
    rounds: tuple[Round, ...]
    facts: FileFacts
    # what lexing the text found: the next version's lexing starts from it where their texts agree,
    # whatever else differs (``StatementStarts``)
    lexed: Lexed | None = None
    # how far the run looked at the text beyond its whole-text searches: a version whose text up to
    # there is this one's replays without running (``scan._replayed_within_reach``); None: lexed whole
    reach: Reach | None = None


@dataclass(frozen=True)
class Reach:
    """Where the recorded run stopped looking at its text (``Replay.reach``): it lexed up to
    ``lexed_to`` (a line start) and found every hit, import line and bound name it used before it;
    ``agreed`` adds how far a match starting before the line break there may reach past it (the
    longest plain needle: ``scan._replayed_within_reach``), ``digest`` is the digest of the text up
    to ``agreed``."""

    lexed_to: int
    agreed: int
    digest: bytes


@dataclass
class PartialMemo:
    """Handed to ``partial_facts`` for one file: the record of the run on its previous version (or
    None), and this run's record once it returns facts."""

    previous: Replay | None = None
    recorded: Replay | None = None
    replayed: bool = False  # whether this run parsed nothing
    _rounds: list[Round] = field(default_factory=list)
    _unparsed: list[list[int]] = field(default_factory=list)  # the statements of the rounds replayed
    _pending: tuple[bytes, tuple[int, ...]] = (b"", ())  # the current round's digest and lines

    def lexed(self) -> Lexed | None:
        """What lexing the previous version found (asked before ``start``, which may drop the record)."""
        return self.previous.lexed if self.previous is not None else None

    def start(self, context: Context, text: str) -> None:
        previous = self.previous
        if previous is not None and previous.context != context and not widened_unused(previous.context, context, text):
            self.previous = None

    def bindings(self, starts: StatementStarts, indexes: list[int]) -> frozenset[str] | None:
        """The names the statements ``indexes`` (a round, ascending) bind when the recorded run had a
        round of the same statements' texts, wherever they stand now; None: parse them."""
        text, offsets = starts.text, starts.offsets
        found = digest("\x00".join([_statement_text(text[offsets[i]:starts.end_of(i)]) for i in indexes]))  # no NUL in text
        self._pending = (found, tuple([starts.lines[i] for i in indexes]))
        previous, index = self.previous, len(self._rounds)
        if previous is not None and index < len(previous.rounds) and previous.rounds[index][0] == found:
            self._unparsed.append(indexes)
            return previous.rounds[index][1]
        self.previous = None  # diverged: the later rounds are parsed
        return None

    def note(self, bound: frozenset[str]) -> None:
        found, lines = self._pending
        self._rounds.append((found, bound, lines))

    def unparsed(self) -> list[list[int]]:
        """The statements of the rounds replayed: to be parsed when the run ends otherwise than the
        recorded one."""
        return self._unparsed

    def final_facts(self) -> FileFacts | None:
        """The recorded facts — their lines moved as the statements moved — when every round was the
        recorded one (then so are the extraction's inputs, but for the lines: the chosen statements
        are those of the rounds, the call roots the names they bound); None: extract them."""
        previous = self.previous
        if previous is None or len(self._rounds) != len(previous.rounds):
            return None
        starts = {old: new for recorded, now in zip(previous.rounds, self._rounds)
                  for old, new in zip(recorded[2], now[2])}
        if all(old == new for old, new in starts.items()):
            return previous.facts
        return moved_facts(previous.facts, starts)

    def record(self, context: Context, facts: FileFacts, starts: StatementStarts, margin: int) -> None:
        """This run's record; ``margin``: how far past the line break ending the text lexed a match
        starting before it may reach (the longest plain needle: see ``Reach``)."""
        lexed_to = starts.lexed_to()
        reach = None
        if lexed_to is not None and lexed_to + margin <= len(starts.text):
            agreed = lexed_to + margin
            reach = Reach(lexed_to, agreed, digest(starts.text[:agreed]))
        self.recorded = Replay(context, tuple(self._rounds), facts, starts.lexed(), reach)

    def replay_within_reach(self, context: Context, facts: FileFacts) -> FileFacts:
        """The run on a text that agrees with the recorded one up to its reach (``Reach``): the
        recorded facts (``facts``: with this text's suppressions), rounds and lexing, in
        ``context`` (the needles may be wider)."""
        previous = self.previous
        assert previous is not None
        self.recorded = Replay(context, previous.rounds, facts, previous.lexed, previous.reach)
        self.replayed = True
        return facts


def _statement_text(chunk: str) -> str:
    """A statement's text without the blank lines that end it (up to the next statement): the
    tokenizer passes over blank lines, so the statement parses alike with any number of them — and
    removing the statement after it (a helper at the end of the file) changes that number. Kept
    whole when a backslash ends its last line: that one would join the line after it."""
    stripped = chunk.rstrip(" \t\f\r\n")
    return chunk if stripped.endswith("\\") else stripped


class _Unmovable(Exception):
    pass


def moved_facts(facts: FileFacts, starts: Mapping[int, int]) -> FileFacts | None:
    """``facts`` of statements that moved: ``starts`` maps the (0-based) first line of each parsed
    statement to its line now, and every position in the facts lies in one of those statements.
    None when the statements did not keep their order or the facts hold a problem (see the module's
    docstring). The suppressions are left as they are: the caller reads them from the new text."""
    if facts.problem is not None:
        return None
    old = sorted(starts)
    new = [starts[line] for line in old]
    if any(a >= b for a, b in zip(new, new[1:])):
        return None
    shifts = [b - a for a, b in zip(old, new)]

    def at(line: int) -> int:
        index = bisect.bisect_right(old, line) - 1
        if index < 0:
            raise _Unmovable
        return line + shifts[index]

    try:
        changes: dict[str, Any] = {name: [_moved(item, at) for item in getattr(facts, name)] for name in _FACT_LISTS}
        changes["all_spans"] = tuple(_moved_span(span, at) for span in facts.all_spans)
    except _Unmovable:
        return None
    return dataclasses.replace(facts, **changes)


# the lists of FileFacts whose items hold positions (``suppressions`` are read from the new text)
_FACT_LISTS = ("imports", "aliases", "classes", "calls", "string_refs", "unbound_refs")
LINE_FIELD = "stmt_line"  # the one position field of the facts that is not a Span
_POSITION_FIELDS: dict[type, tuple[str, ...]] = {}


def position_fields(kind: type) -> tuple[str, ...]:
    """The fields of a fact class that hold a position: a ``Span`` (or None) or ``stmt_line``."""
    found = _POSITION_FIELDS.get(kind)
    if found is None:
        found = _POSITION_FIELDS[kind] = tuple(
            f.name for f in dataclasses.fields(kind)
            if f.name == LINE_FIELD or str(f.type).replace(" ", "") in ("Span", "Span|None"))
    return found


def _moved(item: Any, at: Callable[[int], int]) -> Any:
    """The fact with its positions moved; the same object when none moves."""
    moved: Any = None
    for name in position_fields(type(item)):
        value = getattr(item, name)
        if value is None:
            continue
        now = at(value) if name == LINE_FIELD else _moved_span(value, at)
        if now != value:
            if moved is None:
                moved = copy.copy(item)
            setattr(moved, name, now)
    return item if moved is None else moved


def _moved_span(span: Span, at: Callable[[int], int]) -> Span:
    line, end = at(span.line), at(span.end_line)
    return span if line == span.line and end == span.end_line else Span(line, span.col, end, span.end_col)


def widened_unused(recorded: Context, context: Context, text: str) -> bool:
    """Whether the run's needles are the recorded ones and more word needles that can change nothing
    in this text — then the record holds as if made with them.

    ``audit --history`` reads its first commit with the first round's needles and every later commit
    with the needles the last one ended with (the names discovered since are word needles): without
    this, no file read in the first commit could replay. A word needle enters a run through the
    places it occurs as a whole word (the hits, hence the selection and the names reached through),
    and through the dotted names the parsed statements import from (``_mentions`` splits them on
    dots); those names are written in the text or, for a relative import, start with the file's own
    package. A word found in neither is looked for in vain: the rounds, the names they bind and the
    facts are those the recorded needles give, which is what ``check``'s ``_settle_partial_parses``
    relies on for the files it does not parse again."""
    if recorded[0] != context[0] or recorded[2:] != context[2:] or not recorded[1] <= context[1]:
        return False
    extra = context[1] - recorded[1]
    if not extra.isdisjoint(context[5].split(".")):
        return False
    return not word_matcher(extra)(text)  # one pass that stops at the first (``find_all`` lists them all)


class _NoMemo(PartialMemo):
    """No record to replay and none to keep (``check``): nothing is hashed."""

    def bindings(self, starts: StatementStarts, indexes: list[int]) -> frozenset[str] | None:
        return None

    def note(self, bound: frozenset[str]) -> None:
        pass

    def record(self, context: Context, facts: FileFacts, starts: StatementStarts, margin: int) -> None:
        pass


NO_MEMO = _NoMemo()  # never holds a record: ``previous`` stays None, so ``bindings`` always says parse
