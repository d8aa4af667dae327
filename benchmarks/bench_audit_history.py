#!/usr/bin/env python3
"""Time `ssot-lsp audit --history` (50 points) against one `ssot-lsp check --no-cache` on the same tree.

    python benchmarks/bench_audit_history.py [--repo /work/corpora/realistic-history] [--runs 3]
        [--max-points 50] [--verify 3] [--keep report.json]

The repository is the realistic corpus committed as a history (``generate_history.py``: 50 commits,
~2 % of the files changing between two commits); its working tree is the last commit. Runs
alternate — check, audit, check, audit … — so that the machine's load falls on both alike:

1. ``ssot-lsp check --no-cache --exit-zero --statistics``            on the working tree;
2. ``ssot-lsp audit --history main --max-points N --format json -o`` on the repository.

Printed: the median wall-clock and CPU seconds (user + system of the process tree) of each, their
ratios (target: audit <= 3x check), peak RSS, and what the report found (points, first and last
totals, files read and reused). ``--verify K`` also compares K points spread over the history with
``check --no-cache --no-baseline`` on a ``git archive`` of their commit (site for site). Stdlib only.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from bench_check import Run, check_ok, run_timed

DEFAULT_REPO = "/work/corpora/realistic-history"
TARGET_RATIO = 3.0


def ssot() -> list[str]:
    return [sys.executable, "-m", "ssot_lsp"]


def time_both(repo: str, runs: int, max_points: int, out_dir: str) -> tuple[list[Run], list[Run]]:
    checks, audits = [], []
    for i in range(runs):
        check = run_timed([*ssot(), "check", "--no-cache", "--exit-zero", "--statistics", "."],
                          os.path.join(out_dir, f"check-{i}.txt"), 0.05, cwd=repo)
        check_ok(check, "check")
        checks.append(check)
        report = os.path.join(out_dir, f"audit-{i}.json")
        audit = run_timed([*ssot(), "audit", "--history", "main", "--max-points", str(max_points), "--format", "json",
                           "-o", report], os.path.join(out_dir, f"audit-{i}.txt"), 0.05, cwd=repo)
        check_ok(audit, "audit --history")
        audit.stdout_path = report
        audits.append(audit)
        print(f"  run {i + 1}: check {check.seconds:6.1f} s wall {check.cpu_s:6.1f} s CPU | audit --history "
              f"{audit.seconds:6.1f} s wall {audit.cpu_s:6.1f} s CPU", flush=True)
    return checks, audits


def verify(repo: str, report: dict, count: int, out_dir: str) -> list[str]:
    """Points whose sites differ from `check` on a checkout of their commit (empty: all equal)."""
    points = [p for p in report["points"] if p["status"] == "ok"]
    chosen = [points[round(i * (len(points) - 1) / max(count - 1, 1))] for i in range(count)] if count else []
    problems = []
    for point in chosen:
        tree = tempfile.mkdtemp(prefix=f"verify-{point['short']}-", dir=out_dir)
        data = subprocess.run(["git", "archive", "--format=tar", point["commit"]], cwd=repo, capture_output=True,
                              check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(tree, filter="data")
        run = subprocess.run([*ssot(), "check", "--no-cache", "--no-baseline", "--exit-zero", "--format", "json", "."],
                             cwd=tree, capture_output=True, text=True, check=False)
        found = {(v["path"], v["line"], v["code"]) for v in json.loads(run.stdout)["violations"]}
        drawn = {tuple(s) for s in point["sites"]}
        same = found == drawn
        print(f"  verify {point['short']} {point['date'][:10]}: check {len(found)}, audit {len(drawn)}: "
              f"{'equal' if same else 'DIFFERENT'}", flush=True)
        if not same:
            problems.append(f"{point['short']}: only check {sorted(found - drawn)[:5]}, only audit "
                            f"{sorted(drawn - found)[:5]}")
    return problems


def describe(report: dict) -> list[str]:
    points = report["points"]
    ok = [p for p in points if p["status"] == "ok"]
    lines = [f"points: {len(points)} of {report['commits_in_range']} commits; without figures: "
             + (", ".join(f"{p['short']} ({p['status']})" for p in points if p["status"] != "ok") or "none")]
    if ok:
        first, last = ok[0], ok[-1]
        lines.append(f"findings: {first['totals']['sites']:,} at {first['date'][:10]} -> {last['totals']['sites']:,} "
                     f"at {last['date'][:10]}; by group now: "
                     + ", ".join(f"{g} {n:,}" for g, n in last["totals"]["by_group"].items()))
        marks = [p for p in points if p["baseline_recorded"]]
        if marks:
            lines.append("baseline recorded at " + ", ".join(f"{p['short']} ({p['date'][:10]})" for p in marks)
                         + f"; newest point against it: {last['baseline']}")
    timing = report["timing"]
    lines.append(f"files read: {timing['files_read']:,} ({timing.get('files_from_worktree', 0):,} from working-tree "
                 f"files holding the blob, the others from git); facts reused: {timing['files_reused']:,}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repo", default=DEFAULT_REPO)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--max-points", type=int, default=50)
    ap.add_argument("--verify", type=int, default=0, metavar="K", help="compare K points with check on checkouts")
    ap.add_argument("--keep", metavar="FILE", help="copy the first run's JSON report there")
    args = ap.parse_args(argv)
    if not os.path.isdir(os.path.join(args.repo, ".git")):
        print(f"bench_audit_history: {args.repo} is not a git repository (benchmarks/generate_history.py writes one)",
              file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-audit-history-") as out_dir:
        print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores shared: wall clock is noisy; CPU is steadier)")
        checks, audits = time_both(args.repo, args.runs, args.max_points, out_dir)
        wall_c, wall_a = statistics.median(r.seconds for r in checks), statistics.median(r.seconds for r in audits)
        cpu_c, cpu_a = statistics.median(r.cpu_s for r in checks), statistics.median(r.cpu_s for r in audits)
        print(f"\n{'':28s}{'wall (median)':>16s}{'CPU (median)':>16s}{'peak RSS':>12s}")
        print(f"{'check --no-cache':28s}{wall_c:14.1f} s{cpu_c:14.1f} s{max(r.peak_mb for r in checks):9.0f} MB")
        print(f"{f'audit --history ({args.max_points} points)':28s}{wall_a:14.1f} s{cpu_a:14.1f} s"
              f"{max(r.peak_mb for r in audits):9.0f} MB")
        ratio_wall, ratio_cpu = wall_a / wall_c, cpu_a / cpu_c
        verdict = "PASS" if ratio_cpu <= TARGET_RATIO else "MISS"
        print(f"{'ratio audit / check':28s}{ratio_wall:15.2f}x{ratio_cpu:15.2f}x   target <= {TARGET_RATIO:.0f}x "
              f"(judged on CPU time, steadier on a shared machine): {verdict}")
        print(f"load average after: {os.getloadavg()[0]:.1f}\n")
        with open(audits[0].stdout_path, encoding="utf-8") as fh:
            report = json.load(fh)
        if args.keep:
            shutil.copy(audits[0].stdout_path, args.keep)
            print(f"report kept: {args.keep}")
        print("\n".join(describe(report)))
        if args.verify:
            sited = os.path.join(out_dir, "sites.json")
            run = run_timed([*ssot(), "audit", "--history", "main", "--max-points", str(args.max_points), "--format",
                             "json", "--sites", "-o", sited], os.path.join(out_dir, "sites.txt"), 0, cwd=args.repo)
            check_ok(run, "audit --history --sites")
            with open(sited, encoding="utf-8") as fh:
                problems = verify(args.repo, json.load(fh), args.verify, out_dir)
            for problem in problems:
                print(f"  DIFFERENT {problem}")
            if problems:
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
