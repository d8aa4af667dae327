"""A partial parse replayed from the record of the previous version's run (``core/partial/replay.py``)
gives exactly the facts a run without a record gives, and parses nothing only when every input of
the facts is the recorded one.

Each test parses a first version with a memo, then a second version with the record, and
compares the outcome with a run on the second version without one.
"""

from __future__ import annotations

import copy
import dataclasses
import random

import pytest

from ssot_lsp.core import facts as facts_module
from ssot_lsp.core.partial import statements
from ssot_lsp.core.partial.replay import LINE_FIELD, PartialMemo, position_fields
from ssot_lsp.core.partial.scan import partial_facts

pytestmark = pytest.mark.skipif(not statements.ENABLED, reason="statement selection is off on Python 3.12+")

NEEDLES = frozenset({"ExecutionEngine", "execution_engine"})
FILLER = "".join(f"def _normalise_{i}(value):\n    return str(value).strip()\n\n\n" for i in range(40))
HEADER = ("from app.agents.execution_engine import ExecutionEngine as Engine\nfrom app.agents import registry\n\n\n"
          "TIMEOUT = 30\n\n\n")
USER = ("def build(context):\n    return Engine(context, timeout=TIMEOUT)\n\n\n"
        "class Runner(Engine):\n    pass\n\n\n" + FILLER.replace("_normalise_", "_check_")
        + "def run(context):\n    return Runner(context)\n\n\n")
VERSION_1 = HEADER + FILLER + USER + FILLER.replace("_normalise_", "_format_")


def parse(text: str, memo: PartialMemo | None = None):
    facts = partial_facts(text, "/w/app/service.py", "app.service", False, NEEDLES, memo=memo)
    assert facts is not None, "the file must take the statement-selection path"
    return facts


def replayed(edited: str, original: str = VERSION_1) -> tuple[PartialMemo, object]:
    first = PartialMemo()
    parse(original, first)
    assert first.recorded is not None and not first.replayed
    second = PartialMemo(first.recorded)
    return second, parse(edited, second)


def test_a_helper_appended_that_mentions_nothing_is_replayed_without_parsing():
    memo, facts = replayed(VERSION_1 + "def _tidy_tenant_7(value):\n    return value.lower()\n")
    assert memo.replayed
    assert facts == parse(VERSION_1 + "def _tidy_tenant_7(value):\n    return value.lower()\n")


def test_suppressions_added_outside_the_selected_statements_are_read_from_the_new_text():
    """Suppressions are read from the whole text, not from the statements that matter."""
    edited = VERSION_1.replace("def _normalise_2(value):\n    return str(value).strip()\n",
                               "def _normalise_2(value):\n    return str(value).strip()  # ssot: ignore-file\n")
    edited = edited.replace("def _format_3(value):\n    return str(value).strip()\n",
                            "def _format_3(value):\n    return str(value).strip()  # ssot: ignore[SSOT001]\n")
    memo, facts = replayed(edited)
    assert memo.replayed
    assert facts == parse(edited)
    assert facts.ignore_file and [s.codes for s in facts.suppressions] == [frozenset({"SSOT001"})]


def test_an_edit_in_a_selected_statement_is_parsed_again():
    edited = VERSION_1.replace("Engine(context, timeout=TIMEOUT)", "Engine(context, timeout=TIMEOUT * 2)")
    memo, facts = replayed(edited)
    assert not memo.replayed
    assert facts == parse(edited)


def test_a_statement_chosen_in_the_third_round_that_changed_is_parsed_again_with_the_rounds_before():
    """``Runner`` (round 2: it mentions ``Engine``, bound in round 1) is a class, so round 3 chooses
    ``run``, which mentions it: the first two rounds are replayed, the third differs, so all three
    are parsed and the facts are the new ones."""
    edited = VERSION_1.replace("return Runner(context)", "return Runner(context, retries=3)")
    memo, facts = replayed(edited)
    assert not memo.replayed
    assert facts == parse(edited) != parse(VERSION_1)
    assert len(memo.recorded.rounds) == 3


def test_a_run_that_ends_a_round_earlier_than_the_recorded_one_is_parsed():
    """The statement of the third round is gone: the first two rounds are those recorded, but the
    facts must lose what the third gave."""
    edited = VERSION_1.replace("def run(context):\n    return Runner(context)\n", "def run(context):\n    return 1\n")
    memo, facts = replayed(edited)
    assert not memo.replayed
    assert facts == parse(edited) != parse(VERSION_1)


MOVES = {
    # the blank lines ending a statement (up to the next statement's start) change nothing parsed
    "a blank line added after a selected statement": ("\n\n\nTIMEOUT", "\n\n\n\nTIMEOUT"),
    "a helper added above selected statements": ("def _normalise_5(value):",
                                                  "def _normalise_5b(value):\n    pass\n\n\ndef _normalise_5(value):"),
}


