#!/usr/bin/env python3
"""How far `check`'s fixable counts are from what `fix` then does, on a workspace.

    python benchmarks/bench_fixable.py DIR [DIR ...]

`check` says "N fixable with `ssot-lsp fix` (M more with `--unsafe-fixes`)" from each rule's declared
fix safety and the finding's payload (``ssot_lsp/core/fixable.py``), without running the fixes.
This runs `fix` itself in memory (``FixRun``: the same passes, verification and budget as the
command, nothing written) without and with unsafe fixes, and compares per finding: which findings
each run resolves (by file, code and symbol; a construction rewritten by its import's fix counts as
resolved). It prints the predicted counts, the resolved counts and where they differ.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ssot_lsp.cli.common import OpenedWorkspace, open_for
from ssot_lsp.cli.fix import FixRun
from ssot_lsp.cli.options import FixOptions
from ssot_lsp.core.fixable import expected_fixes
from ssot_lsp.core.violations import Violation

Key = tuple[str, str, str]  # (path, code, symbol)


def key(v: Violation) -> Key:
    return (v.path, v.code, v.symbol)


def resolved_by_fix(opened: OpenedWorkspace, unsafe: bool) -> tuple[Counter[Key], Counter[Key]]:
    """(findings before, findings `fix` leaves), as multisets of keys."""
    options = FixOptions(paths=opened.options.paths, no_cache=True, dry_run=True, unsafe_fixes=unsafe)
    result = opened.scan(progress=False)
    run = FixRun(opened, options, result)
    remaining = run.fix_passes()
    return Counter(key(v) for v in result.violations), Counter(key(v) for v in remaining)


def measure(root: Path) -> None:
    os.chdir(root)
    opened = open_for(FixOptions(no_cache=True))
    result = opened.scan(progress=False)
    expected = expected_fixes(result.violations)
    predicted = Counter(e or "none" for e in expected)
    started = time.perf_counter()
    _, after_safe = resolved_by_fix(opened, unsafe=False)
    _, after_unsafe = resolved_by_fix(opened, unsafe=True)
    elapsed = time.perf_counter() - started
    # what each finding became: resolved by the safe run, by the unsafe run only, or left
    left_safe, left_unsafe = Counter(after_safe), Counter(after_unsafe)
    outcome: list[str] = []
    for v in result.violations:
        k = key(v)
        if left_safe[k] > 0:
            left_safe[k] -= 1
            if left_unsafe[k] > 0:
                left_unsafe[k] -= 1
                outcome.append("none")
            else:
                outcome.append("unsafe")
        else:
            if left_unsafe[k] > 0:
                left_unsafe[k] -= 1
            outcome.append("safe")
    actual = Counter(outcome)
    confusion = Counter((e or "none", o) for e, o in zip(expected, outcome))
    print(f"{root}: {len(result.violations)} findings; fix runs took {elapsed:.1f} s")
    print(f"  check says:  {predicted['safe']} fixable with `ssot-lsp fix` ({predicted['unsafe']} more with "
          f"--unsafe-fixes); {predicted['none']} without a fix")
    print(f"  fix does:    resolves {actual['safe']} ({actual['unsafe']} more with --unsafe-fixes); "
          f"{actual['none']} left")
    print("  predicted -> resolved by: count (per rule)")
    for (e, o), n in sorted(confusion.items()):
        rules = Counter(v.code for v, ee, oo in zip(result.violations, expected, outcome) if (ee or "none", oo) == (e, o))
        mark = "" if e == o else "   <- differs"
        print(f"    {e:6s} -> {o:6s}: {n:5d}  ({', '.join(f'{c} {k}' for c, k in sorted(rules.items()))}){mark}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", nargs="+", type=Path)
    for root in parser.parse_args().roots:
        measure(root.resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
