"""`ssot-lsp fix`: apply verified fixes across the workspace (safe ones unless --unsafe-fixes).

Files are fixed one at a time with ``fix_all`` (each fix verified); passes repeat while some file
changed, because fixing importers can make a re-exporting module fixable. A compatibility
re-export left after a pass gets its cross-file fix (``fixes/cross_file.py``: the re-export and
every importer at once, verified as a whole); the files of such a group are written all or nothing. Every file runs under a
time budget and any failure skips that file only. Writes are atomic (temporary file in the same
directory, then ``os.replace``), keep the file mode, the PEP 263 encoding and the line endings, go
to the resolved target of a symlink only inside the workspace root, and skip a file whose content
changed since it was read.
"""

from __future__ import annotations

import difflib
import json
import os
import signal
import sys
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TypeVar

from ssot_lsp.cli.common import OpenedWorkspace, config_error, exit_code_for, open_for, relative, warn_stale
from ssot_lsp.cli.options import FixOptions
from ssot_lsp.config.loader import ConfigError
from ssot_lsp.core.atomic import write_atomic
from ssot_lsp.core.engine import analyze
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.text import UndecodableSource, decode_source
from ssot_lsp.core.violations import Violation
from ssot_lsp.core.workspace import ScanResult
from ssot_lsp.fixes.api import FIXABLE_CODES, FixOutcome, fix_all, fixes_for
from ssot_lsp.fixes.cross_file import CrossFileFix, Withheld, cross_file_fix
from ssot_lsp.fixes.unfixed import Unfixed, sorted_sites, unsafe_reason

FILE_BUDGET_S = float(os.environ.get("SSOT_FIX_FILE_BUDGET", "20"))
MAX_PASSES = 4


class _Timeout(Exception):
    pass


T = TypeVar("T")


