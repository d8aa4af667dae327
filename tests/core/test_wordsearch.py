"""Searching many names at once (``core/wordsearch.py``): the automaton is the same whatever the order
its names come in (a set's order changes with each run's hash seed, and the automaton's speed with
the order of its names)."""

from __future__ import annotations

import ahocorasick_rs
import pytest

from ssot_lsp.core import wordsearch

WORDS = ["legacy_engine_module", "Engine", "ee", "test_heartbeat_edge_cases", "cost_estimate_utils", "_legacy_ee"]


@pytest.fixture
def built(monkeypatch) -> list[list[str]]:
    """The names of every automaton built, in the order it was given them (no automaton cached)."""
    orders: list[list[str]] = []

    class Recording:
        MatchKind = ahocorasick_rs.MatchKind

        @staticmethod
        def AhoCorasick(patterns, **kwargs):  # noqa: N802 - the library's name
            orders.append(list(patterns))
            return ahocorasick_rs.AhoCorasick(patterns, **kwargs)

    monkeypatch.setattr(wordsearch, "ahocorasick_rs", Recording)
    monkeypatch.setattr(wordsearch, "_AUTOMATA", {})
    return orders


def test_a_matcher_is_built_from_its_words_in_the_same_order_whatever_order_they_come_in(built, monkeypatch):
    for words in (WORDS, WORDS[::-1]):
        monkeypatch.setattr(wordsearch, "_AUTOMATA", {})
        matches = wordsearch.word_matcher(words)
        assert matches("from app import ee\n")
        assert not matches("from app import feed, needle\n")  # only whole identifiers
    assert built == [sorted(WORDS), sorted(WORDS)]


def test_a_search_for_many_literals_is_built_the_same_way(built, monkeypatch):
    text = "ee = Engine()\nlegacy_engine_module.run(ee)\n"
    found = []
    for words in (WORDS, WORDS[::-1]):
        monkeypatch.setattr(wordsearch, "_AUTOMATA", {})
        found.append(wordsearch.find_all(text, words, whole_words=True))
    assert found[0] == found[1] == [0, 5, 14, 39]
    assert built == [sorted(WORDS), sorted(WORDS)]