@pytest.mark.parametrize("before, after", MOVES.values(), ids=MOVES.keys())
def test_statements_that_only_moved_replay_with_their_lines_moved(before, after):
    edited = VERSION_1.replace(before, after)
    memo, facts = replayed(edited)
    assert memo.replayed
    assert facts == parse(edited) != parse(VERSION_1)


def test_a_statement_ending_in_a_backslash_is_parsed_again_when_its_blank_lines_change():
    """There the line after the backslash belongs to the statement."""
    text = VERSION_1.replace("from app.agents import registry\n", "from app.agents import registry \\\n")
    edited = text.replace("registry \\\n\n\n", "registry \\\n\n\n\n")
    memo, facts = replayed(edited, text)
    assert not memo.replayed
    assert facts == parse(edited)


def test_statements_moved_by_lines_removed_above_them_replay_with_their_lines_moved():
    """A helper removed between selected statements (the commonest edit of a history): the rounds
    are the same statements' texts at other lines, so nothing is parsed and the facts are the
    recorded ones with every position below the helper moved up."""
    edited = VERSION_1.replace("def _check_3(value):\n    return str(value).strip()\n\n\n", "")
    memo, facts = replayed(edited)
    assert memo.replayed
    assert facts == parse(edited) != parse(VERSION_1)
    assert any(c.span.line != before.span.line for c, before in zip(facts.calls, parse(VERSION_1).calls))


def test_moved_facts_are_new_objects_where_they_moved_and_the_recorded_ones_elsewhere():
    """The record's facts are not changed (a later version may replay them again)."""
    first = PartialMemo()
    before = parse(VERSION_1, first)
    kept = copy.deepcopy(before)
    second = PartialMemo(first.recorded)
    parse(VERSION_1.replace("def _check_3(value):\n    return str(value).strip()\n\n\n", ""), second)
    assert second.replayed
    assert before == kept
    assert second.recorded.facts.imports[0] is before.imports[0]  # above the edit: not moved, not copied


def test_other_needles_do_not_replay():
    first = PartialMemo()
    parse(VERSION_1, first)
    second = PartialMemo(first.recorded)
    facts = partial_facts(VERSION_1, "/w/app/service.py", "app.service", False, NEEDLES | {"\\bregistry"}, memo=second)
    assert not second.replayed
    assert facts == partial_facts(VERSION_1, "/w/app/service.py", "app.service", False, NEEDLES | {"\\bregistry"})


def parse_as(text: str, module: str, needles: frozenset[str], memo: PartialMemo | None = None):
    facts = partial_facts(text, "/w/" + module.replace(".", "/") + ".py", module, False, needles, memo=memo)
    assert facts is not None, "the file must take the statement-selection path"
    return facts


def replayed_with(text: str, module: str, more: frozenset[str]) -> tuple[PartialMemo, object]:
    """The record of a run with ``NEEDLES``, replayed on the same text with ``more`` needles too
    (``audit --history``: the first commit is read with the first round's needles, later ones with
    the names discovered since)."""
    first = PartialMemo()
    parse_as(text, module, NEEDLES, first)
    second = PartialMemo(first.recorded)
    return second, parse_as(text, module, NEEDLES | more, second)


def test_word_needles_added_that_the_text_never_uses_replay_and_give_the_wider_needles_facts():
    more = frozenset({"\\blegacy_engine_module", "\\b_legacy_ee"})
    memo, facts = replayed_with(VERSION_1, "app.service", more)
    assert memo.replayed
    assert facts == parse_as(VERSION_1, "app.service", NEEDLES | more)
    assert memo.recorded is not None and memo.recorded.context[1] == {"legacy_engine_module", "_legacy_ee"}


def test_a_word_needle_added_that_the_text_uses_is_parsed_again():
    memo, facts = replayed_with(VERSION_1, "app.service", frozenset({"\\bregistry", "\\b_legacy_ee"}))
    assert not memo.replayed
    assert facts == parse_as(VERSION_1, "app.service", NEEDLES | {"\\bregistry", "\\b_legacy_ee"})


RELATIVE = VERSION_1.replace("from app.agents import registry\n", "from .tools import make_registry\n")


def test_a_word_needle_added_that_names_the_files_own_package_is_parsed_again():
    """``from .tools import …`` in ``legacy_bridge.service`` imports from ``legacy_bridge.tools``:
    the word is in no line of the text, yet that import now mentions a needle."""
    more = frozenset({"\\blegacy_bridge"})
    memo, facts = replayed_with(RELATIVE, "legacy_bridge.service", more)
    assert not memo.replayed
    assert facts == parse_as(RELATIVE, "legacy_bridge.service", NEEDLES | more) \
        != parse_as(RELATIVE, "legacy_bridge.service", NEEDLES)


