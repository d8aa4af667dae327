"""Reading while the walk goes on: the first round of a cold command-line check.

A check walked the whole workspace (~60 ms for the realistic corpus: 25,000 files looked at,
11,000 kept) and named its modules before it forked its readers: the second core idled that long.
Here the readers are forked as soon as the walk has found enough files to be worth them
(``pool.PARALLEL_THRESHOLD``); this process publishes the files batch by batch as it walks on, the
children take the batches from the front as they appear, and this process, once its walk is done,
takes them from the end until they meet (``pool.shared_map``, the other way round). What it returns
is what ``pool.read_files`` returns for the walked files, in the walk's order: the scan after it
cannot tell the difference.

Only the main thread of a process with no other thread forks (``pool._forking_is_safe``, checked
by the caller): the language server's scans read while they walk through a process pool instead
(``core/pooled_streaming.py``).
"""

from __future__ import annotations

import itertools
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from typing import NoReturn, overload

from ssot_lsp.core import pool
from ssot_lsp.core.pool import Batch, Outcome

# files a published batch holds: the children start on the first ones while the walk goes on, the
# processes' last batches end close together (~5 ms of reading each), and progress moves in steps of
# 32 files (a workspace of 900 files: 28 steps)
STREAM_CHUNK = 32
UNKNOWN = 1 << 62  # the number of batches, until the walk is done

Item = tuple[str, str, bool]  # path, module, is_package
Part = list[tuple[str, Outcome]]
Shared = tuple["AbstractSet[str] | None", "AbstractSet[str] | None", frozenset[str], frozenset[str], int]


def read_while_walking(walk: Iterator[Item], needles: AbstractSet[str] | None, checked: AbstractSet[str] | None,
                       max_bytes: int, jobs: int, whole_modules: frozenset[str] = frozenset(),
                       watch: frozenset[str] = frozenset(),
                       advance: Callable[[int], None] | None = None) -> list[tuple[str, Outcome]]:
    """``pool.read_files`` of the files ``walk`` yields (without a cache), read from the first ones on
    by ``jobs - 1`` forked children while this process walks on. A walk that yields fewer than
    ``PARALLEL_THRESHOLD`` files is read as ``read_files`` reads it."""
    first = list(itertools.islice(walk, pool.PARALLEL_THRESHOLD))
    shared = (needles, checked, whole_modules, watch, max_bytes)
    if len(first) < pool.PARALLEL_THRESHOLD or jobs <= 1:
        return _read_walked(first + list(walk), shared, jobs, advance)
    if checked is not None:
        import ssot_lsp.core.partial.scan  # noqa: F401 - before forking, as ``read_files`` does
    try:
        batches = _Published(shared, jobs - 1)
    except OSError:  # no temporary file (a full or read-only TMPDIR): walk, then read
        return _read_walked(first + list(walk), shared, jobs, advance)
    with batches:
        try:
            claims = pool._Claims(UNKNOWN, jobs - 1, published=0)
        except OSError:
            return _read_walked(first + list(walk), shared, jobs, advance)
        return _share(walk, first, batches, claims, jobs, advance)


def _read_walked(items: list[Item], shared: Shared, jobs: int, advance: Callable[[int], None] | None) -> list[tuple[str, Outcome]]:
    needles, checked, whole_modules, watch, max_bytes = shared
    return pool.read_files([path for path, _, _ in items], {path: (module, package) for path, module, package in items},
                           needles, checked, max_bytes, jobs, None, whole_modules, watch, advance)


def _share(walk: Iterator[Item], walked: list[Item], batches: _Published, claims: pool._Claims, jobs: int,
           advance: Callable[[int], None] | None) -> list[tuple[str, Outcome]]:
    children: list[tuple[int, pool._Results]] = []
    parts: list[Part | None] = []

    def publish_full_batches() -> None:
        while len(walked) >= STREAM_CHUNK:
            batches.publish(walked[:STREAM_CHUNK], claims, parts)
            del walked[:STREAM_CHUNK]

    def start(slot: int, results: pool._Results) -> NoReturn:  # pragma: no cover - in a child
        batches.in_child()
        pool._child(_read_batch, batches, pool._batch_size, claims, slot, results, None, from_end=False,
                    unpublished=batches.wait)

    try:
        publish_full_batches()  # the children inherit these: nothing to read from the file
        pool.fork_children(children, jobs - 1, start)
        for item in walk:
            walked.append(item)
            if len(walked) >= STREAM_CHUNK:
                # nothing else between the batches: unpickling the children's facts here slowed the
                # walk down until the children waited for batches (50 ms of a 120 ms walk), and
                # progress waits for the walk's total (a bar would show "all done" at each batch)
                publish_full_batches()
        if walked:
            batches.publish(walked, claims, parts)
        batches.end(claims)
        reported = pool.take_here(_read_batch, batches, pool._batch_size, claims, children, parts, advance,
                                  from_end=True)
        pool.collect_children(children, parts)
    finally:
        pool.kill_children(children)
    done = pool.completed(_read_batch, batches, pool._batch_size, parts, advance, reported)
    return list(itertools.chain.from_iterable(done))


