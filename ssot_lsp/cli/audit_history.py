"""`ssot-lsp audit --history REV_RANGE`: the audit of past commits, read from git.

Checks what could make the whole run meaningless before it starts — not a git repository, a range
git does not know or that holds no commit, history cut off by a shallow clone — and says so in one
line (exit 2). Then each sampled commit becomes a point (``audit/history/run.py``); a progress bar
with the time left runs on a terminal.
"""

from __future__ import annotations

import os
import sys
import time

from ssot_lsp.audit.history.configuration import ConfigurationAt
from ssot_lsp.audit.history.git import Commit, GitError, GitStopped, Repository
from ssot_lsp.audit.history.points import OK, HistoryMeta, Point, history_document
from ssot_lsp.audit.history.run import HistoryRun, HistorySettings, Progress, sample
from ssot_lsp.cli.audit import emit
from ssot_lsp.cli.common import EXIT_CONFIG, OpenedWorkspace, relative
from ssot_lsp.cli.options import AuditOptions
from ssot_lsp.core import baseline as core_baseline

EXIT_INTERRUPTED = 130


def run_history(opened: OpenedWorkspace, options: AuditOptions) -> int:
    assert options.history is not None
    root = opened.workspace.root
    try:
        repo = Repository.containing(root)
        commits = repo.commits(options.history)
        cut = repo.shallow_boundary(commits)
    except GitError as exc:
        return _fail(str(exc))
    if cut is not None:
        return _fail(f"{repo.top} is a shallow clone: the history before {cut.short} ({cut.date[:10]}) is missing, "
                     f"so the range {options.history!r} cannot be analysed; fetch it (git fetch --unshallow) "
                     f"or give a range that starts after {cut.short}")
    try:
        settings = _settings(opened, options)
    except core_baseline.BaselineError as exc:
        return _fail(str(exc))
    prefix = "" if root == repo.top else root.relative_to(repo.top).as_posix() + "/"
    run = HistoryRun(repo, root, prefix, _configurations(opened, options), settings)
    chosen = sample(commits, options.max_points)
    started = time.monotonic()
    try:
        points = run.run(chosen, make_progress(started))
    except KeyboardInterrupt:
        print(f"\nssot-lsp: interrupted after {len(run.points)} of {len(chosen)} commits; "
              f"no report written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except GitStopped as exc:
        at = chosen[len(run.points)]
        return _fail(f"{exc} while reading commit {at.short} ({at.date[:10]}), {len(run.points)} of {len(chosen)} "
                     f"commits done; no report written")
    _warn(points)
    meta = HistoryMeta(root=str(root), repository=str(repo.top), revision_range=options.history,
                       commits_in_range=len(commits), seconds=time.monotonic() - started,
                       files_read=run.facts.reads, files_reused=run.facts.hits,
                       files_from_worktree=run.source.from_worktree,
                       baseline=_baseline_source(options, settings))
    return emit(history_document(points, run.latest, meta, options.sites), options)


def _fail(message: str) -> int:
    print(f"ssot-lsp: error: {message}", file=sys.stderr)
    return EXIT_CONFIG


def _settings(opened: OpenedWorkspace, options: AuditOptions) -> HistorySettings:
    workspace = opened.workspace
    baseline = None
    if options.baseline is not None and not options.no_baseline:
        baseline = core_baseline.load(options.baseline)
    return HistorySettings(depth=options.depth, jobs=options.jobs or os.cpu_count() or 1,
                           prefilter=not options.no_prefilter,
                           only=tuple(workspace.relpath(p) for p in opened.explicit),
                           baseline=baseline, baseline_label=relative(str(options.baseline or "")),
                           use_baselines=not options.no_baseline)


def _configurations(opened: OpenedWorkspace, options: AuditOptions) -> ConfigurationAt:
    workspace = opened.workspace
    explicit = fixed = None
    if options.config_file is not None:
        path = options.config_file.resolve()
        try:
            explicit = path.relative_to(workspace.root)
        except ValueError:
            fixed = workspace.config
    return ConfigurationAt(workspace.root, explicit, fixed, options.select, options.ignore)


def _baseline_source(options: AuditOptions, settings: HistorySettings) -> str:
    if not settings.use_baselines:
        return "none (--no-baseline)"
    if settings.baseline is not None:
        return f"{settings.baseline_label} (--baseline, for every commit)"
    return "each commit's own baseline file"


def _warn(points: list[Point]) -> None:
    missing = [p for p in points if p.status != OK]
    for point in missing:
        print(f"ssot-lsp: warning: commit {point.commit.short} ({point.commit.date[:10]}) has no figures: "
              f"{point.status}: {point.problem}", file=sys.stderr)


def make_progress(started: float) -> Progress | None:
    """A bar with the commits done and the time left, on stderr when it is a terminal. The first
    commit reads every file and the later ones only what changed, so the time left is estimated
    from the commits after the first."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    first_done: list[float] = []

    def progress(done: int, total: int, commit: Commit) -> None:
        now = time.monotonic()
        if not first_done:
            first_done.append(now)
        if done >= 2:
            left = (now - first_done[0]) / (done - 1) * (total - done)
            eta = f"about {int(left) // 60}:{int(left) % 60:02d} left"
        else:
            eta = f"first commit read in {now - started:.0f} s, estimating"
        width = 30
        filled = int(width * done / max(total, 1))
        line = (f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} commits  "
                f"{commit.date[:10]} {commit.short[:8]}  {eta} ")
        sys.stderr.write(line if done < total else "\r" + " " * len(line) + "\r")
        sys.stderr.flush()

    return progress
