"""Lexing a file's next version from what lexing its previous version found (``StatementStarts``
with ``previous``): every call answers exactly what lexing the text from scratch answers — the same
starts, the same lines, complete or not, lexed as far, the same error — whatever changed, and
only the text from the last mark before the first change is lexed again.

``audit --history`` reads a changed file at each commit that changes it; most edits leave most of
the text as it was (a helper appended, a block removed near the end).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from ssot_lsp.core.partial import statements
from ssot_lsp.core.partial.replay import PartialMemo
from ssot_lsp.core.partial.scan import partial_facts

ROOT = Path(__file__).resolve().parents[2]

# whole statements that hide or fake a statement start (strings holding brackets and quotes,
# comments, continuations, decorators, else), mostly; and now and then a piece that unbalances
# what follows: a bracket, a quote, a triple quote that never closes (an edit closing it changes
# how everything before it reads)
STATEMENTS = ["x = 1\n", "y = (1,\n2)\n", "def f():\n    pass\n", "a = 'a(b'\n", "# (\n", '"""doc\n(\n"""\n',
              "@d\ndef g():\n    return [\n1]\n", "if a:\n    pass\nelse:\n    pass\n", "s = 'it\\'s'\n",
              "t = f'{x}'\n", "u = \\\n  2\n", "\t\n", "\x0c\n", "class C:\n    x = {\n}\n", "import os\n",
              "try:\n    pass\nexcept E:\n    pass\n", "r = r'\\'\n", 'q = "q\\""\n', "\n", "w = '''a\n'''\n"]
HAZARDS = ["(", ")", "[", "}", "'", '"', "'''", '"""', "\\", "'''a'", '"""b"', "''", "#", " ", "\n", "else:", "@d"]


def fragment(r: random.Random) -> str:
    return r.choice(HAZARDS) if r.random() < 0.12 else r.choice(STATEMENTS)


Step = tuple[str, int]  # ("cover", offset) or ("at_least", count)


def lex(text: str, steps: list[Step], previous: statements.Lexed | None = None):
    """What each step leaves (starts, lines, complete, how far lexed, the next window) or the error
    that ends the lexing; and the lexing, when it ended without one."""
    seen: list[object] = []
    try:
        starts = statements.StatementStarts(text, previous=previous)
    except statements.ChunkError as exc:  # lexed whole at once (non-ASCII text)
        return [("error", str(exc))], None
    for kind, value in steps:
        try:
            starts.cover(value) if kind == "cover" else starts.at_least(value)
        except statements.ChunkError as exc:
            return seen + [("error", str(exc))], None
        seen.append((list(starts.offsets), list(starts.lines), starts.complete, starts._position, starts._window))
    return seen, starts


def random_steps(r: random.Random, text: str) -> list[Step]:
    return [(r.choice(["cover", "cover", "at_least"]), r.randint(0, len(text) + 5)) for _ in range(r.randint(1, 4))]


def edited(r: random.Random, text: str) -> str:
    """``text`` with a span replaced by a few fragments (an insertion, a deletion or a replacement)."""
    start = r.randint(0, len(text))
    end = min(len(text), start + r.randint(0, 30))
    return text[:start] + "".join(fragment(r) for _ in range(r.randint(0, 4))) + text[end:]


def assert_versions_lex_alike(r: random.Random, versions: list[str]) -> int:
    """Each version lexed from the record of the one before equals it lexed from scratch; how many
    resumed from a mark."""
    record = None
    resumed = 0
    for text in versions:
        steps = random_steps(r, text)
        expected, _ = lex(text, steps)
        found, starts = lex(text, steps, record)
        assert found == expected, (text, steps)
        resumed += starts is not None and starts._marked > 0
        record = starts.lexed() if starts is not None else None
    return resumed


@pytest.mark.parametrize("seed", range(4))
def test_randomly_edited_versions_lex_as_from_scratch(seed, monkeypatch):
    r = random.Random(seed)
    resumed = 0
    for _ in range(1500):
        monkeypatch.setattr(statements, "MARK_SPACING", r.choice([1, 3, 10, 40]))
        monkeypatch.setattr(statements, "_FIRST_WINDOW", r.choice([1, 2, 5, 13, 50]))
        versions = ["".join(fragment(r) for _ in range(r.randint(0, 60)))]
        for _ in range(3):
            versions.append(edited(r, versions[-1]))
        resumed += assert_versions_lex_alike(r, versions)
    assert resumed > 20  # the records were used, not only made


def _project_files() -> list[Path]:
    files = sorted((ROOT / "ssot_lsp").rglob("*.py"))
    return [path for path in files if path.stat().st_size > 2000][::4]


def test_edited_project_files_lex_as_from_scratch(monkeypatch):
    """Real files, edited where a person edits: lines inserted, removed, appended."""
    monkeypatch.setattr(statements, "MARK_SPACING", 256)
    r = random.Random(7)
    lines_to_insert = ["\n", "x = 1\n", "def helper(value):\n    return value\n", '"""\n', "'''\n", "# (\n",
                       "    pass\n", ")\n", "@decorator\n", "else:\n"]
    files = _project_files()
    assert len(files) > 20
    for path in files:
        text = path.read_text()
        versions = [text]
        for _ in range(4):
            lines = versions[-1].splitlines(keepends=True)
            at = r.randint(0, len(lines))
            lines[at:at + r.randint(0, 3)] = r.sample(lines_to_insert, r.randint(0, 3))
            versions.append("".join(lines))
        assert_versions_lex_alike(r, versions)


