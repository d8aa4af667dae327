"""What the files' results add up to, kept up to date by the results that changed (``Reuse.collect``).

A commit of the realistic history changes the results of a few dozen of its ~2,000 analysed files;
summing all of them again — the names the prefilter's discovery found, the findings in path order —
cost a pass over every file per round and per commit. Here each sum is kept with counts, so that
a result's change is taken out and put in again.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from ssot_lsp.core.violations import Violation

Change = tuple[str, Any, Any]  # (path, its result before or None, its result now or None)
Discovered = tuple[set[str], dict[str, set[str]]]  # a file's ``discovered_needles``: names, binders' tails per name


class DiscoveredNameCounts:
    """The union of every file's discovered names and binders, as counts of the files giving each."""

    def __init__(self) -> None:
        self.names: Counter[str] = Counter()
        self.tails: dict[str, Counter[str]] = {}  # name -> the binding modules' last components

    def update(self, changes: Sequence[Change]) -> Discovered:
        """Take the changed results in; the union of every file's (fresh sets: the caller may keep them)."""
        for _, old, new in changes:
            if old is not None:
                self._count(old, -1)
            if new is not None:
                self._count(new, 1)
        return set(self.names), {name: set(tails) for name, tails in self.tails.items()}

    def _count(self, found: Discovered, step: int) -> None:
        names, binders = found
        for name in names:
            add_count(self.names, name, step)
        for name, tails in binders.items():
            counts = self.tails.setdefault(name, Counter())
            for tail in tails:
                add_count(counts, tail, step)
            if not counts:
                del self.tails[name]


def add_count(counts: Counter[Any], key: Any, step: int) -> None:
    """``counts[key] += step``, the key dropped at zero (a sum's keys are those with a share)."""
    left = counts[key] + step
    if left:
        counts[key] = left
    else:
        del counts[key]


class OrderedFindings:
    """The paths of the files with findings, in order: every finding of a file is of its path and
    ``analyze`` sorts them, so the files' findings in path order are the scan's sorted findings."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.changed: set[str] = set()  # the paths whose findings changed since ``take_changed``

    def update(self, changes: Sequence[Change]) -> None:
        """Take the changed results in."""
        paths = self.paths
        self.changed.update(change[0] for change in changes)
        for path, old, new in changes:
            if bool(old) == bool(new):
                continue
            at = bisect.bisect_left(paths, path)
            if new:
                paths.insert(at, path)
            else:
                del paths[at]

    def flattened(self, findings: Mapping[str, list[Violation]]) -> list[Violation]:
        """Every finding, sorted as ``Violation.sort_key`` sorts them (``findings``: by path)."""
        return list(itertools.chain.from_iterable(map(findings.__getitem__, self.paths)))  # (flattened in C)

    def take_changed(self) -> set[str]:
        """The paths whose findings are another list than at the last call (``ledger.Ledger``)."""
        out, self.changed = self.changed, set()
        return out
