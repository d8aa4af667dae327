"""A version of a file that agrees with the recorded one up to where the recorded run stopped looking
(``Reach``) and adds nothing the run would find after it replays without running
(``scan._replayed_within_reach``), and gives exactly the facts a run without a record gives.

Each test parses a first version with a memo, then a second version with its record, and compares
the outcome with a run on the second version without one.
"""

from __future__ import annotations

import random

import pytest

from ssot_lsp.core.partial import statements
from ssot_lsp.core.partial.replay import PartialMemo
from ssot_lsp.core.partial.scan import partial_facts

pytestmark = pytest.mark.skipif(not statements.ENABLED, reason="statement selection is off on Python 3.12+")

NEEDLES = frozenset({"ExecutionEngine", "execution_engine"})
PATH, MODULE = "/w/app/service.py", "app.service"
HEADER = ("from app.agents.execution_engine import ExecutionEngine as Engine\nfrom app.agents import registry\n\n\n"
          "TIMEOUT = 30\n\n\n"
          "def build(context):\n    return Engine(context, timeout=TIMEOUT, fallback=LegacyEngine)\n\n\n"
          "class Runner(Engine):\n    pass\n\n\n"
          "class Indexer(Engine):\n    pass\n\n\n"
          "def run(context):\n    return Runner(context)\n\n\n")
# a long tail of helpers that mention nothing: the run stops lexing long before its end
TAIL = "".join(f"def _normalise_{i}(value):\n    return str(value).strip()\n\n\n" for i in range(300))
VERSION_1 = HEADER + TAIL


def run(text: str, memo: PartialMemo | None = None, needles: frozenset[str] = NEEDLES):
    return partial_facts(text, PATH, MODULE, False, needles, memo=memo)


def within_reach(memo: PartialMemo) -> bool:
    """Whether the run replayed without running: it kept the record's rounds and lexing as they were."""
    return (memo.previous is not None and memo.recorded is not None
            and memo.recorded.rounds is memo.previous.rounds and memo.recorded.lexed is memo.previous.lexed)


def second_run(edited: str, original: str = VERSION_1, needles: frozenset[str] = NEEDLES,
               recorded_with: frozenset[str] = NEEDLES):
    first = PartialMemo()
    assert run(original, first, recorded_with) is not None
    assert first.recorded is not None and first.recorded.reach is not None, "the first run must not lex it all"
    second = PartialMemo(first.recorded)
    return second, run(edited, second, needles)


def test_a_helper_appended_at_the_end_replays_within_reach():
    edited = VERSION_1 + "def _tidy(value):\n    return value.lower()\n"
    memo, facts = second_run(edited)
    assert within_reach(memo) and memo.replayed
    assert facts == run(edited)


def test_the_record_of_a_replay_within_reach_replays_the_next_version_too():
    edited = VERSION_1 + "def _tidy(value):\n    return value.lower()\n"
    memo, _ = second_run(edited)
    third = PartialMemo(memo.recorded)
    facts = run(edited + "def _tidy_2(value):\n    return value\n", third)
    assert within_reach(third)
    assert facts == run(edited + "def _tidy_2(value):\n    return value\n")


EDITS_FOUND_AFTER_THE_REACH = {
    "a needle": "def late(context):\n    return ExecutionEngine(context)\n",
    "a plain needle inside a word": "def late(context):\n    return my_execution_engine_helper(context)\n",
    "a name a round bound": "def late(context):\n    return Engine(context)\n",
    "a name bound in the second round": "def late(context):\n    return Runner(context)\n",
    "a bound name holding part of a needle": "def late(context):\n    return Indexer(context)\n",
    "an import line": "from app.agents import late_tools\n",
    "a module __getattr__": "def __getattr__(name):\n    return name\n",
}


def test_a_plain_needle_holding_the_line_break_where_the_lexing_stopped_runs_again():
    """A configured needle may hold a line break: one found across the end of the text lexed."""
    lexed_to = second_run(VERSION_1)[0].previous.reach.lexed_to
    needles = NEEDLES | {VERSION_1[lexed_to - 3:lexed_to] + "def _late"}
    first = PartialMemo()
    run(VERSION_1, first, needles)
    assert first.recorded.reach.lexed_to == lexed_to  # the needle, found nowhere, changed nothing
    edited = VERSION_1[:lexed_to] + "def _late(value):\n    return value\n\n\n" + VERSION_1[lexed_to:]
    memo = PartialMemo(first.recorded)
    facts = run(edited, memo, needles)
    assert not within_reach(memo)
    assert facts == run(edited, needles=needles)