def test_a_triple_quote_that_an_edit_closes_makes_the_starts_after_it_unsound():
    """'''a' never closing is read as an empty string and 'a' when the rest is lexed at once; once
    an edit closes it, everything up to the close is one string: no start after it may be reused."""
    before = "x = 1\n'''a'\ny = 2\nz = 3\n"
    after = before + "'''\n"
    steps: list[Step] = [("cover", len(after))]
    _, first = lex(before, steps)
    assert first is not None and first.lines == [0, 1, 2, 3]
    record = first.lexed()
    assert list(record.offsets) == [0]  # the start at 'a' and after it are not kept
    assert lex(after, steps, record)[0] == lex(after, steps)[0]


def _lexed_characters(monkeypatch) -> list[int]:
    counted: list[int] = []
    masked = statements._masked

    def counting(piece, tokens):
        counted.append(len(piece))
        return masked(piece, tokens)

    monkeypatch.setattr(statements, "_masked", counting)
    return counted


def test_a_helper_appended_lexes_only_the_end_again(monkeypatch):
    text = (ROOT / "ssot_lsp" / "core" / "partial" / "statements.py").read_text()
    first = statements.StatementStarts(text)
    first.cover(len(text))
    record = first.lexed()
    counted = _lexed_characters(monkeypatch)
    for serial in range(3):  # each version from the record of the one before, as a history reads them
        text += f"\n\ndef _normalise_{serial}(value):\n    return str(value).strip()\n"
        counted.clear()
        again = statements.StatementStarts(text, previous=record)
        again.cover(len(text))
        assert 0 < sum(counted) < statements.MARK_SPACING * 3
        whole = statements.StatementStarts(text, lazy=False)
        assert (again.offsets, again.lines) == (whole.offsets, whole.lines)
        record = again.lexed()


def test_a_change_at_the_top_lexes_everything_again(monkeypatch):
    text = (ROOT / "ssot_lsp" / "core" / "partial" / "statements.py").read_text()
    first = statements.StatementStarts(text)
    first.cover(len(text))
    counted = _lexed_characters(monkeypatch)
    changed = "import os\n" + text
    again = statements.StatementStarts(changed, previous=first.lexed())
    again.cover(len(changed))
    assert sum(counted) >= len(changed)


NEEDLES = frozenset({"ExecutionEngine", "execution_engine"})
SERVICE = ("from app.agents.execution_engine import ExecutionEngine as Engine\n\n\n"
           + "".join(f"def _normalise_{i}(value):\n    return str(value).strip()\n\n\n" for i in range(60))
           + "def build(context):\n    return Engine(context)\n")


@pytest.mark.skipif(not statements.ENABLED, reason="statement selection is off on Python 3.12+")
@pytest.mark.parametrize("edit", ["append", "middle", "top"])
def test_partial_facts_of_a_version_lexed_from_the_last_record_are_those_without_one(edit):
    def read(text: str, memo: PartialMemo | None):
        return partial_facts(text, "/w/app/service.py", "app.service", False, NEEDLES, memo=memo)

    first = PartialMemo()
    assert read(SERVICE, first) is not None and first.recorded is not None and first.recorded.lexed is not None
    helper = "def tidy(value):\n    return Engine(value)\n\n\n"
    middle = SERVICE.index("def _normalise_30")
    text = {"append": SERVICE + helper, "middle": SERVICE[:middle] + helper + SERVICE[middle:],
            "top": "import os\n" + SERVICE}[edit]
    assert read(text, PartialMemo(first.recorded)) == read(text, None)


LINES = "".join(f"value_{i} = compute({i})\n" for i in range(400))


def _lexed_as_far_as(text: str, offset: int, previous: statements.Lexed | None = None) -> statements.StatementStarts:
    starts = statements.StatementStarts(text, previous=previous)
    starts.cover(offset)
    return starts


def test_a_version_lexed_in_pieces_is_marked_in_every_piece_taken(monkeypatch):
    half = len(LINES) // 2
    first = _lexed_as_far_as(LINES, half)
    assert not first.complete  # lexed in pieces, not to the end
    record = first.lexed()
    assert record.offsets[record.marks[-1]] > half - statements.MARK_SPACING
    counted = _lexed_characters(monkeypatch)
    again = _lexed_as_far_as(LINES + "tail = 1\n", half, record)
    assert sum(counted) < 2 * statements.MARK_SPACING + statements._FIRST_WINDOW
    assert again.offsets == first.offsets


def test_a_version_whose_end_does_not_lex_cleanly_keeps_the_marks_before_it():
    """A quote no string takes ends the clean part; what was resumed before it stays marked."""
    first = _lexed_as_far_as(LINES, len(LINES))
    broken = LINES + 'message = "never closed\n'
    again = _lexed_as_far_as(broken, len(broken), first.lexed())
    assert again.complete and again._marked
    kept = again.lexed()
    # all but the mark lexing resumed from: its start is found again in the part that did not lex cleanly
    assert len(kept.marks) == again._marked - 1 > 0
    assert kept.digests == first.lexed().digests[:len(kept.digests)]


def test_a_mark_whose_start_an_edit_moved_is_dropped_and_marks_are_made_again_from_there(monkeypatch):
    first = _lexed_as_far_as(LINES, len(LINES)).lexed()
    mark = first.offsets[first.marks[len(first.marks) // 2]]
    indented = LINES[:mark] + "    " + LINES[mark:]  # an indented line starts no statement
    second = _lexed_as_far_as(indented, len(indented), first).lexed()
    counted = _lexed_characters(monkeypatch)
    third = indented + "tail = 1\n"
    _lexed_as_far_as(third, len(third), second)
    assert sum(counted) < 2 * statements.MARK_SPACING
