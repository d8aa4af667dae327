"""``audit --history``: the commits of a range, sampled, each analysed from git without a working tree.

Per commit: the tree (listed once, then followed through ``diff-tree``), the commit's own
configuration, the files ``check`` would see (``tree``), their module names, the scan
(``scan.CommitScan``, facts reused across commits by blob), the commit's own baseline, and the
point's figures. A commit whose configuration does not validate, or that git cannot read, becomes a
point that says so; the others are drawn.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ssot_lsp.audit.comparison import Comparison
from ssot_lsp.audit.history import ahead
from ssot_lsp.audit.history.blobs import BlobFacts, BlobSource
from ssot_lsp.audit.history.configuration import ConfigurationAt
from ssot_lsp.audit.history.git import Change, ChangesAlong, Commit, GitError, Repository
from ssot_lsp.audit.history.ledger import BlobLines, Ledger
from ssot_lsp.audit.history.named import NamedFiles
from ssot_lsp.audit.history.points import ERROR, INVALID_CONFIGURATION, FileLists, Point
from ssot_lsp.audit.history.reuse import Reuse
from ssot_lsp.audit.history.scan import CommitScan, LastScan
from ssot_lsp.audit.history.tree import GITIGNORE, TreeFiles
from ssot_lsp.audit.tables import BROKEN_CODE, AuditTables, build_tables
from ssot_lsp.config.loader import ConfigError
from ssot_lsp.config.model import Config
from ssot_lsp.core import baseline as core_baseline
from ssot_lsp.core import pool
from ssot_lsp.core.modules import ModuleNames
from ssot_lsp.core.workspace import Workspace

if TYPE_CHECKING:
    from ssot_lsp.core.cache import FactsCache

Progress = Callable[[int, int, Commit], None]
SRC = "src/"
FORGET_LINES_SLACK = 256  # blobs' lines kept beyond twice the files with findings (see ``_forget_lines``)


def sample(commits: Sequence[Commit], max_points: int) -> list[Commit]:
    """At most ``max_points`` commits spread evenly over the range, the first and the newest included."""
    if len(commits) <= max_points:
        return list(commits)
    if max_points == 1:
        return [commits[-1]]
    step = (len(commits) - 1) / (max_points - 1)
    return [commits[round(i * step)] for i in range(max_points)]


@dataclass(frozen=True)
class HistorySettings:
    depth: int = 1
    jobs: int = 1
    prefilter: bool = True
    only: tuple[str, ...] = ()  # root-relative paths whose findings count (empty: all)
    baseline: core_baseline.Baseline | None = None  # compare every point with this one (else each commit's own)
    baseline_label: str = ""
    use_baselines: bool = True


class HistoryRun:
    def __init__(self, repo: Repository, root: Path, prefix: str, configs: ConfigurationAt,
                 settings: HistorySettings) -> None:
        self.repo = repo
        self.root = root
        self.prefix = prefix  # the root, relative to the repository's top ('' or 'a/b/')
        self.configs = configs
        self.settings = settings
        self.facts = BlobFacts()
        self.reuse = Reuse()
        self.source = BlobSource(repo.top, settings.jobs)
        self.entries: dict[str, tuple[str, str]] = {}
        # paths changed since the files were last brought up to date, with their mode then (None: absent)
        self._changed: dict[str, str | None] = {}
        self.last_commit: str | None = None
        self.tree_files: TreeFiles | None = None
        self.files: dict[str, str] = {}
        self.files_key: tuple[object, ...] | None = None
        self.names: dict[str, tuple[str, bool]] = {}
        self.names_key: tuple[object, ...] | None = None
        self.lines = BlobLines(self.source.contents)
        self.baseline_blob: str | None = None
        self.baselines: dict[str, core_baseline.Baseline] = {}  # by blob: parsed once, not per commit
        self.gitignores: tuple[tuple[str, str], ...] | None = None  # None: to be listed again
        self.named = NamedFiles(str(root))
        self._workspace: Workspace | None = None
        self._touched: set[str] = set()  # paths whose blob, name or membership may have changed
        self.last_scan: LastScan | None = None  # the last commit's, when it was scanned to the end
        self._latest: tuple[FileLists, Config, Comparison | None] | None = None  # see ``latest``
        self._latest_tables: AuditTables | None = None
        self.points: list[Point] = []
        self._in_src = 0  # entries under src/
        # per file with findings: its sites, keys and share of the point's figures (``ledger.py``)
        self.ledger = Ledger(self.named.root)
        self._retouched: set[str] = set()  # paths touched since the ledger last looked (``_name``)
        # (commit, next commit) -> what changed; None while git computes it (``_along``)
        self._diffs: dict[tuple[str, str], list[Change]] | None = {}
        self._along: ChangesAlong | None = None
        self._oids: list[str] = []  # the commits of the run
        self._ahead_tried = False  # a child was started to read ahead, or could not be (``_read_ahead``)
        self._later: Sequence[Commit] = ()  # the commits after the one being analysed

    def run(self, commits: Sequence[Commit], progress: Progress | None = None) -> list[Point]:
        """One point per commit, oldest first (``self.points`` holds those done so far)."""
        try:
            self._start_changes_along(commits)
            self.source.list_index()
            self.source.later_changed = self._later_changed
            for index, commit in enumerate(commits):
                if self.source.ahead is not None:
                    self.source.ahead.at(commit.oid)
                self._later = commits[index + 1:]
                self.points.append(self.point(commit))
                if progress is not None:
                    progress(len(self.points), len(commits), commit)
        finally:
            if self._along is not None:
                self._along.close()
            self.source.close()
            self.repo.close()
        return self.points

    def point(self, commit: Commit) -> Point:
        point = Point(commit)
        try:
            self._follow_tree(commit)
        except GitError as exc:
            self.last_commit = None  # list the next commit's tree afresh
            point.status, point.problem = ERROR, str(exc)
            return point
        try:
            config, _ = self.configs.at(self.entries, self.repo.blob, commit.short)
        except ConfigError as exc:
            point.status, point.problem = INVALID_CONFIGURATION, str(exc)
            return point
        except GitError as exc:
            point.status, point.problem = ERROR, str(exc)
            return point
        try:
            self._analyse(point, config)
        except GitError as exc:
            point.status, point.problem = ERROR, str(exc)
        return point

    def _read_ahead(self, scan: CommitScan) -> None:
        """Once the first commit's files are read (``scan``: its scan, about to run the rules), a
        child reads the later commits' changed files as it read them (``ahead.py``) — meanwhile,
        this process runs the first commit's rules on one core — when there is a second process to
        use and the commits' changes are known."""
        self._ahead_tried = True
        needles, config = scan.final_needles, scan.workspace.config
        if (self.settings.jobs <= 1 or not self._later or needles is None or self.tree_files is None
                or self.last_commit is None or not pool._forking_is_safe()):
            return
        oids: list[str] = []
        changes: list[list[Change]] = []
        before = self.last_commit
        for commit in self._later:
            found = self._changes_along().get((before, commit.oid))
            if found is None:
                break
            oids.append(commit.oid)
            changes.append(found)
            before = commit.oid
        if not oids:
            return
        has_src, known, root = self._in_src > 0, self.names, self.named.root
        names = ModuleNames(config, is_dir=lambda p: p == self.root / "src" and has_src)

        def name(rel: str) -> tuple[str, bool]:
            return known.get(rel) or names.of_absolute(root + rel) or names.of(Path(root + rel))

        reading = cast("ahead.Reading", (needles, *self.facts.reading))
        previous = {path: entry[1][0] for path, entry in self.facts.entries.items() if entry[1][0] is not None}
        self.source.ahead = ahead.start(str(self.source.top), oids, changes, self.tree_files.keeps, name, root,
                                        reading, previous, self.source.replays, self.source.indexed or {})

    # -- the tree ----------------------------------------------------------------------------------
    def _start_changes_along(self, commits: Sequence[Commit]) -> None:
        """Git computes the changes between each two successive commits at once (see
        ``Repository.changes_along``) while the first commit is listed and read; they are taken when
        the second commit or the read-ahead needs them (``_changes_along``)."""
        self._oids = [c.oid for c in commits]
        try:
            self._along = self.repo.start_changes_along(self._oids, self.prefix)
        except GitError:
            return
        self._diffs = None

    def _changes_along(self) -> dict[tuple[str, str], list[Change]]:
        """The changes between each two successive commits; none when git could not give them so,
        each pair is asked alone then."""
        if self._diffs is None:
            assert self._along is not None
            try:
                along = self._along.result()
            except GitError:
                along = {}
            self._along = None
            self._diffs = {(old, new): along[new] for old, new in itertools.pairwise(self._oids) if new in along}
        return self._diffs

    def _later_changed(self) -> set[str] | None:
        """The absolute paths the run's commits change after its first (``blobs.Replays.kept``: the
        partial parses worth recording); None when git could not say, or has not said yet: the first
        read does not wait for it (a record costs little; waiting for git cost up to 0.35 s of wall
        clock on a loaded machine). A single commit: none."""
        if self._along is not None and not self._along.ready():
            return None
        diffs, root = self._changes_along(), self.named.root
        found: set[str] = set()
        for pair in itertools.pairwise(self._oids):
            changes = diffs.get(pair)
            if changes is None:  # git failed, or the pair was followed already (the first commit read nothing)
                return None
            found.update(root + change.path for change in changes)
        return found

    def _follow_tree(self, commit: Commit) -> None:
        if self.last_commit is None:
            self.entries = self.repo.tree(commit.oid, self.prefix)
            self.files_key = self.gitignores = None
            self._in_src = sum(p.startswith(SRC) for p in self.entries)
        else:
            changes = self._changes_along().pop((self.last_commit, commit.oid), None)
            if changes is None:
                changes = self.repo.changes(self.last_commit, commit.oid, self.prefix)
            entries, changed = self.entries, self._changed
            for change in changes:
                path = change.path
                before = entries.get(path)
                if path not in changed:
                    changed[path] = None if before is None else before[0]
                if path.endswith(GITIGNORE) and (path == GITIGNORE or path.endswith("/" + GITIGNORE)):
                    self.gitignores = None
                if path.startswith(SRC):  # whether the tree has a src/ names modules
                    self._in_src -= before is not None
                    self._in_src += change.oid is not None and change.mode is not None
                if change.oid is None or change.mode is None:
                    if before is not None:
                        del entries[path]
                else:
                    entries[path] = (change.mode, change.oid)
        self.last_commit = commit.oid

    def _workspace_files(self, config: Config) -> dict[str, str]:
        """The files ``check`` would analyse, updated for the paths that changed while the
        configuration's file settings and the .gitignore files stay the same (``tree_files``).

        Whether a path is kept is ``tree_files.keeps(path, mode)``: a function of the path and its
        mode alone for one ``TreeFiles``. A path that was in the tree with the same mode when the
        files were last brought up to date — an edit, ~98 % of a commit's ~500 changes on the
        realistic history — was decided then: it is a file now if it was one, only of another blob."""
        if self.gitignores is None:
            self.gitignores = tuple(sorted((p, e[1]) for p, e in self.entries.items()
                                           if p == GITIGNORE or p.endswith("/" + GITIGNORE)))
        key = (config.include, config.exclude, config.respect_gitignore, self.gitignores)
        if key != self.files_key or self.tree_files is None:
            self.tree_files = TreeFiles(config, self.entries, self.repo.blob)
            files = {p: e[1] for p, e in self.entries.items() if self.tree_files.keeps(p, e[0])}
            before = self.files  # the paths of another blob, come or gone (the first commit: every file)
            self._touched.update(files if not before else (p for p, oid in files.items() if before.get(p) != oid))
            self._touched.update(before.keys() - files.keys())
            self.files, self.files_key = files, key
        else:
            entries, files, keeps = self.entries, self.files, self.tree_files.keeps
            for path, mode_before in self._changed.items():
                entry = entries.get(path)
                if entry is None:
                    files.pop(path, None)
                elif entry[0] == mode_before:
                    if path in files:
                        files[path] = entry[1]
                elif keeps(path, entry[0]):
                    files[path] = entry[1]
                else:
                    files.pop(path, None)
            self._touched.update(self._changed)
        self._changed.clear()
        return self.files

    def _name(self, config: Config) -> NamedFiles:
        """The files named as ``check`` names them; only the touched paths that were no file before
        are named, unless what names depend on (``key``: the source roots, a ``src`` directory)
        changed — a file's name is a function of its path under one key, and ``names`` holds the
        name of every file (it is emptied when the key changes)."""
        has_src = self._in_src > 0
        key = (config.source_roots, has_src)
        if key != self.names_key:
            self._touched.update(self.names)
            self._touched.update(self.files)
            self.names, self.names_key = {}, key
        names: ModuleNames | None = None  # made when a file needs a name (resolving its roots asks the disk)
        root = self.named.root
        files, named = self.files, self.names
        for rel in self._touched:
            if rel in files:
                if rel not in named:
                    if names is None:
                        names = ModuleNames(config, is_dir=lambda p: p == self.root / "src" and has_src)
                    named[rel] = names.of_absolute(root + rel) or names.of(Path(root + rel))
            else:
                named.pop(rel, None)
        self.named.update(self._touched, self.files, self.names)
        self._retouched |= self._touched
        self._touched.clear()
        return self.named

    # -- one commit ---------------------------------------------------------------------------------
    def _analyse(self, point: Point, config: Config) -> None:
        if self._workspace is None or self._workspace.config is not config:
            self._workspace = Workspace(config)  # what it holds is made of the configuration alone
        workspace = self._workspace
        files = self._workspace_files(config)
        last, self.last_scan = self.last_scan, None
        # the blob facts stand in for the facts cache: the scan asks a cache for the same few things
        scan = CommitScan(workspace, cast("FactsCache", self.facts), self.settings.jobs, None, files=files,
                          named=self._name(config), only=self.settings.only, source=self.source,
                          reuse=self.reuse, last=last, on_read=None if self._ahead_tried else self._read_ahead)
        result = scan.run(None, self.settings.prefilter, None)
        root = self.named.root
        ledger = self.ledger
        lists = ledger.update(scan.findings, self.reuse.ordered.paths, self.reuse.ordered.take_changed(), config,
                              self.named.modules, self.named.take_come_or_gone(), self._retouched, self.files)
        self._retouched = set()
        point.configuration = config.source
        point.files_total, point.files_analysed = result.files_total, result.files_analysed
        point.unreadable = [(e.path.removeprefix(root), e.message) for e in result.errors]
        point.unparsable = ledger.unparsable_paths()
        point.totals = ledger.totals()
        point.broken = ledger.broken(BROKEN_CODE)
        point.lists = lists
        point.groups = [g.name for g in config.groups]
        point.comparison = self._compare(point, config)
        self._latest, self._latest_tables = (lists, config, point.comparison), None
        self._forget_lines()
        self.last_scan = scan.finished

    @property
    def latest(self) -> AuditTables | None:
        """The tables of the newest commit analysed: built when asked for (the report wants the last
        one only), not for each commit."""
        if self._latest_tables is None and self._latest is not None:
            lists, config, comparison = self._latest
            self._latest_tables = build_tables(lists.flat()[0], config, self.settings.depth, comparison)
        return self._latest_tables

    # -- the baseline ------------------------------------------------------------------------------
    def _compare(self, point: Point, config: Config) -> Comparison | None:
        settings = self.settings
        if not settings.use_baselines:
            return None
        if settings.baseline is not None:
            baseline, label = settings.baseline, settings.baseline_label
        else:
            name = config.baseline or core_baseline.DEFAULT_FILE_NAME
            entry = self.entries.get(name)
            point.baseline_recorded = entry is not None and entry[1] != self.baseline_blob
            self.baseline_blob = entry[1] if entry is not None else None
            if entry is None:
                return None
            try:
                baseline = self.baselines.get(entry[1]) or core_baseline.from_document(
                    json.loads(self.repo.blob(entry[1])), name)
            except (ValueError, core_baseline.BaselineError) as exc:
                point.problem = f"baseline {name} not read: {exc}"
                return None
            self.baselines = {entry[1]: baseline}
            label = name
        return self.ledger.compare(baseline, label, self._read_lines, self._line, self.files)

    def _read_lines(self, wanted: dict[str, int]) -> None:
        """The lines of the files at root-relative paths, up to the line each maps to at least."""
        files = self.files
        self.lines.read({oid: line for rel, line in wanted.items() if (oid := files.get(rel)) is not None})

    def _line(self, rel: str, line: int) -> str:
        oid = self.files.get(rel)
        return self.lines.line(oid, line) if oid is not None else ""

    def _forget_lines(self) -> None:
        """Keep the lines of the blobs of files with findings (lines are read for no others): a
        finding of such a file, found again without its blob changing, is keyed from them. Lines
        are kept by blob, so one kept too long is never wrong: they are sorted out once they are
        twice as many as the files with findings, not at every commit."""
        entries = self.ledger.entries
        if len(self.lines) <= 2 * len(entries) + FORGET_LINES_SLACK:
            return
        files = self.files
        current = {files.get(entry.rel) for entry in entries.values()}
        self.lines.keep(current)
