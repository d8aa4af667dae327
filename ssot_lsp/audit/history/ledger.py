"""A commit's figures — its sites, totals, files that do not parse, the comparison with its
baseline — kept per file with findings and summed, so that a later commit of ``audit --history``
costs the files whose figures changed, not a pass over every finding.

The realistic history's later commits hold ~1,400 findings in ~1,000 files each, of which a few
dozen change from one commit to the next: recounting every site (``tables.totals_of``), comparing
every finding with the baseline (``comparison.compare``) and walking every file's entry cost ~6 ms
of bookkeeping a commit, more than the analysis of what changed.

Why the sums equal the full computation, part by part:

* A file's sites are ``sites_of`` its findings (the scan's list: ``Reuse`` hands out the same list
  object while the file's result is reused), the configuration, and — for a dotted target only —
  which of the modules ``sites.modules_named`` lists exist. An entry is made again when its list is
  another object (every such change passes through ``OrderedFindings.update``, which notes the
  path: ``changed``), when a module it depends on came or went (``come_or_gone``, through the
  reverse index ``_by_module``), and all of them when the configuration is another (unequal) one.
* The totals, the files and the files that do not parse are sums over the sites; each entry's
  share is taken out when the entry goes and put in when it comes (counts, zeros dropped), so the
  sums are those of the current entries.
* A finding's baseline key is its file's path, code and the fingerprint of its line's text: the
  keys of an entry hold while its findings are the same list *and* its blob is the same (an edit
  can leave the facts, hence the findings, equal while the line's text changed) — a path whose
  blob changed is among the run's touched paths (``touched``), whose keys are dropped.
* ``filter_new`` decides new against remaining key by key, in finding order; a key names one file,
  so each file's findings are compared with the baseline's entries of that file alone, in that
  file's order — the same decisions. The fixed entries of a baseline path are all its entries
  less what that file matched (all of them when it has no findings); the baseline's keys sorted are
  its paths sorted, each path's keys sorted. Every comparison share is made under one baseline
  object (``_Baseline``); another baseline compares every entry again.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from ssot_lsp.audit.comparison import Comparison, FixedEntry, RuleDelta
from ssot_lsp.audit.history.collected import add_count
from ssot_lsp.audit.history.git import GitError
from ssot_lsp.audit.history.points import FileLists
from ssot_lsp.audit.sites import Site, SiteMaker, modules_named
from ssot_lsp.audit.tables import NO_GROUP, Totals, rule_order
from ssot_lsp.config.model import Config
from ssot_lsp.core import baseline as core_baseline
from ssot_lsp.core.rules.syntax_error import SyntaxPayload
from ssot_lsp.core.text import LINE_BREAK, UndecodableSource, decode_source
from ssot_lsp.core.violations import Violation


@dataclass
class _Entry:
    """One file with findings: its sites and its share of every sum."""

    findings: list[Violation]  # the scan's list (its identity tells whether the sites hold)
    rel: str  # root-relative path
    sites: list[Site]
    modules: frozenset[str]  # the modules its subjects depend on (``modules_named``)
    counts: Counter[tuple[str, str]]  # (group or NO_GROUP, code) -> sites
    severities: Counter[str]
    tests: int
    site_paths: frozenset[str]
    unparsable: frozenset[str]  # the paths of its sites that are syntax errors (not newer syntax)
    blob: str | None = None  # the blob ``keyed`` was read from
    keyed: list[core_baseline.Keyed] | None = None
    compared: _Compared | None = None  # its comparison share under ``Ledger._baseline``


@dataclass
class _Compared:
    new_sites: list[Site]
    rules: Counter[tuple[str, bool]]  # (code, new) -> findings
    fixed: list[FixedEntry] | None  # its path's fixed entries (None: the baseline has none of it)


class _Baseline:
    """One baseline object's entries by path, their fixed entries when no finding matches them."""

    def __init__(self, baseline: core_baseline.Baseline, label: str) -> None:
        self.baseline, self.label = baseline, label
        self.recorded = baseline.occurrences
        self.by_path: dict[str, list[tuple[core_baseline.Key, int]]] = {}
        for key, count in sorted(baseline.counts.items()):
            self.by_path.setdefault(key[0], []).append((key, count))
        self.paths = list(self.by_path)  # sorted
        self.all_fixed = {path: [FixedEntry(path, key[1], count, baseline.notes.get(key, "")) for key, count in entries]
                          for path, entries in self.by_path.items()}


