"""A point of the history — one commit's figures, or why it has none — and the history's JSON document."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Protocol

from ssot_lsp import __version__
from ssot_lsp.audit.comparison import Comparison
from ssot_lsp.audit.document import SCHEMA_VERSION, rules_table, tables_dict, totals_dict
from ssot_lsp.audit.history.git import Commit
from ssot_lsp.audit.sites import Site
from ssot_lsp.audit.tables import AuditTables, Totals
from ssot_lsp.core.violations import Violation

OK, INVALID_CONFIGURATION, ERROR = "ok", "invalid-configuration", "error"
UNPARSABLE_LISTED = 20


class FileFindings(Protocol):
    @property
    def sites(self) -> list[Site]: ...

    @property
    def findings(self) -> list[Violation]: ...


class FileLists:
    """A commit's sites and findings, file by file, made one list each when first asked for.

    Flattening a later commit's ~1,400 sites and findings of the realistic history cost ~0.4 ms each
    (every item touched), for the few points whose sites are read (the newest's tables, ``--sites``).
    A file's lists are never changed once made — its findings are the scan's list, made anew when
    they change, and its sites are made anew with them (``ledger.Ledger``'s entries) — so the list
    of the files, in order, keeps the commit's."""

    __slots__ = ("_files", "_flat")

    def __init__(self, files: Sequence[FileFindings] = ()) -> None:
        self._files = files
        self._flat: tuple[list[Site], list[Violation]] | None = None

    def flat(self) -> tuple[list[Site], list[Violation]]:
        if self._flat is None:
            files = self._files
            self._flat = (list(itertools.chain.from_iterable(map(attrgetter("sites"), files))),
                          list(itertools.chain.from_iterable(map(attrgetter("findings"), files))))
            self._files = ()
        return self._flat


@dataclass
class Point:
    commit: Commit
    status: str = OK
    problem: str | None = None  # why there are no figures (status other than ok)
    configuration: str = ""
    files_total: int = 0
    files_analysed: int = 0
    unparsable: list[str] = field(default_factory=list)  # files that do not parse (SSOT009, not newer syntax)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (path, why) of files that could not be read
    totals: Totals | None = None
    broken: int = 0
    comparison: Comparison | None = None
    baseline_recorded: bool = False  # the commit adds or changes the baseline file
    lists: FileLists = field(default_factory=FileLists)  # its sites and findings
    groups: list[str] = field(default_factory=list)

    @property
    def sites(self) -> list[Site]:
        return self.lists.flat()[0]

    @property
    def violations(self) -> list[Violation]:
        """The findings ``sites`` were made of, in the same order."""
        return self.lists.flat()[1]


@dataclass(frozen=True)
class HistoryMeta:
    root: str
    repository: str
    revision_range: str
    commits_in_range: int
    seconds: float
    files_read: int
    files_reused: int
    baseline: str  # where each point's baseline comes from
    files_from_worktree: int = 0  # of ``files_read``: read from working-tree files holding their blob


def point_dict(point: Point, with_sites: bool) -> dict[str, Any]:
    commit = point.commit
    out: dict[str, Any] = {
        "commit": commit.oid, "short": commit.short, "date": commit.date, "author": commit.author,
        "subject": commit.subject, "status": point.status, "problem": point.problem,
        "configuration": point.configuration,
        "files": {"total": point.files_total, "analysed": point.files_analysed},
        "unparsable": {"count": len(point.unparsable), "paths": point.unparsable[:UNPARSABLE_LISTED]},
        "unreadable": [{"path": p, "message": m} for p, m in point.unreadable[:UNPARSABLE_LISTED]],
        "totals": totals_dict(point.totals) if point.totals is not None else None,
        "broken": point.broken,
        "baseline": None if point.comparison is None else {
            "file": point.comparison.source, "recorded": point.comparison.recorded,
            "remaining": point.comparison.remaining, "new": point.comparison.new, "fixed": point.comparison.fixed},
        "baseline_recorded": point.baseline_recorded,
    }
    if with_sites:
        out["sites"] = [[s.path, s.line, s.code] for s in point.sites]
    return out


def history_document(points: Sequence[Point], latest: AuditTables | None, meta: HistoryMeta,
                     with_sites: bool = False) -> dict[str, Any]:
    """The report of ``audit --history``: one entry per sampled commit, oldest first, and the full
    tables of the newest commit that has figures."""
    groups: list[str] = []
    for point in points:
        groups.extend(g for g in point.groups if g not in groups)
    latest_index = max((i for i, p in enumerate(points) if p.status == OK), default=None)
    return {
        "kind": "audit-history", "schema_version": SCHEMA_VERSION, "version": __version__,
        "root": meta.root, "repository": meta.repository, "range": meta.revision_range,
        "commits_in_range": meta.commits_in_range, "first_parent": True,
        "baseline_source": meta.baseline,
        "rules": rules_table(), "groups": groups,
        "points": [point_dict(p, with_sites) for p in points],
        "latest": None if latest is None or latest_index is None else {
            "point": latest_index, **tables_dict(latest)},
        "timing": {"seconds": round(meta.seconds, 2), "files_read": meta.files_read,
                   "files_reused": meta.files_reused, "files_from_worktree": meta.files_from_worktree},
    }
