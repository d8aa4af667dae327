#!/usr/bin/env python3
"""Time `ssot-lsp check` against `ruff check` (TID251) on the realistic corpus and score its findings.

    python benchmarks/bench_check.py [--corpus DIR] [--runs 3] [--generate]

Steps (all in one run, so the numbers are comparable):

1. generate the corpus with ``benchmarks/generate_corpus.py`` if DIR has no ``ground_truth.json``
   (or always with ``--generate``), then read every file once (page cache, untimed);
2. like for like: the legacy modules and excluded folders of the profile ``ssot-lsp`` uses on DIR
   (``check --show-settings``) against ``DIR/ruff.toml``; differences are printed;
3. ``ssot-lsp check --no-cache --exit-zero --format json DIR``            cold, --runs times;
4. ``ssot-lsp check --exit-zero --format json DIR``                       once to fill the cache
   (``DIR/.ssot-cache`` is removed first), then --runs times warm;
5. ``ruff check --no-cache --config DIR/ruff.toml DIR --exit-zero``        cold, --runs times;
6. ``ruff check --config DIR/ruff.toml --cache-dir TMP DIR --exit-zero``   fill, then --runs warm;
7. table of median wall-clock seconds, ratios, peak RSS, files analysed, targets (PASS/MISS);
8. the JSON findings of the first cold run scored against ``ground_truth.json`` per rule and per
   shape (``benchmarks/corpusgen/score.py``).

Peak RSS: every timed command is started with Popen and reaped with ``os.wait4`` (its
``ru_maxrss`` is the largest single process of the tree), and a sampler sums the RSS of the
process tree (``/proc``) every few milliseconds, which catches worker pools; the larger of the two
is reported.  ``--findings-json FILE`` only scores a saved JSON output; ``--skip-ssot`` only
times ruff.  Stdlib only.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from corpusgen.score import Finding, as_json, render, score, stale_named

DEFAULT_CORPUS = os.path.join(tempfile.gettempdir(), "ssot-lsp-bench-corpus")

# the targets of issue 10 section 2
TARGET_COLD = 1.0      # ssot cold <= 1.0 x ruff cold
TARGET_WARM = 2.0      # ssot warm <= 2 x ruff warm
TARGET_RSS_MB = 300    # peak RSS of any ssot-lsp check process (cold, fill, warm)


# --------------------------------------------------------------------------------------
# Running one command: wall clock + peak RSS
# --------------------------------------------------------------------------------------


@dataclass
class Run:
    cmd: list[str]
    seconds: float
    rc: int
    maxrss_mb: float          # ru_maxrss from wait4 (largest single process)
    cpu_s: float              # user + system CPU of the process and the children it waited for
    tree_peak_mb: float       # sampled sum over the process tree
    stdout_path: str
    stderr_tail: str = ""

    @property
    def peak_mb(self) -> float:
        return max(self.maxrss_mb, self.tree_peak_mb)


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as fh:
                    kids.extend(int(x) for x in fh.read().split())
            except OSError:
                pass
    except OSError:
        pass
    return kids


def _tree_rss(root: int) -> int:
    total = 0
    stack = [root]
    seen = set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/statm") as fh:
                total += int(fh.read().split()[1]) * _PAGE
        except (OSError, ValueError, IndexError):
            continue
        stack.extend(_children(pid))
    return total


def run_timed(cmd: list[str], stdout_path: str, interval: float, cwd: str | None = None) -> Run:
    sample = os.path.exists("/proc/self/statm") and interval > 0
    peak = [0]
    done = threading.Event()
    with open(stdout_path, "wb") as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd)

        def sampler() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _tree_rss(proc.pid))
                done.wait(interval)

        th = threading.Thread(target=sampler, daemon=True)
        if sample:
            th.start()
        _, status, ru = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        done.set()
        if sample:
            th.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read()[-3000:].decode("utf-8", "replace")
    return Run(cmd, seconds, proc.returncode, ru.ru_maxrss / 1024.0, ru.ru_utime + ru.ru_stime, peak[0] / 2**20,
               stdout_path, tail)


def fail(msg: str, code: int = 2) -> None:
    print(f"bench_check: error: {msg}", file=sys.stderr)
    raise SystemExit(code)


def check_ok(run: Run, what: str) -> None:
    if run.rc != 0:
        fail(f"{what} exited with {run.rc}: {shlex.join(run.cmd)}\n--- stderr (tail) ---\n{run.stderr_tail}")


# --------------------------------------------------------------------------------------
# Findings and the like-for-like set-up
# --------------------------------------------------------------------------------------


def load_findings(path: str, corpus: str, cwd: str) -> tuple[list[Finding], dict]:
    """Parse `ssot-lsp check --format json` output into findings with corpus-relative paths."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, json.JSONDecodeError) as exc:
        fail(f"cannot read the JSON findings in {path}: {exc}")
    if isinstance(data, dict):
        if "violations" not in data:
            fail(f"{path}: JSON object without a \"violations\" key (keys: {sorted(data)[:10]})")
        items = data["violations"]
    elif isinstance(data, list):
        items, data = data, {}
    else:
        fail(f"{path}: unexpected JSON top level {type(data).__name__}")
    root = os.path.realpath(corpus)
    out = []
    for i, v in enumerate(items):
        try:
            p, line, code = v["path"], int(v["line"]), str(v["code"])
        except (KeyError, TypeError, ValueError):
            fail(f"{path}: violation #{i} lacks path/line/code: {v!r:.200}")
        if p.startswith("file://"):
            from urllib.parse import unquote, urlparse
            p = unquote(urlparse(p).path)
        full = os.path.realpath(p if os.path.isabs(p) else os.path.join(cwd, p))
        rel = os.path.relpath(full, root)
        if rel.startswith("..") and not os.path.isabs(p) and os.path.exists(os.path.join(root, p)):
            rel = os.path.relpath(os.path.realpath(os.path.join(root, p)), root)  # relative to the corpus
        out.append(Finding(rel.replace(os.sep, "/"), line, code, str(v.get("severity", ""))))
    return out, data