class Ledger:
    """The entries of the files with findings and their sums (see the module's docstring)."""

    def __init__(self, root: str) -> None:
        self.root = root  # absolute, ending in '/'
        self.rank = {code: i for i, code in enumerate(rule_order())}
        self._reset(None)

    def _reset(self, config: Config | None) -> None:
        self.config = config
        self._site_maker = SiteMaker(config) if config is not None else None
        self.entries: dict[str, _Entry] = {}  # absolute path -> entry
        self._by_rel: dict[str, _Entry] = {}  # root-relative path -> entry
        self._by_module: dict[str, set[str]] = {}
        self.counts: Counter[tuple[str, str]] = Counter()
        self.severities: Counter[str] = Counter()
        self.tests = self.sites_total = 0
        self.files: Counter[str] = Counter()
        self.unparsable: Counter[str] = Counter()
        self._unkeyed: set[str] = set()
        self._forget_comparison(None)

    def _forget_comparison(self, baseline: _Baseline | None) -> None:
        self._baseline = baseline
        self._uncompared: set[str] = set(self.entries)
        for entry in self.entries.values():
            entry.compared = None
        self._rules: Counter[tuple[str, bool]] = Counter()
        self._fixed_rules: Counter[str] = Counter()
        self._new_sites: dict[str, list[Site]] = {}
        self._fixed_of: dict[str, list[FixedEntry]] = {}
        if baseline is not None:
            self._fixed_of = dict(baseline.all_fixed)
            for fixed in baseline.all_fixed.values():
                for item in fixed:
                    self._fixed_rules[item.code] += item.count

    # -- the sites -------------------------------------------------------------------------------
    def update(self, findings: Mapping[str, list[Violation]], paths: list[str], changed: Iterable[str] | None,
               config: Config, modules: Mapping[str, str], come_or_gone: Iterable[str],
               touched: AbstractSet[str], files: Mapping[str, str]) -> FileLists:
        """Bring the entries to ``findings`` (absolute path -> the file's findings; ``paths``: the
        files with findings, sorted), their sites and findings. ``changed``: the paths
        whose findings may be another list since the last update (None: any); ``come_or_gone``: the
        modules added or removed since; ``touched``: root-relative paths whose blob may have changed
        since (``files``: path -> blob now)."""
        if config is not self.config and config != self.config:
            self._reset(config)
            changed = None
        self.config = config
        try:
            dirty = set(paths) | self.entries.keys() if changed is None else set(changed)
            by_module = self._by_module
            for module in come_or_gone:
                dirty.update(by_module.get(module, ()))
            self._drop_keys(touched, files)
            self._make(sorted(dirty), findings, modules)
        except BaseException:
            self._reset(None)  # half updated: the next commit starts over
            raise
        return FileLists(list(map(self.entries.__getitem__, paths)))

    def _make(self, dirty: list[str], findings: Mapping[str, list[Violation]], modules: Mapping[str, str]) -> None:
        root = self.root
        for path in dirty:
            entry = self.entries.get(path)
            if entry is not None:
                self._remove(path, entry)
        fresh = [path for path in dirty if findings.get(path)]
        maker = self._site_maker
        assert maker is not None  # made with the configuration (``update``)
        made = iter(maker.sites([v for path in fresh for v in findings[path]], lambda p: p.removeprefix(root), modules))
        for path in fresh:
            found = findings[path]
            sites = [next(made) for _ in found]
            self._add(path, _entry(found, path.removeprefix(root), sites))

    def _add(self, path: str, entry: _Entry) -> None:
        self.entries[path] = entry
        self._by_rel[entry.rel] = entry
        for module in entry.modules:
            self._by_module.setdefault(module, set()).add(path)
        self.counts.update(entry.counts)
        self.severities.update(entry.severities)
        self.tests += entry.tests
        self.sites_total += len(entry.sites)
        self.files.update(entry.site_paths)
        self.unparsable.update(entry.unparsable)
        self._unkeyed.add(path)
        self._uncompared.add(path)

    def _remove(self, path: str, entry: _Entry) -> None:
        self._uncompare(path, entry)
        del self.entries[path], self._by_rel[entry.rel]
        for module in entry.modules:
            holders = self._by_module[module]
            holders.discard(path)
            if not holders:
                del self._by_module[module]
        for key, count in entry.counts.items():
            add_count(self.counts, key, -count)
        for severity, count in entry.severities.items():
            add_count(self.severities, severity, -count)
        self.tests -= entry.tests
        self.sites_total -= len(entry.sites)
        for site_path in entry.site_paths:
            add_count(self.files, site_path, -1)
        for site_path in entry.unparsable:
            add_count(self.unparsable, site_path, -1)
        self._unkeyed.discard(path)
        self._uncompared.discard(path)

    def _drop_keys(self, touched: AbstractSet[str], files: Mapping[str, str]) -> None:
        """The keys of the entries whose blob is another one now: their lines may read otherwise."""
        by_rel, root = self._by_rel, self.root
        for rel in by_rel.keys() & touched:
            entry = by_rel[rel]
            if entry.keyed is not None and entry.blob != files.get(rel):
                path = root + rel
                self._uncompare(path, entry)
                entry.keyed = None
                self._unkeyed.add(path)

    def totals(self) -> Totals:
        """``tables.totals_of`` the current sites."""
        rank = self.rank

        def order(codes: Iterable[str]) -> list[str]:
            return sorted(codes, key=lambda c: (rank.get(c, len(rank)), c))

        by_group_rule: dict[str, dict[str, int]] = {}
        by_rule: Counter[str] = Counter()
        for (group, code), count in self.counts.items():
            by_group_rule.setdefault(group, {})[code] = count
            by_rule[code] += count
        groups = sorted(by_group_rule.items())
        return Totals(
            sites=self.sites_total, files=len(self.files), production=self.sites_total - self.tests, tests=self.tests,
            by_rule={c: by_rule[c] for c in order(by_rule)},
            by_group={g: sum(counts.values()) for g, counts in groups},
            by_severity=dict(sorted(self.severities.items())),
            by_group_rule={g: {c: counts[c] for c in order(counts)} for g, counts in groups})

    def unparsable_paths(self) -> list[str]:
        return sorted(self.unparsable)

    def broken(self, code: str) -> int:
        return sum(count for (_, rule), count in self.counts.items() if rule == code)

    # -- the baseline ----------------------------------------------------------------------------
    def compare(self, baseline: core_baseline.Baseline, label: str, read_lines: Callable[[dict[str, int]], None],
                line: Callable[[str, int], str], files: Mapping[str, str]) -> Comparison:
        """``comparison.compare`` of the current findings, keyed, with ``baseline``: ``read_lines``
        makes the lines of root-relative paths, up to the line each maps to, available to
        ``line(path, line)``."""
        if self._baseline is None or self._baseline.baseline is not baseline or self._baseline.label != label:
            self._forget_comparison(_Baseline(baseline, label))
        known = self._baseline
        assert known is not None
        entries = self.entries
        unkeyed = sorted(self._unkeyed)
        wanted: dict[str, int] = {}
        for path in unkeyed:
            entry = entries[path]
            wanted[entry.rel] = max(v.span.line for v in entry.findings)
        read_lines(wanted)
        try:
            for path in unkeyed:
                entry = entries[path]
                rel = entry.rel
                entry.blob = files.get(rel)
                entry.keyed = [core_baseline.Keyed(v, (rel, v.code, v.fingerprint(line(rel, v.span.line))))
                               for v in entry.findings]
            self._unkeyed.clear()
            for path in sorted(self._uncompared):
                self._compare_entry(path, entries[path], known)
            self._uncompared.clear()
        except BaseException:
            self._reset(None)
            raise
        by_rule: dict[str, RuleDelta] = {}
        rules = self._rules
        for code in sorted({code for code, _ in rules} | self._fixed_rules.keys()):
            by_rule[code] = RuleDelta(remaining=rules.get((code, False), 0), new=rules.get((code, True), 0),
                                      fixed=self._fixed_rules.get(code, 0))
        new_sites = list(itertools.chain.from_iterable(map(self._new_sites.__getitem__, sorted(self._new_sites))))
        fixed_entries = list(itertools.chain.from_iterable(map(self._fixed_of.__getitem__, known.paths)))
        return Comparison(source=label, recorded=known.recorded, remaining=self.sites_total - len(new_sites),
                          new=len(new_sites), fixed=sum(self._fixed_rules.values()), by_rule=by_rule,
                          new_sites=new_sites, fixed_entries=fixed_entries)

    def _compare_entry(self, path: str, entry: _Entry, known: _Baseline) -> None:
        """The entry's findings against the baseline's entries of its file (``filter_new``'s decisions)."""
        assert entry.keyed is not None
        own = known.by_path.get(entry.rel, ())
        left = dict(own)
        new_sites: list[Site] = []
        rules: Counter[tuple[str, bool]] = Counter()
        for item, site in zip(entry.keyed, entry.sites):
            count = left.get(item.key, 0)
            if count > 0:
                left[item.key] = count - 1
                rules[(site.code, False)] += 1
            else:
                rules[(site.code, True)] += 1
                new_sites.append(site)
        notes = known.baseline.notes
        fixed = [FixedEntry(entry.rel, key[1], left[key], notes.get(key, "")) for key, _ in own if left[key] > 0] \
            if own else None
        entry.compared = _Compared(new_sites, rules, fixed)
        self._rules.update(rules)
        if new_sites:
            self._new_sites[path] = new_sites
        if fixed is not None:
            self._set_fixed(entry.rel, fixed)

    def _uncompare(self, path: str, entry: _Entry) -> None:
        """Take the entry's comparison share out (its path's entries all fixed again)."""
        compared = entry.compared
        if compared is None:
            return
        entry.compared = None
        self._uncompared.add(path)
        for key, count in compared.rules.items():
            add_count(self._rules, key, -count)
        self._new_sites.pop(path, None)
        if compared.fixed is not None:
            assert self._baseline is not None
            self._set_fixed(entry.rel, self._baseline.all_fixed[entry.rel])

    def _set_fixed(self, rel: str, fixed: list[FixedEntry]) -> None:
        for item in self._fixed_of[rel]:
            add_count(self._fixed_rules, item.code, -item.count)
        for item in fixed:
            self._fixed_rules[item.code] += item.count
        self._fixed_of[rel] = fixed