def _with_budget(seconds: float, func: Callable[[], T]) -> T:
    """Run ``func`` under a wall-clock budget (SIGALRM on the main thread; unbounded elsewhere)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        return func()

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return func()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _inside(root: Path, path: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


_LEXICAL: dict[str, Path] = {}


def _lexical_root(path: str, root: Path) -> Path:
    """The workspace root seen from where a file *is named* (not where a symlink points): a link
    inside the workspace to a file outside it must not be written even when the root was derived
    from the resolved target."""
    lexical = os.path.abspath(path)
    if lexical == os.path.realpath(path):
        return root
    directory = os.path.dirname(lexical)
    if directory not in _LEXICAL:
        from ssot_lsp.core.project import open_workspace

        try:
            _LEXICAL[directory] = Path(open_workspace([Path(directory)]).root).resolve()
        except Exception:  # noqa: BLE001 - be strict when unsure
            _LEXICAL[directory] = Path(directory).resolve()
    return _LEXICAL[directory]


def run_fix(options: FixOptions) -> int:
    try:
        opened = open_for(options)
    except ConfigError as exc:
        return config_error(exc)
    result = opened.scan()
    if opened.nothing_to_do(result, "fix"):
        return 0
    warn_stale(opened.stale(result), opened.workspace.root)
    run = FixRun(opened, options, result)
    remaining = run.fix_passes()
    written = run.write()
    run.report(remaining, written)
    return 0 if options.exit_zero else exit_code_for(remaining)


@dataclass
class FixRun:
    """One `ssot-lsp fix`: the files' texts as read and as fixed, and what happened to each."""

    opened: OpenedWorkspace
    options: FixOptions
    result: ScanResult
    originals: dict[str, tuple[bytes, str, str]] = field(default_factory=dict)  # path -> (bytes, encoding, text)
    current: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    applied: Counter[str] = field(default_factory=Counter)
    unfixable: dict[str, list[FixOutcome]] = field(default_factory=dict)
    groups: list[set[str]] = field(default_factory=list)  # files of applied cross-file fixes: all or nothing

    def __post_init__(self) -> None:
        workspace = self.opened.workspace
        self.root = Path(workspace.root).resolve()
        assert self.result.index is not None
        self.index: WorkspaceIndex = self.result.index
        # where files may be written: the workspace root, seen from where the arguments are named
        self.trusted = [self.root, *(_lexical_root(str(p), self.root) for p in self.opened.explicit)]
        self.requested = {v.path for v in self.result.violations}
        explicit = self.opened.explicit
        self.wanted = {str(p.resolve()) for p in workspace.discover(explicit)} if explicit else None

    @property
    def dry(self) -> bool:
        return self.options.diff or self.options.dry_run

    def in_scope(self, path: str) -> bool:
        return self.wanted is None or str(Path(path).resolve()) in self.wanted

    def fix_passes(self) -> list[Violation]:
        """Fix file by file; repeat while a file changed (fixing importers can make a re-exporting
        module fixable). Returns the violations left."""
        by_path: dict[str, list[Violation]] = {}
        for v in self.result.violations:
            by_path.setdefault(v.path, []).append(v)
        for _ in range(MAX_PASSES):
            changed = False
            for path in sorted(by_path):
                if path in self.skipped or not self.in_scope(path):
                    continue
                if any(v.code in FIXABLE_CODES for v in by_path[path]) and self._fix_file(path):
                    changed = True
            if self._cross_file_fixes():
                changed = True
            by_path = self._reanalyse()
            if not changed:
                break
        return [v for vs in by_path.values() for v in vs
                if (self.wanted is None or self.in_scope(v.path)) and (v.path in self.requested or v.path in self.current)]

    def _fix_file(self, path: str) -> bool:
        """Fix one file in memory; whether its text changed."""
        if path not in self.originals and not self._read_original(path):
            return False
        config = self.opened.workspace.config
        try:
            outcome = _with_budget(FILE_BUDGET_S, lambda: fix_all(self.current[path], path, self.index, config,
                                                                    unsafe=self.options.unsafe_fixes))
        except _Timeout:
            self.skipped[path] = f"fixing took longer than {FILE_BUDGET_S:g}s; skipped"
            return False
        except ImportError:
            raise  # a broken installation stops the run: it must not read as one skipped file after another
        except Exception as exc:  # noqa: BLE001 - one file never stops the run
            self.skipped[path] = f"fixing failed: {type(exc).__name__}: {exc}"
            return False
        for fixed in outcome.applied:
            self.applied[fixed.violation.code] += 1
        self.unfixable[path] = outcome.unfixable
        if outcome.new_text == self.current[path]:
            return False
        self.current[path] = outcome.new_text
        return True

    def _cross_file_fixes(self) -> bool:
        """The cross-file fix of every re-export site the last pass left (issue 15 §4); applied to
        all its files at once with --unsafe-fixes, else reported as available. Whether any applied."""
        applied = False
        for path in sorted(self.unfixable):
            for number, outcome in enumerate(self.unfixable[path]):
                if not outcome.cross_file or path in self.skipped:
                    continue
                fix = self._cross_file_fix(path, outcome.violation)
                if fix.reason is not None:
                    self.unfixable[path][number] = FixOutcome(outcome.violation, fix.title, False, None, fix.reason)
                elif not self.options.unsafe_fixes:
                    self.unfixable[path][number] = FixOutcome(outcome.violation, fix.title, False,
                                                              fix.changes[path].new_text, unsafe_reason(fix.title))
                else:
                    self._apply_group(fix)
                    applied = True
        return applied

    def _cross_file_fix(self, path: str, violation: Violation) -> CrossFileFix:
        def read(other: str) -> str | None:
            if other in self.current:
                return self.current[other]
            if not self.in_scope(other):
                raise Withheld(f"{relative(other)} is outside the paths given to `ssot-lsp fix`")
            if other in self.skipped or not self._read_original(other):
                raise Withheld(f"{relative(other)}: {self.skipped.get(other, 'cannot be read')}")
            return self.current[other]

        config = self.opened.workspace.config
        try:
            return _with_budget(FILE_BUDGET_S, lambda: cross_file_fix(path, self.current[path], violation,
                                                                        self.index, config, read, str(self.root)))
        except _Timeout:
            reason = f"the cross-file fix took longer than {FILE_BUDGET_S:g}s; not applied"
        except ImportError:
            raise
        except Exception as exc:  # noqa: BLE001 - one re-export never stops the run
            reason = f"the cross-file fix failed: {type(exc).__name__}: {exc}"
        return CrossFileFix(violation, "", reason=reason)

    def _apply_group(self, fix: CrossFileFix) -> None:
        """Every file of a verified cross-file fix changes in memory, and the index learns them."""
        from ssot_lsp.core.analysis import analyze_text

        config = self.opened.workspace.config
        # the importers this run already fixed on their own go with it: the shim loses the name only
        # if their fixes are written too
        originals = {path: original[2] for path, original in self.originals.items()
                     if self.current[path] != original[2]}
        paths = set(fix.changed) | fix.relies_on(originals, self.index.module_of_path)
        for path, change in fix.changed.items():
            self.current[path] = change.new_text
            analyze_text(self.index, config, path, change.new_text, change.module, change.is_package)
        self.applied[fix.violation.code] += fix.sites
        self.groups = [g for g in self.groups if not g & paths] + [paths.union(*(g for g in self.groups if g & paths))]

    def _read_original(self, path: str) -> bool:
        real = Path(os.path.realpath(path))
        if not all(_inside(r, real) for r in self.trusted) or not _inside(_lexical_root(path, self.root), real):
            self.skipped[path] = f"resolves outside the workspace root ({real}); not written"
            return False
        try:
            data = real.read_bytes()
            text, encoding = decode_source(data)
        except (OSError, UndecodableSource) as exc:
            self.skipped[path] = f"cannot read: {exc}"
            return False
        self.originals[path] = (data, encoding, text)
        self.current[path] = text
        return True

    def _reanalyse(self) -> dict[str, list[Violation]]:
        """Every file against the updated index (importers may have changed)."""
        config = self.opened.workspace.config
        by_path: dict[str, list[Violation]] = {}
        for facts in self.index.facts_by_module.values():
            if facts.path in self.result.facts or facts.path in self.current:
                for v in analyze(facts, self.index, config):
                    by_path.setdefault(v.path, []).append(v)
        return by_path

    def write(self) -> int:
        """Write (or show, with --diff / --dry-run) the changed files; returns how many were written."""
        out = sys.stderr if self.options.diff else sys.stdout
        written = 0
        held = set() if self.dry else self._held_groups()
        for path in sorted(self.current):
            old_text, new_text = self.originals[path][2], self.current[path]
            if new_text == old_text or path in held:
                continue
            if self.options.diff and self.options.format == "json":
                continue  # the diff is part of the JSON document
            if self.options.diff:
                rel = relative(path)
                sys.stdout.writelines(difflib.unified_diff(old_text.splitlines(True), new_text.splitlines(True),
                                                           f"a/{rel}", f"b/{rel}"))
            elif self.dry:
                if self.options.format != "json":
                    print(f"would fix {relative(path)}", file=out)
            elif self._write_one(path, new_text):
                written += 1
        return written

    def _held_groups(self) -> set[str]:
        """Files of cross-file fixes not to write: a group one of whose files changed on disk since it
        was read (or cannot be encoded) is written not at all, and each of its files says why."""
        held: set[str] = set()
        for group in self.groups:
            problem = next(((path, why) for path in sorted(group) if (why := self._unwritable(path))), None)
            if problem is None:
                continue
            culprit, why = problem
            for path in group:
                held.add(path)
                self.skipped[path] = (f"{why}; not written" if path == culprit else
                                      f"part of a cross-file fix with {relative(culprit)}, which {why}; "
                                      "no file of that fix was written")
        return held

    def _unwritable(self, path: str) -> str | None:
        data, encoding, _ = self.originals[path]
        try:
            if Path(os.path.realpath(path)).read_bytes() != data:
                return "changed on disk since it was analysed"
            self.current[path].encode(encoding)
        except UnicodeEncodeError as exc:
            return f"cannot be encoded as {encoding}: {exc.reason}"
        except OSError as exc:
            return f"cannot be re-read: {exc}"
        return None

    def _write_one(self, path: str, new_text: str) -> bool:
        data, encoding, _ = self.originals[path]
        real = Path(os.path.realpath(path))
        try:
            if real.read_bytes() != data:
                self.skipped[path] = "changed on disk since it was analysed; not written"
                return False
            encoded = new_text.encode(encoding)
        except UnicodeEncodeError as exc:
            self.skipped[path] = f"the fixed text cannot be encoded as {encoding}: {exc.reason}"
            return False
        except OSError as exc:
            self.skipped[path] = f"cannot re-read: {exc}"
            return False
        try:
            write_atomic(real, encoded)
        except OSError as exc:
            self.skipped[path] = f"cannot write: {exc}"
            return False
        return True

    def reasons(self, remaining: list[Violation]) -> list[Unfixed]:
        """Why each remaining finding of a fixable rule is not fixed, in full (issue 15 §5): the
        outcome of its file's last fix-all, or — when that run never saw the finding in this form
        (another file's fix changed it) — its fix computed now on the final text."""
        recorded: dict[tuple[object, ...], list[FixOutcome]] = {}
        for path, outcomes in self.unfixable.items():
            for o in outcomes:
                v = o.violation
                recorded.setdefault((path, v.code, v.symbol, v.message, v.span), []).append(o)
                recorded.setdefault((path, v.code, v.symbol, v.message), []).append(o)
        sites = []
        fresh: dict[str, list[Violation]] = {}
        for v in remaining:
            if v.code not in FIXABLE_CODES:
                continue
            if v.path in self.skipped:
                sites.append(Unfixed.of(v, f"the file was not fixed: {self.skipped[v.path]}"))
                continue
            found = recorded.get((v.path, v.code, v.symbol, v.message, v.span)) or \
                recorded.get((v.path, v.code, v.symbol, v.message))
            if found and found[0].reason:
                o = found[0]
                sites.append(Unfixed.of(v, o.reason or "", unsafe_fix=o.new_text is not None and not o.safe))
            else:
                fresh.setdefault(v.path, []).append(v)
        for path, violations in fresh.items():
            sites += self._reasons_now(path, violations, [v for v in remaining if v.path == path])
        return sorted_sites(sites)

    def _reasons_now(self, path: str, targets: list[Violation], everything: list[Violation]) -> list[Unfixed]:
        text = self.current.get(path)
        if text is None:
            try:
                text, _ = decode_source(Path(path).read_bytes())
            except (OSError, UndecodableSource) as exc:
                return [Unfixed.of(v, f"the file cannot be read: {exc}") for v in targets]
        config = self.opened.workspace.config
        out = []
        for o in fixes_for(text, path, everything, self.index, config, targets=targets):
            if o.new_text is None:
                out.append(Unfixed.of(o.violation, o.reason or ""))
            elif not o.safe and not self.options.unsafe_fixes:
                out.append(Unfixed.of(o.violation, unsafe_reason(o.title), unsafe_fix=True))
            else:
                out.append(Unfixed.of(o.violation, "the fix became possible only after other files were fixed "
                                                   f"in this run ({o.title}); run `ssot-lsp fix` again"))
        return out

    def report(self, remaining: list[Violation], written: int) -> None:
        if self.options.format == "json":
            self.report_json(remaining, written)
            return
        out = sys.stderr if self.options.diff else sys.stdout
        for path, reason in sorted(self.skipped.items()):
            print(f"{relative(path)}: skipped: {reason}", file=sys.stderr)
        left = Counter(v.code for v in remaining)
        verb = "would fix" if self.dry else "fixed"
        changed = sum(1 for p in self.current if self.current[p] != self.originals[p][2])
        print(f"{verb} {sum(self.applied.values())} site(s) in {changed} file(s)"
              + (f", wrote {written}" if not self.dry else ""), file=out)
        for code in sorted(set(self.applied) | set(left)):
            print(f"  {code}: {verb} {self.applied.get(code, 0)}, remaining {left.get(code, 0)}", file=out)
        sites = self.reasons(remaining)
        if sites:
            print(f"not fixed ({len(sites)} site(s) of rules that have fixes):", file=out)
            for site in sites:
                print(f"  {site.text(str(Path.cwd()))}", file=out)
        unsafe_left = sum(site.unsafe_fix for site in sites)
        if unsafe_left:
            print(f"{unsafe_left} more fix(es) available with --unsafe-fixes", file=out)

    def report_json(self, remaining: list[Violation], written: int) -> None:
        """One JSON document on stdout: what was fixed, what is left and why (with --diff, each
        changed file's diff)."""
        root = str(Path.cwd())
        changed = sorted(p for p in self.current if self.current[p] != self.originals[p][2])
        files = []
        for path in changed:
            entry: dict[str, object] = {"path": relative(path)}
            if self.options.diff:
                rel = relative(path)
                entry["diff"] = "".join(difflib.unified_diff(
                    self.originals[path][2].splitlines(True), self.current[path].splitlines(True),
                    f"a/{rel}", f"b/{rel}"))
            files.append(entry)
        document = {
            "dryRun": self.dry, "unsafeFixes": self.options.unsafe_fixes,
            "fixed": dict(sorted(self.applied.items())),
            "remaining": dict(sorted(Counter(v.code for v in remaining).items())),
            "changedFiles": files, "written": written,
            "skipped": [{"path": relative(p), "reason": r} for p, r in sorted(self.skipped.items())],
            "notFixed": [site.to_json(root) for site in self.reasons(remaining)],
        }
        json.dump(document, sys.stdout, indent=2)
        sys.stdout.write("\n")