EDITS_OF_THE_WHOLE_TEXT = {
    "a non-ASCII character (lexed whole)": "def _tidy(value):\n    return value or 'café'\n",
    "a carriage return (lexed line by line)": "def _tidy(value):\r\n    return value\r\n",
    "a star import": "def _tidy(value):\n    from os.path import *\n",
}


APPENDED_AND_RUN_AGAIN = EDITS_FOUND_AFTER_THE_REACH | EDITS_OF_THE_WHOLE_TEXT


@pytest.mark.parametrize("appended", APPENDED_AND_RUN_AGAIN.values(), ids=APPENDED_AND_RUN_AGAIN.keys())
def test_what_a_search_finds_after_the_reach_or_what_changes_how_the_whole_text_is_read_runs_again(appended):
    edited = VERSION_1 + appended
    memo, facts = second_run(edited)
    assert not within_reach(memo)
    assert facts == run(edited)


EDITS_BEFORE_THE_REACH = {
    "in a selected statement": ("timeout=TIMEOUT", "timeout=TIMEOUX"),  # the same length: the lines stay
    "in a helper": ("_normalise_3(value)", "_normalise_3b(value)"),
}


@pytest.mark.parametrize("before, after", EDITS_BEFORE_THE_REACH.values(), ids=EDITS_BEFORE_THE_REACH.keys())
def test_an_edit_before_the_reach_runs_again(before, after):
    edited = VERSION_1.replace(before, after) + "def _tidy(value):\n    return value\n"
    memo, facts = second_run(edited)
    assert not within_reach(memo)
    assert facts == run(edited)


def test_a_text_cut_before_the_end_of_what_was_agreed_runs_again():
    first = PartialMemo()
    run(VERSION_1, first)
    reach = first.recorded.reach
    edited = VERSION_1[:reach.agreed - 1]
    memo, facts = second_run(edited)
    assert not within_reach(memo)
    assert facts == run(edited)


def test_suppressions_appended_after_the_reach_are_read_from_the_new_text():
    edited = VERSION_1 + "def _tidy(value):\n    return value  # ssot: ignore[SSOT001]\n# noqa: SSOT002\n"
    memo, facts = second_run(edited)
    assert within_reach(memo)
    assert facts == run(edited)
    assert [s.codes for s in facts.suppressions] == [frozenset({"SSOT001"}), frozenset({"SSOT002"})]


def test_word_needles_added_that_the_text_never_uses_replay_within_reach_with_the_wider_needles():
    wider = NEEDLES | {"\\blegacy_engine_module"}
    edited = VERSION_1 + "def _tidy(value):\n    return value\n"
    memo, facts = second_run(edited, needles=wider)
    assert within_reach(memo)
    assert facts == run(edited, needles=wider)
    assert memo.recorded.context[1] == {"legacy_engine_module"}


WORDS_ADDED_THAT_ARE_USED = {
    "in the agreed text": ("\\bregistry", "def _tidy(value):\n    return value\n"),
    "in the appended text": ("\\blegacy_engine_module", "def _tidy(value):\n    return legacy_engine_module.make(value)\n"),
}


@pytest.mark.parametrize("word, appended", WORDS_ADDED_THAT_ARE_USED.values(), ids=WORDS_ADDED_THAT_ARE_USED.keys())
def test_a_word_needle_added_that_the_text_uses_runs_again(word, appended):
    edited = VERSION_1 + appended
    memo, facts = second_run(edited, needles=NEEDLES | {word})
    assert not within_reach(memo)
    assert facts == run(edited, needles=NEEDLES | {word})


OTHER_RUNS = {
    "another plain needle": {"needles": NEEDLES | {"registry", "\\bEngine"}},
    "fewer word needles": {"needles": NEEDLES},
    "another module": {"module": "app.service_v2"},
    "another path": {"path": "/w/app/other.py"},
    "a package": {"is_package": True},
    "other watched names": {"watch": frozenset({"LegacyEngine"})},
}