def _entry(findings: list[Violation], rel: str, sites: list[Site]) -> _Entry:
    counts: Counter[tuple[str, str]] = Counter()
    severities: Counter[str] = Counter()
    tests = 0
    for site in sites:
        counts[(site.group or NO_GROUP, site.code)] += 1
        severities[site.severity] += 1
        tests += site.is_test
    return _Entry(findings, rel, sites, frozenset(m for v in findings for m in modules_named(v.symbol)), counts,
                  severities, tests, frozenset(s.path for s in sites),
                  frozenset(s.path for s, v in zip(sites, findings)
                            if isinstance(v.payload, SyntaxPayload) and not v.payload.newer_syntax))


class BlobLines:
    """The lines of blobs (``contents``: their bytes, or the error git gave), as far as the findings'
    keys need them: a baseline's first commit keys the ~1,200 files with findings of the realistic
    history, 30 MB of text, and splitting all of it into lines cost 66 ms where the findings' last
    lines hold the lines needed. A blob split up to some line holds every line up to it exactly as
    ``text.split_lines`` splits them: splitting stops after that many breaks, and the rest — which
    may hold more lines — is dropped, not taken for a line; a later line is split again."""

    def __init__(self, contents: Callable[[list[str]], list[bytes | None | GitError]]) -> None:
        self.contents = contents
        self._lines: dict[str, tuple[list[str], bool]] = {}  # blob -> its first lines, whether they are all

    def __len__(self) -> int:
        return len(self._lines)

    def read(self, wanted: Mapping[str, int]) -> None:
        """The lines of the blobs up to the line each maps to (0-based), those not held yet."""
        lines = self._lines
        todo = sorted(oid for oid, last in wanted.items()
                      if (known := lines.get(oid)) is None or (not known[1] and len(known[0]) <= last))
        for oid, data in zip(todo, self.contents(todo)):
            if isinstance(data, GitError):
                raise data
            try:
                text, _ = decode_source(data or b"")
            except UndecodableSource:
                lines[oid] = ([], True)
                continue
            lines[oid] = split_up_to(text, wanted[oid])

    def line(self, oid: str, line: int) -> str:
        known = self._lines.get(oid)
        if known is not None and not known[1] and line >= len(known[0]):
            self.read({oid: line})
            known = self._lines[oid]
        lines = known[0] if known is not None else []
        return lines[line] if 0 <= line < len(lines) else ""

    def keep(self, oids: set[str | None]) -> None:
        self._lines = {oid: lines for oid, lines in self._lines.items() if oid in oids}


def split_up_to(text: str, last: int) -> tuple[list[str], bool]:
    """``text.split_lines(text)[:last + 1]``, and whether that is every line."""
    cuts = max(last, 0) + 1
    lines = text.split("\n", cuts) if "\r" not in text else LINE_BREAK.split(text, cuts)
    if len(lines) <= cuts:
        return lines, True
    return lines[:cuts], False
