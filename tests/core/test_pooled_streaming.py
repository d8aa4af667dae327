"""Reading while the walk goes on through a process pool (``core/pooled_streaming.py``), the language
server's first round: the workers read the first batches while the walk goes on, every file is read
or answered by the cache once, in the walk's order, whatever happens to the walk or a batch — and a
scan from a thread finds what a single process finds, through one pool for all of its rounds."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import select
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ssot_lsp.core import pool, pooled_streaming, reading, scan
from ssot_lsp.core.cache import FactsCache
from ssot_lsp.core.project import open_workspace
from ssot_lsp.core.pooled_streaming import POOL_CHUNK, ScanPool, read_while_walking_in_pool
from tests.core.test_streaming import _findings, _scan_tree, _summary, _tree

FILES = pool.PARALLEL_THRESHOLD + 6 * POOL_CHUNK + 5  # submitted before the walk goes on, while, and a last part
pytestmark = pytest.mark.timeout(90)


class WorkerReads:
    """The files the pool's workers read (``reading.read_facts`` replaced before they are forked):
    each appended to a log; ``until_read(path)`` waits for a worker to read ``path``."""

    def __init__(self, monkeypatch, log: Path, signalled: str) -> None:
        self.log = log
        self._read_end, self._write_end = os.pipe()
        parent, original = os.getpid(), reading.read_facts

        def read_facts(path, *args, **kwargs):
            if os.getpid() != parent:
                with open(log, "a", encoding="utf-8") as handle:
                    handle.write(path + "\n")
                if path == signalled:
                    os.write(self._write_end, b"+")
            return original(path, *args, **kwargs)

        monkeypatch.setattr(reading, "read_facts", read_facts)

    def until_read(self) -> None:
        ready, _, _ = select.select([self._read_end], [], [], 20)
        assert ready, "no worker read the file within 20 s"

    def files_read(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []

    def close(self) -> None:
        os.close(self._read_end)
        os.close(self._write_end)


@pytest.fixture
def scan_pool():
    """Two workers, forked from this process (``ChildRead``'s replaced reader is theirs too)."""
    assert multiprocessing.get_start_method() == "fork", "the workers must inherit the test's replaced reader"
    made = ScanPool(2)
    yield made
    made.close()


def _read(walk: Iterator[tuple[str, str, bool]], scan_pool: ScanPool, cache: FactsCache | None = None,
          progress: list[int] | None = None):
    return read_while_walking_in_pool(walk, {"LegacyEngine"}, {"LegacyEngine"}, 1 << 20, scan_pool, cache,
                                      advance=None if progress is None else progress.append)


def _serial(items: list[tuple[str, str, bool]]):
    return _summary(pool.read_files([p for p, _, _ in items], {p: (m, k) for p, m, k in items}, {"LegacyEngine"},
                                    {"LegacyEngine"}, 1 << 20, 1, None))


def test_workers_read_the_first_batches_while_the_walk_goes_on(tmp_path: Path, monkeypatch, scan_pool):
    items = _tree(tmp_path, FILES)
    reads = WorkerReads(monkeypatch, tmp_path / "reads.log", signalled=items[0][0])

    def walk() -> Iterator[tuple[str, str, bool]]:
        for number, item in enumerate(items):
            if number == pool.PARALLEL_THRESHOLD + POOL_CHUNK:  # the walk goes on once a worker has
                reads.until_read()  # read the first file: a walk that ends first waits in vain
            yield item

    try:
        assert _summary(_read(walk(), scan_pool)) == _serial(items)
    finally:
        reads.close()
    assert sorted(reads.files_read()) == sorted(path for path, _, _ in items)


def test_every_file_is_read_once_in_the_walks_order_and_counted_after_the_walk(tmp_path: Path, scan_pool):
    items = _tree(tmp_path, FILES)
    progress: list[int] = []
    walk_ended = []

    def walk() -> Iterator[tuple[str, str, bool]]:
        yield from items
        walk_ended.append(len(progress))

    assert _summary(_read(walk(), scan_pool, progress=progress)) == _serial(items)
    # the total is known once the walk is over: no file is counted before (a bar would jump back)
    assert walk_ended == [0]
    assert sum(progress) == len(items) and len(progress) >= FILES // POOL_CHUNK


def test_the_cache_answers_for_unchanged_files_and_learns_the_others(tmp_path: Path, scan_pool):
    items = _tree(tmp_path, FILES + pool.PARALLEL_THRESHOLD)
    cold = FactsCache(tmp_path / "cache", "t")
    assert _summary(_read(iter(items), scan_pool, cold)) == _serial(items)
    assert cold.hits == 0 and set(cold.entries) == {path for path, _, _ in items}
    cold.save()
    changed = items[::7]
    for number, (path, _, _) in enumerate(changed):
        body = "from app.engines import LegacyEngine\n" if number % 2 else "import sys\n"
        Path(path).write_text(f"{body}VALUE = 'changed {number}'\n")
    warm = FactsCache(tmp_path / "cache", "t")
    assert _summary(_read(iter(items), scan_pool, warm)) == _serial(items)
    assert warm.hits == len(items) - len(changed)


def test_a_walk_the_cache_answers_starts_no_pool(tmp_path: Path, monkeypatch, scan_pool):
    items = _tree(tmp_path, FILES)
    cache = FactsCache(tmp_path / "cache", "t")
    _read(iter(items), scan_pool, cache)
    Path(items[3][0]).write_text("import os\nVALUE = 'changed'\n")

    def no_pool():
        raise AssertionError("a pool started for one file the cache could not answer")

    monkeypatch.setattr(ScanPool, "executor", lambda self: no_pool())
    progress: list[int] = []
    assert _summary(_read(iter(items), ScanPool(2), cache, progress)) == _serial(items)
    assert cache.hits == len(items) - 1 and sum(progress) == len(items)


def test_a_walk_that_fails_leaves_the_batches_not_started_unread(tmp_path: Path, monkeypatch, scan_pool):
    items = _tree(tmp_path, pool.PARALLEL_THRESHOLD + 40 * POOL_CHUNK)
    reads = WorkerReads(monkeypatch, tmp_path / "reads.log", signalled=items[0][0])

    def walk() -> Iterator[tuple[str, str, bool]]:
        yield from items
        reads.until_read()
        raise PermissionError("a directory went away")

    try:
        with pytest.raises(PermissionError):
            _read(walk(), scan_pool)
        scan_pool.executor().submit(os.getpid).result()  # after the batches left in the pool's queue
    finally:
        reads.close()
    assert 0 < len(reads.files_read()) < len(items) // 2


def test_an_error_in_a_worker_is_raised_here(tmp_path: Path, monkeypatch, scan_pool):
    items = _tree(tmp_path, FILES)
    parent, original = os.getpid(), reading.read_facts

    def read_facts(path, *args, **kwargs):
        if os.getpid() != parent:
            raise LookupError("a bug in a worker must not pass for a file read")
        return original(path, *args, **kwargs)

    monkeypatch.setattr(reading, "read_facts", read_facts)
    with pytest.raises(LookupError, match="a bug in a worker"):
        _read(iter(items), scan_pool)


def _killing_workers(monkeypatch, path: str, times: int, tally: Path) -> None:
    """A worker that reads ``path`` is killed (as the kernel's out-of-memory killer would), the first
    ``times`` times; ``tally`` has a ``w`` for each time a worker began to read it, an ``h`` for each
    time this process did."""
    parent, original = os.getpid(), reading.read_facts

    def read_facts(read, *args, **kwargs):
        if read == path:
            with open(tally, "a", encoding="utf-8") as handle:
                handle.write("h" if os.getpid() == parent else "w")
            if os.getpid() != parent and len(tally.read_text()) <= times:
                os.kill(os.getpid(), signal.SIGKILL)
        return original(read, *args, **kwargs)

    monkeypatch.setattr(reading, "read_facts", read_facts)


@pytest.mark.parametrize("kills", [1, 2])  # once: a new pool reads it; every time: this thread does
def test_the_batches_of_a_worker_that_was_killed_are_read_all_the_same(tmp_path: Path, monkeypatch, scan_pool,
                                                                      kills):
    items = _tree(tmp_path, FILES)
    expected = _serial(items)
    _killing_workers(monkeypatch, items[POOL_CHUNK + 3][0], kills, tmp_path / "kills")
    progress: list[int] = []
    assert _summary(_read(iter(items), scan_pool, progress=progress)) == expected
    assert (tmp_path / "kills").read_text() == {1: "ww", 2: "wwh"}[kills] and sum(progress) == len(items)


# -- a scan from a thread ----------------------------------------------------------------------
def _findings_from_a_thread(root: Path, cache: FactsCache | None = None) -> list[tuple[str, int, str]]:
    found: list[list[tuple[str, int, str]]] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            found.append(_findings(root, 2, cache))
        except BaseException as exc:  # noqa: BLE001 - raised in the test's thread
            failed.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failed:
        raise failed[0]
    return found[0]


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(pool, "PARALLEL_THRESHOLD", 8)
    monkeypatch.setattr(pooled_streaming, "POOL_CHUNK", 4)


def test_a_scan_from_a_thread_reads_while_walking_and_finds_what_one_process_finds(tmp_path: Path, monkeypatch,
                                                                                  small_batches):
    _scan_tree(tmp_path)
    serial = _findings(tmp_path, 1)
    pools, rounds = [], []
    real_pool, real_read = concurrent.futures.ProcessPoolExecutor, scan.Scan._read

    def process_pool(*args, **kwargs):
        pools.append(real_pool(*args, **kwargs))
        return pools[-1]

    def read(self, paths, search, needles):
        rounds.append(len(paths))
        return real_read(self, paths, search, needles)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", process_pool)
    monkeypatch.setattr(scan.Scan, "_read", read)
    monkeypatch.setattr(scan.Scan, "_reads_into_pool_while_walking",
                        lambda self, paths: not paths and not pool._forking_is_safe())  # ``_read`` is replaced
    assert _findings_from_a_thread(tmp_path) == serial
    # the first round and a discovery round read in parallel, through one pool
    assert len(pools) == 1 and rounds and max(rounds) >= pool.PARALLEL_THRESHOLD
    assert {path.partition("_")[0] for path, _, _ in serial} >= {"app/user", "app/direct"}, "direct, and re-exported"


def test_a_warm_scan_from_a_thread_of_an_unchanged_workspace_reads_one_round(tmp_path: Path, monkeypatch,
                                                                           small_batches):
    _scan_tree(tmp_path)
    serial = _findings(tmp_path, 1)
    cold = FactsCache(tmp_path / ".cache", "t")
    assert _findings_from_a_thread(tmp_path, cold) == serial
    cold.save()
    discoveries = []
    real_discover = scan.Scan._discover

    def discover(self, needles):
        discoveries.append(needles)
        return real_discover(self, needles)

    monkeypatch.setattr(scan.Scan, "_discover", discover)
    warm = FactsCache(tmp_path / ".cache", "t")
    assert _findings_from_a_thread(tmp_path, warm) == serial
    assert warm.hits == 68 and not discoveries  # the cache's answers were those of the last run's needles


def test_a_progress_callback_that_raises_stops_the_reading(tmp_path: Path, monkeypatch):
    """The language server's callback raises when a newer scan superseded this one: the batches not
    started yet are not read, and the pool's workers end."""
    items = _tree(tmp_path, pool.PARALLEL_THRESHOLD + 40 * POOL_CHUNK)
    reads = WorkerReads(monkeypatch, tmp_path / "reads.log", signalled=items[0][0])
    real_close = ScanPool.close
    monkeypatch.setattr(ScanPool, "close", lambda self, wait=False: real_close(self, wait=True))
    calls = []

    def progress(done: int, total: int) -> None:
        calls.append(done)
        raise InterruptedError("superseded")

    state = scan.Scan(open_workspace([tmp_path]), None, 2, progress)
    failed: list[BaseException] = []

    def run() -> None:
        try:
            state.run(None, True, None)
        except BaseException as exc:  # noqa: BLE001 - checked in the test's thread
            failed.append(exc)

    thread = threading.Thread(target=run)
    try:
        thread.start()
        thread.join()
    finally:
        reads.close()
    assert len(failed) == 1 and isinstance(failed[0], InterruptedError) and len(calls) == 1
    assert state.pool is None  # closed (its workers waited for, above)
    assert 0 < len(reads.files_read()) < len(items) // 2
