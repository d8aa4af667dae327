"""The audit's tables of one tree, from its sites: pure, no I/O.

* per group and subject (legacy or duplicate symbol, or the canonical class bypassing its factory):
  sites per rule, files, production and test sites;
* per top-level directory (``depth`` components), production and tests apart;
* what the migration broke (the rule ``BROKEN_CODE``, SSOT011);
* against a baseline: fixed, new, remaining (``comparison``).

Columns come from the rule registry: a new rule's findings appear without an edit here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ssot_lsp.audit.comparison import Comparison
from ssot_lsp.audit.sites import Site, role_of
from ssot_lsp.config.model import Config
from ssot_lsp.core.rules.registry import ALL

BROKEN_CODE = "SSOT011"  # broken-by-migration: the code the half-done migration broke
NO_GROUP = "(no group)"  # findings of rules that belong to no group (syntax errors, unused suppressions)
ROOT_DIRECTORY = "."


@dataclass
class Totals:
    sites: int = 0
    files: int = 0
    production: int = 0
    tests: int = 0
    by_rule: dict[str, int] = field(default_factory=dict)
    by_group: dict[str, int] = field(default_factory=dict)
    by_severity: dict[str, int] = field(default_factory=dict)
    by_group_rule: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class SymbolRow:
    group: str
    subject: str
    role: str  # see ``sites.role_of``
    by_rule: dict[str, int]
    sites: int
    files: int
    production: int
    tests: int


@dataclass
class DirectoryRow:
    directory: str
    production_sites: int
    production_files: int
    test_sites: int
    test_files: int
    by_group: dict[str, int]

    @property
    def sites(self) -> int:
        return self.production_sites + self.test_sites


@dataclass(frozen=True)
class GroupInfo:
    name: str
    canonical: str


@dataclass
class AuditTables:
    groups: list[GroupInfo]
    codes: list[str]  # the rules with at least one finding, in registry order
    totals: Totals
    symbols: list[SymbolRow]
    depth: int
    directories: list[DirectoryRow]
    broken_code: str
    broken_available: bool  # the rule is part of this version
    broken: list[Site]
    comparison: Comparison | None = None


def rule_order(codes: Sequence[str] | None = None) -> list[str]:
    return list(codes) if codes is not None else [rule.code for rule in ALL]


def build_tables(sites: Sequence[Site], config: Config, depth: int = 1, comparison: Comparison | None = None,
                 codes: Sequence[str] | None = None, broken_code: str = BROKEN_CODE) -> AuditTables:
    """The tables of ``sites``; ``codes``: the rules in report order (default: the registry's)."""
    order = rule_order(codes)
    rank = {code: i for i, code in enumerate(order)}
    present = sorted({s.code for s in sites}, key=lambda c: (rank.get(c, len(rank)), c))
    groups = [GroupInfo(g.name, g.canonical) for g in config.groups]
    return AuditTables(
        groups=groups, codes=present, totals=totals_of(sites, present),
        symbols=symbol_rows(sites, config, present), depth=depth, directories=directory_rows(sites, depth),
        broken_code=broken_code, broken_available=broken_code in rank,
        broken=sorted((s for s in sites if s.code == broken_code), key=lambda s: (s.subject, s.path, s.line)),
        comparison=comparison)


def totals_of(sites: Sequence[Site], codes: Sequence[str]) -> Totals:
    rank = {code: i for i, code in enumerate(codes)}
    by_rule = Counter(s.code for s in sites)
    by_group_rule: dict[str, Counter[str]] = defaultdict(Counter)
    for s in sites:
        by_group_rule[s.group or NO_GROUP][s.code] += 1
    tests = sum(s.is_test for s in sites)
    return Totals(
        sites=len(sites), files=len({s.path for s in sites}), production=len(sites) - tests, tests=tests,
        by_rule={c: by_rule[c] for c in sorted(by_rule, key=lambda c: (rank.get(c, len(rank)), c))},
        by_group={g: sum(counts.values()) for g, counts in sorted(by_group_rule.items())},
        by_severity=dict(sorted(Counter(s.severity for s in sites).items())),
        by_group_rule={g: {c: counts[c] for c in sorted(counts, key=lambda c: (rank.get(c, len(rank)), c))}
                       for g, counts in sorted(by_group_rule.items())})


def symbol_rows(sites: Sequence[Site], config: Config, codes: Sequence[str]) -> list[SymbolRow]:
    """One row per (group, subject) of the findings that belong to a group; groups in configuration
    order, then the most sites first."""
    by_key: dict[tuple[str, str], list[Site]] = defaultdict(list)
    for s in sites:
        if s.group is not None:
            by_key[(s.group, s.subject)].append(s)
    group_rank = {g.name: i for i, g in enumerate(config.groups)}
    rows = []
    for (group_name, name), items in by_key.items():
        counts = Counter(s.code for s in items)
        tests = sum(s.is_test for s in items)
        rows.append(SymbolRow(
            group=group_name, subject=name, role=role_of(config.group(group_name), name, any(s.defines for s in items)),
            by_rule={c: counts[c] for c in codes if counts[c]}, sites=len(items),
            files=len({s.path for s in items}), production=len(items) - tests, tests=tests))
    rows.sort(key=lambda r: (group_rank.get(r.group, len(group_rank)), -r.sites, r.subject))
    return rows


def directory_of(path: str, depth: int) -> str:
    parts = path.split("/")[:-1]
    return "/".join(parts[:depth]) or ROOT_DIRECTORY


def directory_rows(sites: Sequence[Site], depth: int) -> list[DirectoryRow]:
    """One row per directory ``depth`` levels below the root (files above that depth count for their
    own directory); the most sites first."""
    by_dir: dict[str, list[Site]] = defaultdict(list)
    for s in sites:
        by_dir[directory_of(s.path, depth)].append(s)
    rows = []
    for directory, items in by_dir.items():
        production = [s for s in items if not s.is_test]
        tests = [s for s in items if s.is_test]
        rows.append(DirectoryRow(
            directory=directory, production_sites=len(production), production_files=len({s.path for s in production}),
            test_sites=len(tests), test_files=len({s.path for s in tests}),
            by_group=dict(sorted(Counter(s.group or NO_GROUP for s in items).items()))))
    rows.sort(key=lambda r: (-r.sites, r.directory))
    return rows