# -- random histories: every version replayed from the last one's record equals a run without one ------
BLOCKS = [
    "from app.agents.execution_engine import ExecutionEngine\n",
    "from app.agents.execution_engine import ExecutionEngine as Engine\n",
    "from app.agents import registry\n",
    "import app.agents.execution_engine as ee\n",
    "TIMEOUT = 30\n",
    "Alias = Engine\n",
    "def build(context):\n    return Engine(context, timeout=TIMEOUT)\n",
    "def make(context):\n    engine = ExecutionEngine(context)\n    return engine.run()\n",
    "async def serve(context):\n    return await ee.ExecutionEngine.create(context)\n",
    "class Runner(Engine):\n    def go(self):\n        return Alias(self)\n",
    "class Plain:\n    pass\n",
    "def run(context):\n    return Runner(context)\n",
    "def patched():\n    from unittest.mock import patch\n    return patch('app.agents.execution_engine.ExecutionEngine.run')\n",
    "if TYPE_CHECKING:\n    from app.agents.execution_engine import ExecutionEngine as Hinted\n",
    "def _normalise(value):\n    return str(value).strip()\n",
    "def _tidy(value):\n    return value.lower()  # ssot: ignore[SSOT001]\n",
    "VALUES = [\n    1,\n    2,\n]\n",
    "DEFAULT = ExecutionEngine \\\n    if TIMEOUT else None\n",
    "LIMIT = 3  # the engine's limit\n# a comment line after it\n",
    "def _wrap(value):\n    return value \\\n\n",
    "\"\"\"A string\nover lines.\"\"\"\n",
]


def random_block(r: random.Random, choices: list[str]) -> str:
    """A statement and the blank lines after it (part of its text up to the next statement)."""
    return r.choice(choices) + "\n" * r.choice((0, 1, 2, 2, 3))


def random_edit(r: random.Random, blocks: list[str]) -> list[str]:
    blocks = list(blocks)
    for _ in range(r.choice((1, 1, 2, 3))):
        kind = r.random()
        at = r.randrange(len(blocks) + 1)
        if kind < 0.35 or len(blocks) < 12:  # a block added (most often a helper that mentions nothing)
            blocks.insert(at, random_block(r, BLOCKS[-4:] if r.random() < 0.6 else BLOCKS))
        elif kind < 0.75:  # a block removed
            del blocks[min(at, len(blocks) - 1)]
        elif kind < 0.85:  # its blank lines changed (blank, or holding spaces)
            at = min(at, len(blocks) - 1)
            blocks[at] = blocks[at].rstrip("\n") + r.choice(("\n", "\n  \n", "\n\n\n", "\n\t\n\n"))
        else:  # a block replaced
            blocks[min(at, len(blocks) - 1)] = random_block(r, BLOCKS)
    return blocks


@pytest.mark.parametrize("seed", range(40))
def test_randomly_edited_versions_replayed_from_the_last_record_equal_runs_without_one(seed):
    r = random.Random(seed)
    blocks = [random_block(r, BLOCKS) for _ in range(r.randrange(20, 40))] + [BLOCKS[-4] + "\n\n"] * 30
    r.shuffle(blocks)
    record = None
    moved = 0
    for _ in range(12):
        text = "".join(blocks)
        memo = PartialMemo(record)
        facts = partial_facts(text, "/w/app/service.py", "app.service", False, NEEDLES, memo=memo)
        assert facts == partial_facts(text, "/w/app/service.py", "app.service", False, NEEDLES)
        if facts is not None:
            record = memo.recorded
            moved += memo.replayed and facts != memo.previous.facts
        blocks = random_edit(r, blocks)
    assert moved, "the history must move statements that replay"


def test_every_position_a_fact_holds_is_one_moved_facts_moves():
    """A position field added to the facts under another name would keep its old line in replayed
    facts: fields holding a Span or a line are ``stmt_line`` or typed ``Span`` (or ``Span | None``),
    those ``position_fields`` finds; the facts' own spans are ``all_spans``; suppressions and a
    problem are never moved (read from the new text; facts with a problem are parsed again)."""
    for kind in (facts_module.ImportFact, facts_module.AliasFact, facts_module.ClassFact, facts_module.NameRefFact,
                 facts_module.CallFact, facts_module.StringRefFact):
        positional = {f.name for f in dataclasses.fields(kind) if "Span" in str(f.type) or "line" in f.name}
        assert positional == set(position_fields(kind)) and LINE_FIELD in positional, kind
    outer = {f.name for f in dataclasses.fields(facts_module.FileFacts) if "Span" in str(f.type) or "line" in f.name}
    assert outer == {"all_spans"}