def like_for_like(ssot: list[str], corpus: str, ruff_cfg: str) -> list[str]:
    """Compare the profile ssot-lsp uses on the corpus with ruff.toml: same legacy modules, same
    excluded folders.  Returns notes to print (empty when both match)."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        return ["(like-for-like check skipped: needs Python 3.11+ for tomllib)"]
    notes = []
    done = subprocess.run(ssot + ["check", "--show-settings", "--format", "json", corpus],
                          capture_output=True, text=True, check=False)
    try:
        settings = json.loads(done.stdout)
    except json.JSONDecodeError:
        return [f"(like-for-like check skipped: `check --show-settings` printed no JSON: {done.stderr.strip()[:200]})"]
    with open(ruff_cfg, "rb") as fh:
        ruff = tomllib.load(fh)
    banned = set(ruff.get("lint", {}).get("flake8-tidy-imports", {}).get("banned-api", {}))
    legacy = {m for g in settings.get("groups", []) for m in g.get("legacy-modules", [])}
    if legacy != banned:
        notes.append(f"legacy modules differ: only in the profile {sorted(legacy - banned)}, "
                     f"only in ruff.toml {sorted(banned - legacy)}")
    excluded = ruff.get("extend-exclude", [])
    profile_ex = settings.get("exclude", [])
    dirs = [d for d in ("backup", "backups", "archive", "archived")
            if not any(f"/{d}/" in pat or pat.startswith(f"{d}/") for pat in profile_ex)]
    if dirs:
        notes.append(f"ruff excludes {excluded}; the ssot-lsp profile excludes {profile_ex} and so also analyses the "
                     f"{'/'.join(dirs)} folders (the target: the profile excludes them, issue 13 section 2)")
    return notes


def ruff_files(ruff: list[str], cfg: str, corpus: str) -> int | None:
    done = subprocess.run(ruff + ["check", "--config", cfg, "--show-files", corpus],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return None
    return sum(1 for line in done.stdout.splitlines() if line.strip().endswith((".py", ".pyi")))


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------


def prime(corpus: str) -> int:
    n = 0
    for d, dirs, files in os.walk(corpus):
        dirs[:] = [x for x in dirs if not x.startswith(".")]
        for f in files:
            if f.endswith(".py"):
                with open(os.path.join(d, f), "rb") as fh:
                    fh.read()
                n += 1
    return n


def med(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def med_cpu(runs: list[Run]) -> float:
    return statistics.median(r.cpu_s for r in runs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark ssot-lsp check against ruff on the realistic corpus.")
    ap.add_argument("--corpus", default=DEFAULT_CORPUS, help=f"corpus directory (default {DEFAULT_CORPUS})")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per measurement; the median is reported")
    ap.add_argument("--generate", action="store_true", help="(re)generate the corpus even if it exists")
    ap.add_argument("--files", type=int, default=25000, help="corpus size when generating (default 25000)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed when generating")
    ap.add_argument("--ssot-cmd", default="ssot-lsp",
                    help="how to start the CLI, e.g. 'python -m ssot_lsp' (default: ssot-lsp)")
    ap.add_argument("--ssot-cache", default=".ssot-cache",
                    help="cache directory of the CLI inside the corpus, removed before the fill run "
                         "(default .ssot-cache)")
    ap.add_argument("--ruff-cmd", default="ruff", help="ruff executable (default: ruff)")
    ap.add_argument("--ruff-config", help="ruff configuration (default: DIR/ruff.toml, written by the generator)")
    ap.add_argument("--skip-ssot", action="store_true", help="time ruff only (no ssot-lsp needed)")
    ap.add_argument("--skip-ruff", action="store_true", help="time ssot-lsp only (ratios are not computed)")
    ap.add_argument("--findings-json", metavar="FILE",
                    help="do not run anything: score this saved `ssot-lsp check --format json` output")
    ap.add_argument("--tool-python", default=f"{sys.version_info[0]}.{sys.version_info[1]}",
                    help="Python version ssot-lsp runs on (3.12-only syntax is an SSOT009 before 3.12; "
                         "default: this interpreter's)")
    ap.add_argument("--samples", type=int, default=12, help="findings listed per kind of mismatch (default 12)")
    ap.add_argument("--rss-interval", type=float, default=0.02,
                    help="seconds between process-tree RSS samples (0: wait4 ru_maxrss only)")
    ap.add_argument("--json-out", metavar="FILE", help="also write the measurements and scores as JSON")
    ap.add_argument("--strict", action="store_true", help="exit 1 on a missed target")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be >= 1")
    python = tuple(int(x) for x in args.tool_python.split(".")[:2])

    corpus = os.path.abspath(args.corpus)
    truth_path = os.path.join(corpus, "ground_truth.json")
    cwd = os.getcwd()

    def scored(path: str, stderr: str = "") -> tuple:
        findings, data = load_findings(path, corpus, cwd)
        result = score(findings, truth, python, limit=args.samples)
        files = data.get("files") if isinstance(data, dict) else None
        result.files_analysed = files.get("analysed") if isinstance(files, dict) else None
        # where the tool reports configuration problems: outside its findings (whose messages name modules)
        outside = json.dumps({k: v for k, v in data.items() if k != "violations"}) if isinstance(data, dict) else ""
        result.stale_named = stale_named(truth, outside + stderr)
        print()
        print(render(result, corpus))
        return findings, result

    if args.findings_json:
        if not os.path.exists(truth_path):
            fail(f"no corpus at {corpus} (ground_truth.json missing)")
        with open(truth_path, encoding="utf-8") as fh:
            truth = json.load(fh)
        scored(args.findings_json)
        return 0

    ssot = shlex.split(args.ssot_cmd)
    ruff = shlex.split(args.ruff_cmd)
    if not args.skip_ssot and shutil.which(ssot[0]) is None:
        fail(f"`{ssot[0]}` not found on PATH. Install the project (`pip install -e .` in the repo root) "
             "or pass --ssot-cmd 'python -m ssot_lsp' (or --skip-ssot to time ruff only).")
    if not args.skip_ruff and shutil.which(ruff[0]) is None:
        fail(f"`{ruff[0]}` not found on PATH (pip install ruff, or --ruff-cmd, or --skip-ruff)")

    if args.generate or not os.path.exists(truth_path):
        from corpusgen import generate

        print(f"generating corpus in {corpus} ({args.files} files, seed {args.seed}) ...", flush=True)
        if os.path.isdir(corpus) and os.path.exists(truth_path):
            shutil.rmtree(corpus)
        t = generate(corpus, args.files, args.seed)
        print(f"  generated in {t['seconds']:.1f}s", flush=True)
    with open(truth_path, encoding="utf-8") as fh:
        truth = json.load(fh)
    n_files, n_lines = truth["files"], truth["lines"]
    live = sum(1 for s in truth.get("sites", []) if not s["backup"] and s["expect"])
    print(f"corpus {corpus}: {n_files:,} files, {n_lines:,} lines, {len(truth.get('sites', truth.get('findings', []))):,} "
          f"labelled sites ({live:,} expecting a finding)")
    stats_path = os.path.join(corpus, "corpus_stats.txt")
    if os.path.exists(stats_path):
        print(f"corpus properties against the real tree: {stats_path}")
    cfg = os.path.abspath(args.ruff_config or os.path.join(corpus, "ruff.toml"))
    if not args.skip_ruff and not os.path.exists(cfg):
        fail(f"{cfg} missing: regenerate the corpus (--generate)")
    if not args.skip_ssot and not args.skip_ruff:
        notes = like_for_like(ssot, corpus, cfg)
        print("like for like with ruff: " + ("same legacy modules, same excluded folders" if not notes else ""))
        for note in notes:
            print(f"  NOTE: {note}")
    primed = prime(corpus)
    print(f"read {primed} files once (page cache); {args.runs} timed run(s) per measurement", flush=True)
    uptime = _load()
    if uptime:
        print(f"load average before timing: {uptime} (2 cores shared with others: timings are noisy)")

    work = tempfile.mkdtemp(prefix="ssot-bench-")
    results: dict[str, list[Run]] = {}
    fills: dict[str, Run] = {}

    def measure(key: str, cmd: list[str], n: int) -> list[Run]:
        runs = []
        for i in range(n):
            r = run_timed(cmd, os.path.join(work, f"{key}-{i}.out"), args.rss_interval)
            check_ok(r, key)
            print(f"  {key:<10} run {i + 1}/{n}: {r.seconds:7.2f}s  peak {r.peak_mb:7.1f} MB", flush=True)
            runs.append(r)
        results[key] = runs
        return runs

    try:
        if not args.skip_ssot:
            print(f"$ {shlex.join(ssot + ['check', '--no-cache', '--exit-zero', '--format', 'json', corpus])}")
            measure("ssot cold", ssot + ["check", "--no-cache", "--exit-zero", "--format", "json", corpus], args.runs)
            warm_cmd = ssot + ["check", "--exit-zero", "--format", "json", corpus]
            # start the fill from an empty cache (the CLI keeps it in DIR/.ssot-cache)
            shutil.rmtree(os.path.join(corpus, args.ssot_cache), ignore_errors=True)
            print(f"$ {shlex.join(warm_cmd)}")
            fill = run_timed(warm_cmd, os.path.join(work, "ssot-fill.out"), args.rss_interval)
            check_ok(fill, "ssot fill")
            fills["ssot"] = fill
            print(f"  {'ssot fill':<10}      : {fill.seconds:7.2f}s  peak {fill.peak_mb:7.1f} MB", flush=True)
            measure("ssot warm", warm_cmd, args.runs)
        ruff_hits = ruff_checked = None
        if not args.skip_ruff:
            cold_cmd = ruff + ["check", "--no-cache", "--config", cfg, corpus, "--exit-zero",
                               "--output-format", "concise"]
            print(f"$ {shlex.join(cold_cmd)}")
            measure("ruff cold", cold_cmd, args.runs)
            cache_dir = os.path.join(work, "ruff_cache")
            warm_cmd = ruff + ["check", "--config", cfg, "--cache-dir", cache_dir, corpus, "--exit-zero",
                               "--output-format", "concise"]
            print(f"$ {shlex.join(warm_cmd)}")
            fill = run_timed(warm_cmd, os.path.join(work, "ruff-fill.out"), args.rss_interval)
            check_ok(fill, "ruff fill")
            fills["ruff"] = fill
            print(f"  {'ruff fill':<10}      : {fill.seconds:7.2f}s  peak {fill.peak_mb:7.1f} MB", flush=True)
            measure("ruff warm", warm_cmd, args.runs)
            with open(results["ruff cold"][0].stdout_path, encoding="utf-8", errors="replace") as fh:
                ruff_hits = sum(1 for line in fh if " TID251 " in line)
            ruff_checked = ruff_files(ruff, cfg, corpus)
            print(f"  ruff TID251 hits: {ruff_hits}; files ruff checks: {ruff_checked}")
            if ruff_hits == 0:
                print("  WARNING: ruff found no TID251 hits: check DIR/ruff.toml", file=sys.stderr)

        # ---- table ------------------------------------------------------------------
        print()
        print(f"Timings (median of {args.runs}, wall clock)   {n_files:,} files, {n_lines:,} lines")
        print(f"  {'measurement':<12} {'median s':>9} {'min s':>7} {'max s':>7} {'CPU s':>7} {'peak RSS MB':>12}")
        for key, runs in results.items():
            print(f"  {key:<12} {med(runs):>9.2f} {min(r.seconds for r in runs):>7.2f} "
                  f"{max(r.seconds for r in runs):>7.2f} {med_cpu(runs):>7.2f} {max(r.peak_mb for r in runs):>12.1f}")
        for key, r in fills.items():
            print(f"  {key + ' fill':<12} {r.seconds:>9.2f} {'':>7} {'':>7} {r.cpu_s:>7.2f} {r.peak_mb:>12.1f}")
        print("  (CPU s: user + system of the command and its workers; less sensitive to a busy machine)")

        verdicts: list[tuple[str, str, str, bool | None]] = []
        if "ssot cold" in results:
            sc, sw = med(results["ssot cold"]), med(results["ssot warm"])
            peak = max(r.peak_mb for k in ("ssot cold", "ssot warm") for r in results[k])
            peak = max(peak, fills["ssot"].peak_mb)
            if "ruff cold" in results:
                rc, rw = med(results["ruff cold"]), med(results["ruff warm"])
                verdicts.append(("ssot cold / ruff cold", f"{sc / rc:.2f}x", f"<= {TARGET_COLD:.2f}x",
                                 sc / rc <= TARGET_COLD))
                verdicts.append(("ssot warm / ruff warm", f"{sw / rw:.2f}x", f"<= {TARGET_WARM:.2f}x",
                                 sw / rw <= TARGET_WARM))
                verdicts.append(("ssot warm / ruff cold", f"{sw / rc:.2f}x", "(info)", None))
                verdicts.append(("CPU: ssot cold / ruff cold",
                                 f"{med_cpu(results['ssot cold']) / med_cpu(results['ruff cold']):.2f}x", "(info)", None))
            verdicts.append(("ssot peak RSS", f"{peak:.0f} MB", f"<= {TARGET_RSS_MB} MB", peak <= TARGET_RSS_MB))
        elif "ruff cold" in results:
            verdicts.append(("ruff warm / ruff cold",
                             f"{med(results['ruff warm']) / med(results['ruff cold']):.2f}x", "(info)", None))
        print()
        print(f"  {'ratio / target':<26} {'value':>9}  {'target':<12} result")
        for name, val, tgt, ok in verdicts:
            print(f"  {name:<26} {val:>9}  {tgt:<12} {'' if ok is None else ('PASS' if ok else 'MISS')}")

        # ---- findings ---------------------------------------------------------------
        result = None
        if "ssot cold" in results:
            cold_run = results["ssot cold"][0]
            cold, data = load_findings(cold_run.stdout_path, corpus, cwd)
            warm, _ = load_findings(results["ssot warm"][-1].stdout_path, corpus, cwd)
            key = lambda f: (f.path, f.line, f.code)
            if Counter(map(key, cold)) != Counter(map(key, warm)):
                d = sum((Counter(map(key, cold)) - Counter(map(key, warm))).values()) + \
                    sum((Counter(map(key, warm)) - Counter(map(key, cold))).values())
                print(f"\nWARNING: warm (cached) findings differ from cold findings ({d} differences)")
            else:
                print(f"\nwarm (cached) findings identical to cold findings ({len(cold)})")
            files = data.get("files", {}) if isinstance(data, dict) else {}
            print(f"files analysed by ssot-lsp: {files.get('analysed')} of {files.get('total')}"
                  + (f"; files ruff checks: {ruff_checked}" if ruff_checked is not None else ""))
            counts = Counter(f.code for f in cold)
            print("findings per rule: " + ", ".join(f"{c}={n}" for c, n in sorted(counts.items()))
                  + f" (total {len(cold)})")
            _, result = scored(cold_run.stdout_path, cold_run.stderr_tail)

        if args.json_out:
            payload = {
                "corpus": corpus, "files": n_files, "lines": n_lines, "runs": args.runs,
                "measurements": {k: {"median_s": med(v), "seconds": [r.seconds for r in v],
                                     "cpu_s": [r.cpu_s for r in v],
                                     "peak_rss_mb": max(r.peak_mb for r in v),
                                     "cmd": v[0].cmd} for k, v in results.items()},
                "fills": {k: {"seconds": r.seconds, "peak_rss_mb": r.peak_mb} for k, r in fills.items()},
                "verdicts": [{"name": n, "value": v, "target": t, "pass": ok} for n, v, t, ok in verdicts],
                "ruff_tid251_hits": ruff_hits, "ruff_files": ruff_checked,
                "files_analysed": None if result is None else result.files_analysed,
                "score": None if result is None else as_json(result),
            }
            with open(args.json_out, "w", encoding="utf-8") as fh:
                json.dump(payload, fh, indent=1)
        if args.strict and any(ok is False for *_, ok in verdicts):
            return 1
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _load() -> str:
    try:
        with open("/proc/loadavg") as fh:
            return " ".join(fh.read().split()[:3])
    except OSError:
        return ""


if __name__ == "__main__":
    sys.exit(main())
