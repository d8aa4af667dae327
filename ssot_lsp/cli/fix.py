"""`ssot-lsp fix`: apply verified fixes across the workspace (safe ones unless --unsafe-fixes).

Files are fixed one at a time with ``fix_all`` (each fix verified); passes repeat while some file
changed, because fixing importers can make a re-exporting module fixable. Every file runs under a
time budget and any failure skips that file only. Writes are atomic (temporary file in the same
directory, then ``os.replace``), keep the file mode, the PEP 263 encoding and the line endings, go
to the resolved target of a symlink only inside the workspace root, and skip a file whose content
changed since it was read.
"""

from __future__ import annotations

import difflib
import os
import signal
import sys
import threading
from collections import Counter
from pathlib import Path

from ssot_lsp.cli.common import (
    config_error,
    exit_code_for,
    make_progress,
    open_cache,
    prepare,
)
from ssot_lsp.config.loader import ConfigError
from ssot_lsp.core.atomic import write_atomic
from ssot_lsp.core.engine import analyze
from ssot_lsp.core.text import UndecodableSource, decode_source

FILE_BUDGET_S = float(os.environ.get("SSOT_FIX_FILE_BUDGET", "20"))
MAX_PASSES = 4


class _Timeout(Exception):
    pass


def _with_budget(seconds: float, func, *args, **kwargs):
    """Run ``func`` under a wall-clock budget (SIGALRM on the main thread; unbounded elsewhere)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        return func(*args, **kwargs)

    def on_alarm(signum, frame):
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return func(*args, **kwargs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _rel(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


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


def run_fix(args) -> int:
    from ssot_lsp.fixes.api import FIXABLE_CODES, fix_all

    try:
        workspace, paths = prepare(args)
    except ConfigError as exc:
        return config_error(exc)
    config = workspace.config
    root = Path(workspace.root).resolve()
    cache = open_cache(args, workspace)
    result = workspace.scan(paths or None, jobs=args.jobs, cache=cache, progress=make_progress(),
                            prefilter=not getattr(args, "no_prefilter", False))
    if cache is not None:
        cache.save()
    index = result.index
    # where files may be written: the workspace root, seen from where the arguments are named
    trusted = [root, *(_lexical_root(str(p), root) for p in paths)]
    requested = {v.path for v in result.violations}
    if paths:
        wanted = {str(p.resolve()) for p in workspace.discover(paths)}
        in_scope = lambda p: str(Path(p).resolve()) in wanted  # noqa: E731
    else:
        in_scope = lambda p: True  # noqa: E731
    originals: dict[str, tuple[bytes, str, str]] = {}  # path -> (bytes read, encoding, text)
    current: dict[str, str] = {}
    skipped: dict[str, str] = {}
    applied = Counter()
    unsafe = bool(getattr(args, "unsafe_fixes", False))
    violations_by_path: dict[str, list] = {}
    for v in result.violations:
        violations_by_path.setdefault(v.path, []).append(v)
    unfixable: dict[str, list] = {}
    for _ in range(MAX_PASSES):
        changed_any = False
        for path in sorted(violations_by_path):
            if path in skipped or not in_scope(path):
                continue
            if not any(v.code in FIXABLE_CODES for v in violations_by_path[path]):
                continue
            if path not in originals:
                real = Path(os.path.realpath(path))
                if not all(_inside(r, real) for r in trusted) or not _inside(_lexical_root(path, root), real):
                    skipped[path] = f"resolves outside the workspace root ({real}); not written"
                    continue
                try:
                    data = real.read_bytes()
                    text, encoding = decode_source(data)
                except (OSError, UndecodableSource) as exc:
                    skipped[path] = f"cannot read: {exc}"
                    continue
                originals[path] = (data, encoding, text)
                current[path] = text
            try:
                outcome = _with_budget(FILE_BUDGET_S, fix_all, current[path], path, index, config, unsafe=unsafe)
            except _Timeout:
                skipped[path] = f"fixing took longer than {FILE_BUDGET_S:g}s; skipped"
                continue
            except Exception as exc:  # noqa: BLE001 - one file never stops the run
                skipped[path] = f"fixing failed: {type(exc).__name__}: {exc}"
                continue
            for fixed in outcome.applied:
                applied[fixed.violation.code] += 1
            unfixable[path] = outcome.unfixable
            if outcome.new_text != current[path]:
                current[path] = outcome.new_text
                changed_any = True
        # re-analyse every file against the updated index (importers may have changed)
        violations_by_path = {}
        for facts in index.facts_by_module.values():
            if facts.path in result.facts or facts.path in current:
                for v in analyze(facts, index, config):
                    violations_by_path.setdefault(v.path, []).append(v)
        if not changed_any:
            break
    remaining = [v for vs in violations_by_path.values() for v in vs
                 if (not paths or in_scope(v.path)) and (v.path in requested or v.path in current)]
    # outputs
    diff_mode = bool(getattr(args, "diff", False))
    dry = diff_mode or bool(getattr(args, "dry_run", False))
    out = sys.stderr if diff_mode else sys.stdout
    written = 0
    for path in sorted(current):
        old_text = originals[path][2]
        new_text = current[path]
        if new_text == old_text:
            continue
        if diff_mode:
            rel = _rel(path)
            sys.stdout.writelines(difflib.unified_diff(old_text.splitlines(True), new_text.splitlines(True),
                                                       f"a/{rel}", f"b/{rel}"))
            continue
        if dry:
            print(f"would fix {_rel(path)}", file=out)
            continue
        data, encoding, _ = originals[path]
        real = Path(os.path.realpath(path))
        try:
            if real.read_bytes() != data:
                skipped[path] = "changed on disk since it was analysed; not written"
                continue
            encoded = new_text.encode(encoding)
        except UnicodeEncodeError as exc:
            skipped[path] = f"the fixed text cannot be encoded as {encoding}: {exc.reason}"
            continue
        except OSError as exc:
            skipped[path] = f"cannot re-read: {exc}"
            continue
        try:
            write_atomic(real, encoded)
            written += 1
        except OSError as exc:
            skipped[path] = f"cannot write: {exc}"
    for path, reason in sorted(skipped.items()):
        print(f"{_rel(path)}: skipped: {reason}", file=sys.stderr)
    # unfixable sites that remain, per rule
    left = Counter(v.code for v in remaining)
    verb = "would fix" if dry else "fixed"
    total = sum(applied.values())
    print(f"{verb} {total} site(s) in {sum(1 for p in current if current[p] != originals[p][2])} file(s)"
          + (f", wrote {written}" if not dry else ""), file=out)
    for code in sorted(set(applied) | set(left)):
        print(f"  {code}: {verb} {applied.get(code, 0)}, remaining {left.get(code, 0)}", file=out)
    reasons = Counter()
    for outcomes in unfixable.values():
        for outcome in outcomes:
            if outcome.reason and outcome.violation.code in FIXABLE_CODES:
                reasons[(outcome.violation.code, outcome.reason.split(";")[0][:100])] += 1
    if reasons:
        print("unfixable:", file=out)
        for (code, reason), count in sorted(reasons.items()):
            print(f"  {code} x{count}: {reason}", file=out)
    if not unsafe:
        unsafe_left = sum(1 for outcomes in unfixable.values() for o in outcomes
                          if o.new_text is not None and not o.safe)
        if unsafe_left:
            print(f"{unsafe_left} more fix(es) available with --unsafe-fixes", file=out)
    if args.exit_zero:
        return 0
    return exit_code_for(remaining)
