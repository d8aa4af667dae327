#!/usr/bin/env python3
"""Commit a generated corpus as a git history in which the migration moves (for `audit --history`).

    python benchmarks/generate_history.py --corpus /work/corpora/realistic --out /work/corpora/realistic-history
        [--commits 50] [--churn 0.02] [--seed 1] [--baseline-at 20 | --no-baseline]

The last commit is the corpus as generated; older commits hold legacy engine sites that later
commits migrate (the burndown), a few regressions and half-done migrations, files added and
removed, and ordinary churn, so that about ``--churn`` of the files change between two commits.
One commit has an invalid ``[tool.ssot-lsp]`` table; with the tool importable, commit
``--baseline-at`` records a baseline. See ``corpusgen/history.py``.
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from corpusgen.history import write_history


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", required=True, help="a corpus written by generate_corpus.py")
    ap.add_argument("--out", required=True, help="the repository to create (replaced when it exists)")
    ap.add_argument("--commits", type=int, default=50)
    ap.add_argument("--churn", type=float, default=0.02, help="share of the files changing between commits")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--baseline-at", type=int, default=20, help="commit that records a baseline (needs ssot_lsp)")
    ap.add_argument("--no-baseline", action="store_true")
    args = ap.parse_args(argv)
    if not os.path.isfile(os.path.join(args.corpus, "ground_truth.json")):
        ap.error(f"{args.corpus} holds no generated corpus (no ground_truth.json)")
    if os.path.abspath(args.out).startswith(os.path.abspath(args.corpus) + os.sep):
        ap.error("--out must not be inside the corpus")
    if args.commits < 2 or not 0 < args.churn < 0.5:
        ap.error("--commits must be at least 2 and --churn between 0 and 0.5")
    baseline_at = None if args.no_baseline else min(args.baseline_at, args.commits)
    summary = write_history(args.corpus, args.out, args.commits, args.churn, args.seed, baseline_at)
    print(f"wrote {summary['commits']} commits of {summary['files']:,} files ({summary['python_files']:,} .py) to "
          f"{args.out}: {summary['changed_per_commit']} files changed per commit ({summary['churn']:.1%}); "
          f"invalid configuration at commit {summary['invalid_config_at']}"
          + (f", baseline recorded at commit {summary['baseline_at']}" if summary["baseline_at"] else "")
          + f"; {summary['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
