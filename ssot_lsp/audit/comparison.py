"""Findings against a baseline, by fingerprint: what was fixed, what is new, what remains.

A baseline accepts a number of occurrences per (path, code, fingerprint) key (``core/baseline``);
``check`` reports only what it does not accept. The audit wants all three sides: the findings the
baseline accepts (remaining), those it does not (new, decided exactly as ``check`` decides them),
and the occurrences it accepts that no longer occur (fixed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ssot_lsp.audit.sites import Site
from ssot_lsp.core import baseline as core


@dataclass(frozen=True)
class FixedEntry:
    path: str
    code: str
    count: int
    message: str  # the message recorded with the entry ('' when the baseline has none)


@dataclass
class RuleDelta:
    remaining: int = 0
    new: int = 0
    fixed: int = 0


@dataclass
class Comparison:
    source: str  # the baseline file, as shown
    recorded: int  # occurrences the baseline accepts
    remaining: int
    new: int
    fixed: int
    by_rule: dict[str, RuleDelta] = field(default_factory=dict)
    new_sites: list[Site] = field(default_factory=list)
    fixed_entries: list[FixedEntry] = field(default_factory=list)


def compare(baseline: core.Baseline, items: Sequence[core.Keyed], sites: Sequence[Site], source: str,
            entries: Sequence[tuple[core.Key, int]] | None = None) -> Comparison:
    """``items[i]`` is the keyed finding of ``sites[i]``. ``entries``: the baseline's counts, sorted,
    from a caller comparing many states with one baseline (``audit --history``)."""
    new, _ = core.filter_new(baseline, items)
    new_ids = {id(v) for v in new}
    by_rule: dict[str, RuleDelta] = {}
    new_sites = []
    matched: Counter[core.Key] = Counter()
    for item, site in zip(items, sites):
        delta = by_rule.get(site.code)
        if delta is None:
            delta = by_rule[site.code] = RuleDelta()
        if id(item.violation) in new_ids:
            delta.new += 1
            new_sites.append(site)
        else:
            delta.remaining += 1
            matched[item.key] += 1
    fixed_entries = []
    for key, count in sorted(baseline.counts.items()) if entries is None else entries:
        left = count - matched.get(key, 0)
        if left > 0:
            path, code, _ = key
            by_rule.setdefault(code, RuleDelta()).fixed += left
            fixed_entries.append(FixedEntry(path, code, left, baseline.notes.get(key, "")))
    return Comparison(source=source, recorded=baseline.occurrences, remaining=len(items) - len(new_sites),
                      new=len(new_sites), fixed=sum(e.count for e in fixed_entries),
                      by_rule=dict(sorted(by_rule.items())), new_sites=new_sites, fixed_entries=fixed_entries)