@pytest.mark.parametrize("changed", OTHER_RUNS.values(), ids=OTHER_RUNS.keys())
def test_a_record_of_a_run_with_other_inputs_does_not_replay_within_reach(changed):
    recorded = {"path": PATH, "module": MODULE, "is_package": False, "needles": NEEDLES | {"\\bEngine"},
                "watch": frozenset()}
    now = recorded | changed
    edited = VERSION_1 + "def _tidy(value):\n    return value\n"
    first = PartialMemo()
    partial_facts(VERSION_1, memo=first, **recorded)
    second = PartialMemo(first.recorded)
    facts = partial_facts(edited, memo=second, **now)
    assert not within_reach(second)
    assert facts == partial_facts(edited, **now) != partial_facts(edited, **recorded)


# -- random histories edited mostly at the end: each version from the last record equals a run without one
BLOCKS = [
    "from app.agents.execution_engine import ExecutionEngine\n",
    "from app.agents import registry\n",
    "import app.agents.execution_engine as ee\n",
    "Alias = Engine\n",
    "def make(context):\n    engine = ExecutionEngine(context)\n    return engine.run()\n",
    "def go(context):\n    return Runner(context)\n",
    "def use(context):\n    return ee.ExecutionEngine.create(context)\n",
    "def hidden(context):\n    return build_execution_engine_for(context)\n",
    "def patched():\n    from unittest.mock import patch\n    return patch('app.x.ExecutionEngine.run')\n",
    "def _tidy(value):\n    return value.lower()  # ssot: ignore[SSOT001]\n",
    "def _accented(value):\n    return value or 'café'\n",
    "def _dos(value):\r\n    return value\r\n",
    "def _star():\n    from os.path import *\n",
    "def __getattr__(name):\n    return name\n",
    "VALUES = [\n    1,\n    2,\n]\n",
    "OPEN = [\n",
    "\"\"\"A string\nover lines.\"\"\"\n",
    "def _wrap(value):\n    return value \\\n\n",
    "def _slim(value):\n    return value\n",
] + ["def _plain(value):\n    return str(value).strip()\n"] * 12


def random_block(r: random.Random) -> str:
    return r.choice(BLOCKS) + "\n" * r.choice((0, 1, 2, 2, 3))


def random_edit(r: random.Random, text: str, blocks: list[str]) -> tuple[str, list[str]]:
    """Blocks added or removed at the end (most often), or one line of the tail changed."""
    kind = r.random()
    if kind < 0.45:
        blocks = blocks + [random_block(r) for _ in range(r.choice((1, 1, 2)))]
    elif kind < 0.85 and blocks:
        blocks = blocks[:-r.choice((1, 1, 2))]
    else:
        at = r.randrange(len(TAIL) // 2, len(TAIL))
        text = text[:at] + r.choice(("# note\n", "\n", "x = 1\n", "ee = 2\n")) + text[at:]
    return text, blocks


def replay_random_history(seed: int) -> int:
    """Versions of a random history, each run with the last one's record and compared with a run
    without one; how many replayed within reach."""
    r = random.Random(seed)
    text, blocks = VERSION_1, []
    needles = NEEDLES
    record = None
    within = 0
    for _ in range(14):
        if r.random() < 0.15:  # a name discovered since: a wider set of word needles
            needles = needles | {r.choice(("\\bee", "\\blegacy_engine_module", "\\bgo"))}
        version = text + "".join(blocks)
        memo = PartialMemo(record)
        facts = run(version, memo, needles)
        assert facts == run(version, needles=needles)
        if facts is not None:
            within += within_reach(memo)
            record = memo.recorded
        text, blocks = random_edit(r, text, blocks)
    return within


@pytest.mark.parametrize("seed", range(60))
def test_versions_edited_mostly_at_the_end_and_replayed_from_the_last_record_equal_runs_without_one(seed):
    replay_random_history(seed)


def test_most_versions_of_the_random_histories_replay_within_reach():
    """(Else the histories above would not test the shortcut.)"""
    assert sum(replay_random_history(seed) for seed in range(60)) > 60 * 14 // 3
