"""Reading while the walk goes on, in a process pool: the first round of the language server's scans.

The command line forks its readers as its walk goes on (``core/streaming.py``). A language server
scans in a thread of a process with other threads (the event loop, the stdin reader), which must
not fork (``pool._forking_is_safe``): its readers are the workers of a process pool started by a
forkserver. It walked the whole workspace (~60-80 ms of the realistic corpus) before it started
the pool and submitted the first batch, the second core idle meanwhile. Here the walk
looks each file up in the facts cache as it finds it and submits the files the cache cannot answer
batch by batch as it walks on; the workers start on the first batch while the walk finds the next.

What it returns is what ``pool.read_files`` returns for the walked files (the cache's answers
counted and the fresh outcomes stored in it, each file once, in the walk's order): the scan's later
rounds cannot tell the difference. Those rounds read through the same pool (``ScanPool``): starting
one took ~50 ms for each round that needed one. A worker that dies (the out-of-memory killer) no
longer fails the whole index: its pool's batches are read again (``_Submitted.result``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Union, cast

from ssot_lsp.core import pool, reading
from ssot_lsp.core.pool import Batch, Outcome

if TYPE_CHECKING:
    from ssot_lsp.core.cache import FactsCache

# files a submitted batch holds: the workers start while the walk goes on, their last batches end
# close together (~10 ms of reading each), and progress moves in steps of 64 files
POOL_CHUNK = 64

Item = tuple[str, str, bool]  # path, module, is_package
Fresh = list[tuple[str, Outcome, Union[reading.Meta, None]]]
Shared = tuple["AbstractSet[str] | None", "AbstractSet[str] | None", frozenset[str], frozenset[str], int]


class ScanPool:
    """One process pool for every round of a scan, started when the first batch needs it (a small
    workspace reads in the scan's thread and starts none), shut down with the scan (``close``)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._executor: Executor | None = None

    def executor(self) -> Executor:
        if self._executor is None:
            from concurrent.futures import ProcessPoolExecutor  # not imported by runs that need no pool

            self._executor = ProcessPoolExecutor(max_workers=self.jobs)
        return self._executor

    def discard(self, broken: Executor) -> None:
        """A worker of ``broken`` died: the next ``executor()`` starts a new pool (if it has not yet)."""
        if self._executor is broken:
            broken.shutdown(wait=False)
            self._executor = None

    def close(self, wait: bool = False) -> None:
        """The workers end (in the background unless ``wait``: the scan goes on to its rules
        meanwhile); batches not started yet are dropped (a scan that failed or was superseded)."""
        if self._executor is not None:
            self._executor.shutdown(wait=wait, cancel_futures=True)
            self._executor = None


def read_while_walking_in_pool(walk: Iterator[Item], needles: AbstractSet[str] | None,
                               checked: AbstractSet[str] | None, max_bytes: int, scan_pool: ScanPool,
                               cache: FactsCache | None, whole_modules: frozenset[str] = frozenset(),
                               watch: frozenset[str] = frozenset(),
                               advance: Callable[[int], None] | None = None) -> list[tuple[str, Outcome]]:
    """``pool.read_files`` of the files ``walk`` yields, in the walk's order, the cache's misses
    submitted to ``scan_pool`` batch by batch while the walk goes on. A walk with fewer than
    ``PARALLEL_THRESHOLD`` misses is read as ``read_files`` reads it (in this thread, no pool).
    ``advance`` hears of the files done once the walk is over (before, their total is unknown)."""
    shared: Shared = (needles, checked, whole_modules, watch, max_bytes)
    segments: list[_Segment] = []
    try:
        rest = _submit_while_walking(walk, shared, scan_pool, cache, segments)
        if not segments:  # a short walk, or a warm cache: read as ``read_files`` reads, in this thread
            return _read_here(rest, shared, scan_pool.jobs, cache, advance)
        return list(itertools.chain.from_iterable(segment.collect(scan_pool, cache, checked, advance)
                                                  for segment in segments))
    finally:
        for segment in segments:
            segment.cancel()  # a walk or batch that failed: the batches not started yet are not read


class _Segment:
    """Consecutive files of the walk: the cache's outcomes (None for its misses), and the batches
    reading the misses."""

    def __init__(self, slots: list[tuple[str, Outcome | None]], batches: list[_Submitted]) -> None:
        self.slots = slots
        self.batches = batches

    def collect(self, scan_pool: ScanPool, cache: FactsCache | None, checked: AbstractSet[str] | None,
                advance: Callable[[int], None] | None) -> list[tuple[str, Outcome]]:
        """The outcomes in the walk's order, each batch's counted as it is done (and stored in the cache)."""
        misses = [index for index, (_, outcome) in enumerate(self.slots) if outcome is None]
        if advance is not None and len(misses) < len(self.slots):
            advance(len(self.slots) - len(misses))
        filled = iter(misses)
        for batch in self.batches:
            fresh = batch.result(scan_pool)
            for path, outcome, meta in fresh:
                if cache is not None:
                    cache.store(path, outcome, meta, checked)
                self.slots[next(filled)] = (path, outcome)
            if advance is not None:
                advance(len(fresh))
        return cast(list[tuple[str, Outcome]], self.slots)

    def cancel(self) -> None:
        for batch in self.batches:
            batch.future.cancel()


class _Submitted:
    """A batch given to the pool, kept to be read again if a worker dies."""

    def __init__(self, batch: Batch, executor: Executor) -> None:
        self.batch, self.executor = batch, executor
        self.future = executor.submit(pool._worker, batch)

    def result(self, scan_pool: ScanPool) -> Fresh:
        """The batch's outcomes. A worker that dies (killed: out of memory, a signal) breaks its pool
        and every batch in it: each is read once more by a new pool, then, if that one broke too
        (the batch itself may kill a worker), in this thread — as the command line reads the batch of
        a child that was killed. Before, a killed worker failed the whole index."""
        try:
            return self.future.result()
        except BrokenProcessPool:
            scan_pool.discard(self.executor)
        executor = scan_pool.executor()
        try:
            return executor.submit(pool._worker, self.batch).result()
        except BrokenProcessPool:
            scan_pool.discard(executor)
        return pool._worker(self.batch)


def _submit_while_walking(walk: Iterator[Item], shared: Shared, scan_pool: ScanPool, cache: FactsCache | None,
                          segments: list[_Segment]) -> list[tuple[str, Outcome | None, Item]]:
    """Every batch of ``POOL_CHUNK`` misses submitted as soon as the walk has found it, once it has
    found ``PARALLEL_THRESHOLD`` (the pool is not worth starting for fewer); returns what the walk
    found after the last batch submitted (all of it, when no pool started): (path, the cache's
    outcome or None, the item)."""
    checked = shared[1]
    found: list[tuple[str, Outcome | None, Item]] = []
    misses: list[Item] = []
    threshold = pool.PARALLEL_THRESHOLD
    for item in walk:
        hit = cache.lookup(item[0], item[1], item[2], checked) if cache is not None else None
        found.append((item[0], hit, item))
        if hit is None:
            misses.append(item)
            if len(misses) >= threshold:
                segments.append(_submitted(found, misses, shared, scan_pool, cache is not None))
                found, misses, threshold = [], [], POOL_CHUNK
    if segments and found:
        segments.append(_submitted(found, misses, shared, scan_pool, cache is not None))
        found = []
    return found


def _submitted(found: list[tuple[str, Outcome | None, Item]], misses: list[Item], shared: Shared,
               scan_pool: ScanPool, digest: bool) -> _Segment:
    if misses and shared[1] is not None:
        import ssot_lsp.core.partial.scan  # noqa: F401 - as ``read_files`` does (a forkserver preloads it)
    executor = scan_pool.executor()
    needles, checked, whole_modules, watch, max_bytes = shared
    batches = [_Submitted((needles, checked, whole_modules, watch, max_bytes, misses[start:start + POOL_CHUNK],
                           digest), executor)
               for start in range(0, len(misses), POOL_CHUNK)]
    return _Segment([(path, hit) for path, hit, _ in found], batches)


def _read_here(found: list[tuple[str, Outcome | None, Item]], shared: Shared, jobs: int, cache: FactsCache | None,
               advance: Callable[[int], None] | None) -> list[tuple[str, Outcome]]:
    """What a walk with few misses found, its misses read as ``read_files`` reads them (looked up in
    the cache again: cheap, and a file changed since is read either way)."""
    needles, checked, whole_modules, watch, max_bytes = shared
    misses = [item for _, hit, item in found if hit is None]
    hits = len(found) - len(misses)
    if advance is not None and hits:
        advance(hits)
    read = dict(pool.read_files([path for path, _, _ in misses], {p: (m, k) for p, m, k in misses}, needles,
                                checked, max_bytes, jobs, cache, whole_modules, watch, advance))
    return [(path, hit if hit is not None else read[path]) for path, hit, _ in found]
