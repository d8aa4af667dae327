#!/usr/bin/env python3
"""End to end: `ssot-lsp fix --unsafe-fixes` on a realistic tree, checked like a reviewer would.

    python benchmarks/bench_fix_e2e.py ROOT [PATH ...] [--safe] [--show N] [--json OUT]

Runs the same passes, verification and budget as `ssot-lsp fix --unsafe-fixes` in memory
(``FixRun``, nothing is written; the tree is never modified) on the workspace at ROOT (restricted
to PATHs, e.g. ``netra_backend``, when given) and checks what issue 15 asks of the result:

- every changed file compiles (``compile``, the interpreter running this script);
- pyflakes' undefined-name count over the changed files does not rise (before vs after);
- every site of a fixable rule that is left has a reason (``FixRun.reasons``; on an older checkout
  without it, the last outcome recorded for the same finding);
- fixed / remaining per rule.

``--show N`` prints N changed hunks (unified diff) to read; ``--json OUT`` writes the figures.
Run it against another checkout with ``PYTHONPATH=/that/checkout`` to get before/after figures.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

if "PYTHONPATH" not in os.environ:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ssot_lsp.cli.common import open_for  # noqa: E402
from ssot_lsp.cli.fix import FixRun  # noqa: E402
from ssot_lsp.cli.options import FixOptions  # noqa: E402
from ssot_lsp.fixes.api import FIXABLE_CODES  # noqa: E402


def undefined_names(text: str, path: str) -> int:
    """pyflakes' undefined-name messages for one text (0 when it does not parse)."""
    from pyflakes import checker, messages

    import ast

    try:
        tree = ast.parse(text, path)
    except SyntaxError:
        return 0
    found = checker.Checker(tree, filename=path)
    return sum(isinstance(m, (messages.UndefinedName, messages.UndefinedExport, messages.UndefinedLocal))
               for m in found.messages)


def reasons_of(run: FixRun, remaining: list) -> list[tuple[str, str, str | None]]:
    """(path:line, code, reason) for every remaining finding of a fixable rule."""
    if hasattr(run, "reasons"):
        return [(site.where(), site.code, site.reason) for site in run.reasons(remaining)]
    left: dict[tuple[str, str, str, str], list[str]] = {}
    for path, outcomes in run.unfixable.items():
        for o in outcomes:
            v = o.violation
            if o.reason:
                left.setdefault((path, v.code, v.symbol, v.message), []).append(o.reason)
    out: list[tuple[str, str, str | None]] = []
    for v in remaining:
        if v.code not in FIXABLE_CODES:
            continue
        found = left.get((v.path, v.code, v.symbol, v.message))
        out.append((f"{v.path}:{v.span.line + 1}", v.code, found.pop(0) if found else None))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--safe", action="store_true", help="safe fixes only")
    parser.add_argument("--show", type=int, default=0, help="print this many changed hunks (random, seeded)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    os.chdir(args.root.resolve())
    options = FixOptions(paths=[p for p in args.paths], no_cache=True, dry_run=True, unsafe_fixes=not args.safe)
    opened = open_for(options)
    started = time.perf_counter()
    result = opened.scan(progress=False)
    scanned = time.perf_counter() - started
    run = FixRun(opened, options, result)
    remaining = run.fix_passes()
    fixed_s = time.perf_counter() - started - scanned
    before = Counter(v.code for v in result.violations)
    after = Counter(v.code for v in remaining)
    changed = [p for p in run.current if run.current[p] != run.originals[p][2]]
    not_compiling = []
    undefined_before = undefined_after = 0
    for path in changed:
        old, new = run.originals[path][2], run.current[path]
        try:
            compile(new, path, "exec")
        except (SyntaxError, ValueError) as exc:
            not_compiling.append(f"{path}: {exc}")
        undefined_before += undefined_names(old, path)
        undefined_after += undefined_names(new, path)
    reasons = reasons_of(run, remaining)
    without = [(where, code) for where, code, r in reasons if not r]
    print(f"{args.root} {' '.join(map(str, args.paths))}: {len(result.violations)} findings in "
          f"{len({v.path for v in result.violations})} files; scan {scanned:.1f} s, fix {fixed_s:.1f} s "
          f"({'safe' if args.safe else 'unsafe'} fixes)")
    print(f"changed files: {len(changed)}; not compiling: {len(not_compiling)}")
    for line in not_compiling[:10]:
        print("   ", line)
    print(f"pyflakes undefined names in the changed files: before {undefined_before}, after {undefined_after}")
    print("per rule: findings before -> fixed, remaining")
    for code in sorted(set(before) | set(after) | set(run.applied)):
        mark = " (fixable)" if code in FIXABLE_CODES else ""
        print(f"  {code}: {before[code]:5d} -> fixed {run.applied.get(code, 0):4d}, remaining {after[code]:4d}{mark}")
    print(f"remaining sites of fixable rules: {len(reasons)}; without a reason: {len(without)}")
    for where, code in without[:10]:
        print(f"    {where}: {code}")
    why = Counter((code, (r or "").split(": ", 1)[0][:90]) for _, code, r in reasons)
    print("top reasons:")
    for (code, reason), n in why.most_common(15):
        print(f"  {code} x{n}: {reason}")
    if args.show:
        hunks = []
        for path in sorted(changed):
            diff = list(difflib.unified_diff(run.originals[path][2].splitlines(True), run.current[path].splitlines(True),
                                             f"a/{os.path.relpath(path)}", f"b/{os.path.relpath(path)}", n=1))
            text, header = [], diff[:2]
            for line in diff[2:]:
                if line.startswith("@@") and text:
                    hunks.append("".join(header + text))
                    text = []
                text.append(line)
            if text:
                hunks.append("".join(header + text))
        for hunk in random.Random(15).sample(hunks, min(args.show, len(hunks))):
            print(hunk)
    if args.json:
        args.json.write_text(json.dumps({
            "findings": dict(before), "fixed": dict(run.applied), "remaining": dict(after),
            "changed_files": len(changed), "not_compiling": len(not_compiling),
            "undefined_before": undefined_before, "undefined_after": undefined_after,
            "remaining_fixable": len(reasons), "without_reason": len(without)}, indent=1))
    ok = not not_compiling and undefined_after <= undefined_before and not without
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
