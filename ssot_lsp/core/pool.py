"""Reading many files at once: the cache first, then worker processes for what is left.

Small batches run in this process; large ones are cut into small chunks for a process pool, so the
last chunks finish close together and no worker idles at the end. Workers call
``reading.read_facts`` through the module (fault-injection tests replace it there).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Union

from ssot_lsp.core import reading
from ssot_lsp.core.facts import FileFacts
from ssot_lsp.core.violations import FileError

if TYPE_CHECKING:
    from ssot_lsp.core.cache import FactsCache

PARALLEL_THRESHOLD = 400
SERIAL_CHUNK = 64  # files read in this process between two progress reports

Outcome = Union[FileFacts, FileError, str]  # facts, why not, or the import lines of a skipped file
# (needles, checked needles, group modules, watched names, max bytes, (path, module, is_package) items,
# whether to hash contents for the cache)
Batch = tuple["AbstractSet[str] | None", "AbstractSet[str] | None", frozenset[str], frozenset[str], int,
              list[tuple[str, str, bool]], bool]


def _worker(batch: Batch) -> list[tuple[str, Outcome, reading.Meta | None]]:
    needles, checked, whole_modules, watch, max_bytes, items, digest = batch
    out: list[tuple[str, Outcome, reading.Meta | None]] = []
    for path, module, is_package in items:
        meta, outcome = reading.read_facts(path, module, is_package, max_bytes, needles, checked, whole_modules,
                                           watch, digest)
        out.append((path, outcome, meta))
    return out


def read_files(paths: list[str], module_of: dict[str, tuple[str, bool]], needles: AbstractSet[str] | None,
               checked: AbstractSet[str] | None, max_bytes: int, jobs: int, cache: FactsCache | None,
               whole_modules: frozenset[str] = frozenset(),
               watch: frozenset[str] = frozenset(),
               advance: Callable[[int], None] | None = None) -> list[tuple[str, Outcome]]:
    """Read ``paths`` (cache hits first), searching for ``needles``; ``checked`` is every needle a
    skipped file is known to lack after this batch (what the cache records). ``advance(n)`` is told
    of every ``n`` files done as they are done (cache hits at once, then chunk by chunk): progress
    that follows the files, not the end of the batch."""
    items: list[tuple[str, str, bool]] = []
    results: list[tuple[str, Outcome]] = []
    for path in paths:
        module, is_package = module_of[path]
        if cache is not None:
            hit = cache.lookup(path, module, is_package, checked)
            if hit is not None:
                results.append((path, hit))
                continue
        items.append((path, module, is_package))
    if advance is not None and results:
        advance(len(results))
    if items and checked is not None:
        # what reading with needles parses in part: imported here, before any worker forks, not
        # in every process after (it was 10-50 ms of each process's share of a cold check)
        import ssot_lsp.core.partial.scan  # noqa: F401
    serial = len(items) < PARALLEL_THRESHOLD or jobs <= 1
    shared = not serial and threading.current_thread() is threading.main_thread()
    # shared (``_shared``): larger batches, fewer round trips (this process takes its share of them
    # whole, so the end still comes out even); a pool of workers alone: many small ones
    chunk = SERIAL_CHUNK if serial else max(16, len(items) // (jobs * (8 if shared else 32)))
    batches: list[Batch] = [(needles, checked, whole_modules, watch, max_bytes, items[i:i + chunk], cache is not None)
                            for i in range(0, len(items), chunk)]
    if serial:
        fresh = _collect(map(_worker, batches), advance)
    elif shared:
        fresh = _collect(_shared(batches, jobs, advance), None)
    else:
        from concurrent.futures import ProcessPoolExecutor  # not imported by runs that need no pool

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            fresh = _collect(pool.map(_worker, batches), advance)
    for path, outcome, meta in fresh:
        if cache is not None:
            cache.store(path, outcome, meta, checked)
        results.append((path, outcome))
    return results


def _shared(batches: list[Batch], jobs: int,
            advance: Callable[[int], None] | None) -> list[list[tuple[str, Outcome, reading.Meta | None]]]:
    """The batches' results, in order, computed by ``jobs - 1`` worker processes and this process.

    The workers take batches from the end, this process from the front until it meets one a worker
    has started: the results of only part of the files cross between processes (pickling the
    facts both ways was a tenth of a cold check's CPU), and one process fewer starts. Only the main
    thread does so: a language server scanning in a background thread leaves the interpreter to
    its event loop.
    """
    from concurrent.futures import Future, ProcessPoolExecutor

    parts: list[list[tuple[str, Outcome, reading.Meta | None]] | None] = [None] * len(batches)
    counted: set[int] = set()

    def count_finished(futures: dict[int, Future]) -> None:
        for index, future in futures.items():
            if index not in counted and future.done() and not future.cancelled():
                counted.add(index)
                if advance is not None:
                    advance(len(batches[index][5]))

    with ProcessPoolExecutor(max_workers=max(1, jobs - 1)) as pool:
        futures = {index: pool.submit(_worker, batches[index]) for index in reversed(range(len(batches)))}
        for index in range(len(batches)):
            if not futures[index].cancel():
                break  # a worker has it: the rest are theirs
            del futures[index]
            parts[index] = _worker(batches[index])
            counted.add(index)
            if advance is not None:
                advance(len(batches[index][5]))
            count_finished(futures)
        for index, future in sorted(futures.items()):
            parts[index] = future.result()
        count_finished(futures)
    return [part for part in parts if part is not None]


def _collect(parts: Iterable[list[tuple[str, Outcome, reading.Meta | None]]],
             advance: Callable[[int], None] | None) -> list[tuple[str, Outcome, reading.Meta | None]]:
    fresh: list[tuple[str, Outcome, reading.Meta | None]] = []
    for part in parts:
        fresh.extend(part)
        if advance is not None:
            advance(len(part))
    return fresh
