#!/usr/bin/env python3
"""CPU time of the work done per analysed file of a cold check: decoding, statement selection,
parsing, fact extraction — without walking, prefiltering, the pool or the rules.

    python benchmarks/bench_analysed_files.py [--corpus DIR] [--runs 5]

A cold ``check`` spends its time in two kinds of work: reading and prefiltering every file (most are
skipped) and analysing the files that pass. On a shared 2-core machine the wall time of a whole check
moves with the load; this isolates the second kind and measures it in CPU time, in one process:

1. a ``--jobs 1`` scan of DIR (the CLI's defaults) records every call that produced facts
   (``reading.facts_of_bytes``: the bytes, the module, the needles of its round);
2. those calls are replayed ``--runs`` times; the median CPU time is printed, then one run split by
   stage (statement chunks, parsing, extraction, the rest) and the count of files parsed whole.

Run it on two checkouts (``PYTHONPATH=...``) alternately to compare them; the replay runs the
checkout that is imported. Stdlib only.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path
from typing import Any

DEFAULT_CORPUS = "/work/corpora/realistic"


def record(corpus: Path) -> list[tuple[Any, ...]]:
    """The ``facts_of_bytes`` calls of a serial scan that returned facts."""
    from ssot_lsp.core import reading
    from ssot_lsp.core.facts import FileFacts
    from ssot_lsp.core.project import open_workspace

    calls: list[tuple[Any, ...]] = []
    original = reading.facts_of_bytes

    def recording(data, path, module, is_package, needles=None, checked=None, whole_modules=frozenset(),
                  watch=frozenset()):
        outcome = original(data, path, module, is_package, needles, checked, whole_modules, watch)
        if isinstance(outcome, FileFacts):
            calls.append((data, path, module, is_package, needles and frozenset(needles),
                          checked and frozenset(checked), whole_modules, watch))
        return outcome

    reading.facts_of_bytes = recording
    try:
        open_workspace([corpus]).scan(jobs=1)
    finally:
        reading.facts_of_bytes = original
    return calls


def replay(calls: list[tuple[Any, ...]]) -> float:
    from ssot_lsp.core import reading

    start = time.process_time()
    for call in calls:
        reading.facts_of_bytes(*call)
    return time.process_time() - start


def stages(calls: list[tuple[Any, ...]]) -> dict[str, float]:
    """One replay with the CPU time of each stage summed (wrappers add a little to the total)."""
    import ast

    from ssot_lsp.core import facts as facts_module
    from ssot_lsp.core.partial import scan as partial_scan
    from ssot_lsp.core.partial import statements

    spent: dict[str, float] = {}
    patched: list[tuple[Any, str, Any]] = []
    running: set[str] = set()

    def timed(owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if label in running:  # a nested call: counted by the outer one
                return original(*args, **kwargs)
            running.add(label)
            start = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                running.discard(label)
                spent[label] = spent.get(label, 0.0) + time.process_time() - start

        patched.append((owner, name, original))
        setattr(owner, name, wrapper)

    if hasattr(statements, "StatementStarts"):  # lexed piece by piece, as far as the selection needs
        for method in ("__init__", "cover", "at_least"):
            timed(statements.StatementStarts, method, "statement chunks (lexing)")
    else:
        timed(partial_scan, "top_level_chunks", "statement chunks (lexing)")
    timed(ast, "parse", "parsing (ast.parse)")
    timed(facts_module._Extractor, "run", "fact extraction")
    timed(facts_module, "read_suppressions", "suppression comments")
    try:
        spent["total"] = replay(calls)
    finally:
        for owner, name, original in reversed(patched):
            setattr(owner, name, original)
    spent["rest"] = spent["total"] - sum(v for k, v in spent.items() if k != "total")
    return spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    from ssot_lsp.gc_tuning import tune_garbage_collector

    tune_garbage_collector()  # as the CLI does
    import ssot_lsp

    print(f"ssot_lsp from {Path(ssot_lsp.__file__).parent}")
    calls = record(Path(args.corpus))
    lines = sum(call[0].count(b"\n") for call in calls)
    print(f"{len(calls)} analysed files ({len(set(c[1] for c in calls))} distinct), {lines:,} lines")
    times = []
    for _ in range(args.runs):
        gc.collect()
        times.append(replay(calls))
    print(f"CPU per replay: median {statistics.median(times):.3f} s "
          f"(runs: {', '.join(f'{t:.3f}' for t in times)})")
    split = stages(calls)
    width = max(map(len, split))
    for label, seconds in split.items():
        print(f"  {label:<{width}}  {seconds:6.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
