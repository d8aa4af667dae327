#!/usr/bin/env python3
"""Warm `ssot-lsp check` of two checkouts against ruff's warm run, interleaved, with and without shims.

    python benchmarks/bench_warm.py --before DIR --after DIR [--corpus DIR] [--runs 9]

``bench_check.py`` times one version, cold and warm, as a user runs it. This times only the warm
runs, of two versions of the package (``PYTHONPATH`` set to each checkout) and of ruff, in rounds:
each round runs every command once, so a busy machine slows all of them alike. Each command runs
twice through what is on ``PATH`` (``ssot-lsp``, ``ruff``: with pyenv these are bash shims costing
60-80 ms each) and through the executables the shims resolve to (``pyenv which``, or ``shutil.which``
without pyenv). Each version keeps its cache in its own directory (``--cache-dir``): versions with
another findings format prune each other's files. Prints median wall-clock and CPU seconds and the
ratios to ruff. Compile each checkout first (``python -m compileall -q ssot_lsp``) when
``PYTHONDONTWRITEBYTECODE`` is set, or every run compiles the package. Stdlib only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def resolved(name: str) -> str:
    try:
        found = subprocess.run(["pyenv", "which", name], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        found = ""
    return found or shutil.which(name) or name


def once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            cwd=tempfile.gettempdir())
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed ({status}): {' '.join(cmd)}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--before", required=True, help="checkout of the version before (the directory holding ssot_lsp/)")
    ap.add_argument("--after", required=True, help="checkout of the version after")
    ap.add_argument("--corpus", default="/work/corpora/realistic")
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    scratch = tempfile.mkdtemp(prefix="ssot-bench-warm-")
    corpus = os.path.abspath(args.corpus)

    def ssot(exe: str, checkout: str, name: str) -> tuple[list[str], dict[str, str]]:
        return ([exe, "check", "--exit-zero", "--format", "json", "--cache-dir", os.path.join(scratch, name), corpus],
                {**os.environ, "PYTHONPATH": os.path.abspath(checkout)})

    def ruff(exe: str) -> tuple[list[str], dict[str, str]]:
        return ([exe, "check", "--config", os.path.join(corpus, "ruff.toml"), "--cache-dir",
                 os.path.join(scratch, "ruff"), corpus, "--exit-zero", "--output-format", "concise"], dict(os.environ))

    commands = {}
    for kind, ssot_exe, ruff_exe in (("shim", "ssot-lsp", "ruff"), ("resolved", resolved("ssot-lsp"), resolved("ruff"))):
        commands[f"ssot before ({kind})"] = ssot(ssot_exe, args.before, "before")
        commands[f"ssot after ({kind})"] = ssot(ssot_exe, args.after, "after")
        commands[f"ruff ({kind})"] = ruff(ruff_exe)
    for cmd, env in commands.values():  # fill, then settle (the fill creates the cache directory)
        once(cmd, env)
        once(cmd, env)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    loads = []
    for _ in range(args.runs):
        loads.append(os.getloadavg()[0])
        for name, (cmd, env) in commands.items():
            times[name].append(once(cmd, env))
    shutil.rmtree(scratch, ignore_errors=True)
    print(f"{corpus}: {args.runs} rounds, load average {min(loads):.1f}-{max(loads):.1f}; medians")
    medians = {name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
               for name, runs in times.items()}
    for name, (wall, cpu) in medians.items():
        print(f"  {name:24s} wall {wall:6.3f} s   CPU {cpu:6.3f} s")
    for kind in ("shim", "resolved"):
        ruff_wall, ruff_cpu = medians[f"ruff ({kind})"]
        for version in ("before", "after"):
            wall, cpu = medians[f"ssot {version} ({kind})"]
            print(f"  {kind:8s} ssot {version:6s} / ruff: wall {wall / ruff_wall:5.2f}x   CPU {cpu / ruff_cpu:5.2f}x")


if __name__ == "__main__":
    main()