def _read_batch(batch: Batch) -> Part:
    """``pool._worker`` without the cache's metadata (a run that streams has no cache): each child
    pickled a tuple per file that nobody read, and this process then copied every outcome out of
    its (path, outcome, metadata) triple — 5 ms after the reading on the realistic corpus."""
    return [(path, outcome) for path, outcome, _ in pool._worker(batch)]


class _Published(Sequence[Batch]):
    """The batches published so far: in this process a list; a child reads those published after it
    was forked from an anonymous file of records (length, pickle of the files), and waits on a pipe
    for more (``wait``)."""

    def __init__(self, shared: Shared, children: int) -> None:
        self._shared = shared
        self._wake_ups = b"+" * children  # one for each child (each reads one)
        self._items: list[list[Item]] = []
        self._owner = os.getpid()
        self._file = tempfile.TemporaryFile()
        self._offsets: list[int] = []  # where each record starts, as far as a child has looked
        self._scanned = 0
        try:
            self._wake_read, self._wake_write = os.pipe()
        except OSError:
            self._file.close()
            raise
        os.set_blocking(self._wake_write, False)

    def publish(self, items: list[Item], claims: pool._Claims, parts: list[Part | None]) -> None:
        """``items`` published as the next batch, the children waiting for one woken."""
        blob = pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(len(blob).to_bytes(8, "little") + blob)
        while view:
            view = view[os.write(self._file.fileno(), view):]
        self._items.append(list(items))
        parts.append(None)
        claims.publish(len(self._items))
        try:
            os.write(self._wake_write, self._wake_ups)
        except BlockingIOError:  # the pipe is full of wake-ups not read yet: the children will look
            pass

    def end(self, claims: pool._Claims) -> None:
        """The walk is done: every batch is published, and no child waits for more (the pipe's end)."""
        claims.publish(len(self._items), len(self._items))
        self._close_wake_write()

    def in_child(self) -> None:  # pragma: no cover - in a child
        """A child holds no write end of the pipe: the end of this process's closes it for all."""
        self._close_wake_write()

    def wait(self) -> None:  # pragma: no cover - in a child
        """In a child: until this process publishes a batch (or ends its walk)."""
        os.read(self._wake_read, 1)

    def _close_wake_write(self) -> None:
        if self._wake_write >= 0:
            os.close(self._wake_write)
            self._wake_write = -1

    @overload
    def __getitem__(self, index: int) -> Batch: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Batch]: ...

    def __getitem__(self, index: int | slice) -> Batch | Sequence[Batch]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        if index < len(self._items):
            items = self._items[index]
        elif os.getpid() != self._owner:  # in a child, a batch published after it was forked
            items = self._read(index)
        else:
            raise IndexError(index)
        needles, checked, whole_modules, watch, max_bytes = self._shared
        return needles, checked, whole_modules, watch, max_bytes, items, False

    def __iter__(self) -> Iterator[Batch]:
        return (self[index] for index in range(len(self._items)))

    def __len__(self) -> int:
        return len(self._items)

    def _read(self, index: int) -> list[Item]:  # pragma: no cover - in a child
        descriptor = self._file.fileno()
        while len(self._offsets) <= index:
            size = int.from_bytes(os.pread(descriptor, 8, self._scanned), "little")
            self._offsets.append(self._scanned)
            self._scanned += 8 + size
        offset = self._offsets[index]
        size = int.from_bytes(os.pread(descriptor, 8, offset), "little")
        items: list[Item] = pickle.loads(os.pread(descriptor, size, offset + 8))
        return items

    def __enter__(self) -> _Published:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._file.close()
        os.close(self._wake_read)
        self._close_wake_write()
