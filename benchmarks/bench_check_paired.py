"""Cold `check --no-cache` of several source trees against ruff, alternated round by round.

    python benchmarks/bench_check_paired.py ROUNDS CORPUS TREE... [ruff]

Each TREE is a checkout of ssot-lsp (put on PYTHONPATH); the word ``ruff`` runs ruff TID251 with
the corpus's ``ruff.toml`` (like for like, as ``bench_check.py``). Why another script: on a shared
or noisy host the wall clock drifts by more than the gap being measured, so a session of five runs
of one tool then five of the other compares two different machines. Here each round runs every
tree once, in alternating order, and starts only when the machine is near idle (``MAX_BUSY`` cores
used by others, default 0.25); the figure to quote is the median of the per-round ratios to the
first tree. Prints per tree: wall median and min, CPU median (the process and its children).
"""
import os
import statistics
import subprocess
import sys
import time


def busy(interval: float = 0.6) -> float:
    def snap() -> tuple[int, int]:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return sum(v), v[3] + v[4]
    t0, i0 = snap()
    time.sleep(interval)
    t1, i1 = snap()
    return (os.cpu_count() or 1) * (1 - (i1 - i0) / max(1, t1 - t0))


def run(tree: str, corpus: str) -> tuple[float, float]:
    env = dict(os.environ, PYTHONPATH=tree)
    if tree == "ruff":
        cmd = ["ruff", "check", "--no-cache", "--exit-zero", "--quiet", "--config",
               os.path.join(corpus, "ruff.toml"), corpus, "--output-format", "concise"]
    else:
        cmd = [sys.executable, "-m", "ssot_lsp", "check", "--no-cache", "--exit-zero", "--format", "json", corpus]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd="/tmp")
    _, status, usage = os.wait4(proc.pid, 0)
    if status:
        sys.exit(f"{' '.join(cmd)} failed (status {status})")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main() -> None:
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    rounds, corpus, trees = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    max_busy = float(os.environ.get("MAX_BUSY", "0.25"))
    results: dict[str, list[tuple[float, float]]] = {t: [] for t in trees}
    waits = 0
    for r in range(rounds):
        while (b := busy()) > max_busy:
            waits += 1
            time.sleep(1)
        for tree in trees if r % 2 == 0 else trees[::-1]:
            results[tree].append(run(tree, corpus))
        print(f"round {r}: busy {b:.2f} " + " ".join(f"{results[t][-1][0]:.3f}" for t in trees), flush=True)
    first = results[trees[0]]
    for tree in trees:
        wall = [w for w, _ in results[tree]]
        cpu = [c for _, c in results[tree]]
        ratio = statistics.median(x[0] / y[0] for x, y in zip(results[tree], first))
        print(f"{tree:32s} wall median {statistics.median(wall):.3f} s min {min(wall):.3f} s  "
              f"CPU median {statistics.median(cpu):.3f} s  paired ratio to {trees[0]} {ratio:.3f}")
    print("waits for an idle machine:", waits, " load average:", os.getloadavg())


if __name__ == "__main__":
    main()
