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
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ssot_lsp.core.facts import FileFacts
from ssot_lsp.core.partial.statements import Lexed, StatementStarts
from ssot_lsp.core.wordsearch import find_all

# (plain needles, word needles, names needles are reached through, watched names, path, module, is_package)
Context = tuple[tuple[str, ...], frozenset[str], frozenset[str], frozenset[str], str, str, bool]


def digest(source: str) -> bytes:
    import hashlib  # here: ``check`` replays nothing, and hashlib loads OpenSSL (3 ms before its first read)

    return hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@dataclass(frozen=True)
class Replay:
    """One run of ``partial_facts``: what it depended on, and the facts it gave."""

    context: Context
    rounds: tuple[tuple[bytes, frozenset[str]], ...]  # each round: its assembled text's digest, the names it bound
    facts: FileFacts
    # what lexing the text found: the next version's lexing starts from it where their texts agree,
    # whatever else differs (``StatementStarts``)
    lexed: Lexed | None = None


@dataclass
class PartialMemo:
    """Handed to ``partial_facts`` for one file: the record of the run on its previous version (or
    None), and this run's record once it returns facts."""

    previous: Replay | None = None
    recorded: Replay | None = None
    replayed: bool = False  # whether this run parsed nothing
    _rounds: list[tuple[bytes, frozenset[str]]] = field(default_factory=list)
    _unparsed: list[str] = field(default_factory=list)  # the assembled texts of the rounds replayed

    def lexed(self) -> Lexed | None:
        """What lexing the previous version found (asked before ``start``, which may drop the record)."""
        return self.previous.lexed if self.previous is not None else None

    def start(self, context: Context, text: str) -> None:
        previous = self.previous
        if previous is not None and previous.context != context and not _widened_unused(previous.context, context, text):
            self.previous = None

    def digest(self, source: str) -> bytes:
        return digest(source)

    def bindings(self, source: str) -> tuple[bytes, frozenset[str] | None]:
        """(the digest of a round's assembled text, the names its statements bind when the recorded
        run had the same round; None: parse it)."""
        found = self.digest(source)
        previous, index = self.previous, len(self._rounds)
        if previous is not None and index < len(previous.rounds) and previous.rounds[index][0] == found:
            self._unparsed.append(source)
            return found, previous.rounds[index][1]
        self.previous = None  # diverged: the later rounds are parsed
        return found, None

    def note(self, found: bytes, bound: frozenset[str]) -> None:
        self._rounds.append((found, bound))

    def unparsed(self) -> list[str]:
        """The assembled texts of the rounds replayed: to be parsed when the run ends otherwise than
        the recorded one."""
        return self._unparsed

    def final_facts(self) -> FileFacts | None:
        """The recorded facts when every round was the recorded one (then so are the extraction's
        inputs: the chosen statements are those of the rounds, the call roots the names they bound)."""
        previous = self.previous
        if previous is None or len(self._rounds) != len(previous.rounds):
            return None
        return previous.facts

    def record(self, context: Context, facts: FileFacts, starts: StatementStarts) -> None:
        self.recorded = Replay(context, tuple(self._rounds), facts, starts.lexed())


def _widened_unused(recorded: Context, context: Context, text: str) -> bool:
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
    return not find_all(text, extra, whole_words=True)


class _NoMemo(PartialMemo):
    """No record to replay and none to keep (``check``): nothing is hashed."""

    def digest(self, source: str) -> bytes:
        return b""

    def note(self, found: bytes, bound: frozenset[str]) -> None:
        pass

    def record(self, context: Context, facts: FileFacts, starts: StatementStarts) -> None:
        pass


NO_MEMO = _NoMemo()  # never holds a record: ``previous`` stays None, so ``bindings`` always says parse
