#!/usr/bin/env python3
"""Generate the realistic benchmark corpus: a monorepo half-way through its SSOT migration.

    python benchmarks/generate_corpus.py --out DIR [--files 25000] [--seed 1] [--stats] [--verify]
    python benchmarks/generate_corpus.py --stats-only DIR

The default corpus has the measured properties of the first users' real monorepo (issue 10 §1,
figures in benchmarks/README.md): 25,000 files / ~10 M lines, mostly tests, more than half of them
backup copies, "SSOT" in the comments of most files, and the real-code shapes of the migration
(issues 13-15), each with a variant that must stay clean.  ``DIR/ground_truth.json`` labels every
site; ``DIR/ruff.toml`` configures ruff like for like (same legacy modules, same excluded folders).

``--stats`` measures the written corpus against the real figures (also saved as
``DIR/corpus_stats.txt``/``.json``); ``--verify`` additionally fails (exit 1) when a figure is out of
tolerance or a file that is not labelled as broken does not parse.  Stdlib only (libcst, when
installed, tells 3.12-only syntax from real syntax errors).  Deterministic for a seed and Python version.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from corpusgen import generate
from corpusgen.stats import TARGETS, measure, report, write_report


def stats(out: str, verify: bool) -> int:
    with open(os.path.join(out, "ground_truth.json"), encoding="utf-8") as fh:
        truth = json.load(fh)
    m = measure(out)
    text = report(m, truth)
    write_report(out, m, text)
    print(text)
    if not verify:
        return 0
    bad = [what for key, what, real, tol in TARGETS if tol is not None and key in m and abs(m[key] - real) > tol]
    broken = {s["path"] for s in truth["sites"] if s["shape"] == "syntax" and s["variant"] != "newer_fstring"}
    stray = [p for p in m.get("unparseable_files", []) if p not in broken]
    for what in bad:
        print(f"verify: out of tolerance: {what}", file=sys.stderr)
    for p in stray:
        print(f"verify: does not parse and is not labelled: {p}", file=sys.stderr)
    return 1 if bad or stray else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", help="output directory (created; a previous corpus there is replaced)")
    ap.add_argument("--files", type=int, default=25000, help="number of .py files (default 25000, ~10 M lines)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--stats", action="store_true", help="measure the corpus afterwards and print it against the targets")
    ap.add_argument("--verify", action="store_true", help="like --stats, and exit 1 when a figure is out of tolerance")
    ap.add_argument("--stats-only", metavar="DIR", help="measure an existing corpus, generate nothing")
    args = ap.parse_args(argv)
    if args.stats_only:
        return stats(args.stats_only, args.verify)
    if not args.out:
        ap.error("--out is required (or --stats-only DIR)")
    if args.files < 200:
        ap.error("--files must be at least 200")
    if os.path.exists(os.path.join(args.out, "ground_truth.json")):
        print(f"removing the previous corpus in {args.out}", file=sys.stderr)
        shutil.rmtree(args.out)
    elif os.path.isdir(args.out) and os.listdir(args.out):
        ap.error(f"{args.out} is not empty and holds no generated corpus (no ground_truth.json)")
    summary = generate(args.out, args.files, args.seed)
    print(f"wrote {summary['files']:,} .py files, {summary['lines']:,} lines, {summary['sites']:,} labelled sites "
          f"to {args.out} in {summary['seconds']} s (seed {args.seed})")
    if args.stats or args.verify:
        return stats(args.out, args.verify)
    return 0


if __name__ == "__main__":
    sys.exit(main())
