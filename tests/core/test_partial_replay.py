"""A partial parse replayed from the record of the previous version's run (``core/partial/replay.py``)
gives exactly the facts a run without a record gives, and parses nothing only when every input of
the facts is the recorded one.

Each test parses a first version with a memo, then a second version with the record, and
compares the outcome with a run on the second version without one.
"""

from __future__ import annotations

import pytest

from ssot_lsp.core.partial import statements
from ssot_lsp.core.partial.replay import PartialMemo
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


def replayed(edited: str) -> tuple[PartialMemo, object]:
    first = PartialMemo()
    parse(VERSION_1, first)
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


def test_lines_moved_below_the_first_statement_are_parsed_again():
    edited = VERSION_1.replace("\n\n\nTIMEOUT", "\n\n\n\nTIMEOUT")
    memo, facts = replayed(edited)
    assert not memo.replayed
    assert facts == parse(edited)


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
