"""Reading many files at once: the cache first, then other processes for what is left.

Small batches run in this process; large ones are cut into small chunks shared with forked
children (``shared_map``, from the main thread) or a process pool (from any other thread), so the last
chunks finish close together and no process idles at the end. Both call ``reading.read_facts``
through the module (fault-injection tests replace it there).
"""

from __future__ import annotations

import fcntl
import mmap
import os
import pickle
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, NoReturn, TypeVar, Union, cast

from ssot_lsp.core import reading
from ssot_lsp.core.facts import FileFacts
from ssot_lsp.core.violations import FileError

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from ssot_lsp.core.cache import FactsCache

PARALLEL_THRESHOLD = 400
SERIAL_CHUNK = 64  # files read in this process between two progress reports

Outcome = Union[FileFacts, FileError, str]  # facts, why not, or the import lines of a skipped file
# (needles, checked needles, group modules, watched names, max bytes, (path, module, is_package) items,
# whether to hash contents for the cache)
Batch = tuple["AbstractSet[str] | None", "AbstractSet[str] | None", frozenset[str], frozenset[str], int,
              list[tuple[str, str, bool]], bool]
Task = TypeVar("Task")
Result = TypeVar("Result")


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
               advance: Callable[[int], None] | None = None,
               executor: Callable[[], Executor] | None = None) -> list[tuple[str, Outcome]]:
    """Read ``paths`` (cache hits first), searching for ``needles``; ``checked`` is every needle a
    skipped file is known to lack after this batch (what the cache records). ``advance(n)`` is told
    of every ``n`` files done as they are done (cache hits at once, then chunk by chunk): progress
    that follows the files, not the end of the batch. ``executor()``: the process pool to read a
    large batch with from a process that may not fork (default: one started for this batch)."""
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
    shared = not serial and _forking_is_safe()
    # small batches (~170 files of the realistic corpus): claiming one costs two system calls, and
    # the processes' last batches end close together
    chunk = SERIAL_CHUNK if serial else max(16, len(items) // (jobs * 32))
    batches: list[Batch] = [(needles, checked, whole_modules, watch, max_bytes, items[i:i + chunk], cache is not None)
                            for i in range(0, len(items), chunk)]
    if serial:
        fresh = _collect(map(_worker, batches), advance)
    elif shared:
        fresh = _collect(shared_map(_worker, batches, jobs, _batch_size, advance), None)
    elif executor is not None:
        fresh = _collect(executor().map(_worker, batches), advance)
    else:
        from concurrent.futures import ProcessPoolExecutor  # not imported by runs that need no pool

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            fresh = _collect(pool.map(_worker, batches), advance)
    for path, outcome, meta in fresh:
        if cache is not None:
            cache.store(path, outcome, meta, checked)
        results.append((path, outcome))
    return results



def _forking_is_safe() -> bool:
    """Only the main thread of a process with no other thread forks: a thread holding a lock (the
    import lock, a logging handler's, a buffer's) at the fork leaves it held for ever in the child."""
    return threading.current_thread() is threading.main_thread() and threading.active_count() == 1


def _batch_size(batch: Batch) -> int:
    return len(batch[5])


def shared_map(work: Callable[[Task], Result], tasks: list[Task], jobs: int, size: Callable[[Task], int],
               advance: Callable[[int], None] | None = None,
               leave: Callable[[], None] | None = None) -> list[Result]:
    """``work`` of each task, in order, computed by this process and ``jobs - 1`` forked children;
    ``size(task)``: its files, for ``advance``; ``leave``: what a child does before it exits (close
    what it opened: it leaves without running exit handlers).

    The children take tasks from the end, this process from the front, until they meet: only the
    children's results cross between processes (pickling the facts both ways was a tenth of a cold
    check's CPU), and one process fewer starts. Children are forked, not a pool's workers: they
    inherit the tasks (nothing pickled on the way out), and no executor threads (a feeder, a
    result manager) compete with this process's own reading for the interpreter. Each child appends
    its results to a file of its own, which this process reads between its own tasks. Only a process
    whose main thread is alone may call it (``_forking_is_safe``): a language server scanning in a
    background thread leaves the interpreter to its event loop. A task whose child was killed is
    done here; an exception a child raised is raised here.
    """
    try:
        claims = _Claims(len(tasks), jobs - 1)
    except OSError:  # no temporary file (a full or read-only TMPDIR): this process reads it all
        parts_here = []
        for task in tasks:
            parts_here.append(work(task))
            if advance is not None:
                advance(size(task))
        return parts_here
    children: list[tuple[int, _Results]] = []
    parts: list[Result | None] = [None] * len(tasks)
    try:
        fork_children(children, jobs - 1,
                      lambda slot, results: _child(work, tasks, size, claims, slot, results, leave))
        reported = take_here(work, tasks, size, claims, children, parts, advance, from_end=False)
        collect_children(children, parts)
    finally:
        kill_children(children)
    return completed(work, tasks, size, parts, advance, reported)


# -- the pieces of ``shared_map``, shared with ``core/streaming.py`` ---------------------------------
def fork_children(children: list[tuple[int, _Results]], count: int,
                  start: Callable[[int, _Results], NoReturn]) -> None:
    """Up to ``count`` children forked into ``children`` (pid, results), each running ``start(slot,
    results)``; fewer when the system has no more processes or temporary files to give."""
    for slot in range(count):
        try:
            results = _Results()
        except OSError:
            break
        try:
            pid = os.fork()
        except OSError:  # no more processes: the ones started (or this one alone) read it all
            results.close()
            break
        if pid == 0:  # pragma: no cover - runs in the child, which never returns
            start(slot, results)
        children.append((pid, results))


def take_here(work: Callable[[Task], Result], tasks: Sequence[Task], size: Callable[[Task], int],
              claims: _Claims, children: list[tuple[int, _Results]], parts: list[Result | None],
              advance: Callable[[int], None] | None, from_end: bool, reported: int = 0) -> int:
    """This process's share: tasks taken until none is left, the children's results read between
    them; returns the files reported to ``advance`` so far."""
    while (index := claims.take(from_end)) is not None:
        parts[index] = work(tasks[index])
        claims.count(size(tasks[index]), slot=None)
        reported = read_children(children, parts, claims, advance, reported)
    return reported


def read_children(children: list[tuple[int, _Results]], parts: list[Result | None], claims: _Claims,
                  advance: Callable[[int], None] | None, reported: int) -> int:
    """The children's results complete by now into ``parts`` (unpickled while the children still
    read, not after), and progress; returns the files reported to ``advance`` so far."""
    for _, results in children:
        results.read_complete(parts)
    done = claims.done()
    if advance is not None and done > reported:
        advance(done - reported)
        reported = done
    return reported


def collect_children(children: list[tuple[int, _Results]], parts: list[Result | None]) -> None:
    """Wait for each child to end, and read the rest of its results."""
    while children:
        pid, results = children.pop()
        os.waitpid(pid, 0)
        with results:
            results.read_complete(parts)


def kill_children(children: list[tuple[int, _Results]]) -> None:
    """Leaving early (an error, an interrupt): the children go too."""
    for pid, results in children:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        results.close()


def completed(work: Callable[[Task], Result], tasks: Sequence[Task], size: Callable[[Task], int],
              parts: list[Result | None], advance: Callable[[int], None] | None, reported: int) -> list[Result]:
    """``parts``, with the tasks of children killed before they wrote their results done here."""
    for index, part in enumerate(parts):
        if part is None:  # claimed by a child that was killed before it wrote its results
            parts[index] = work(tasks[index])
    total = sum(size(task) for task in tasks)
    if advance is not None and total > reported:
        advance(total - reported)
    return cast(list[Result], parts)


def _child(work: Callable[[Task], Result], tasks: Sequence[Task], size: Callable[[Task], int], claims: _Claims,
           slot: int, results: _Results, leave: Callable[[], None] | None, from_end: bool = True,
           unpublished: Callable[[], object] | None = None) -> NoReturn:  # pragma: no cover
    """A forked child's life: tasks from the end (or the front), each result appended to ``results``;
    ``unpublished()`` waits for more when the next is not published yet; then ``leave``, and exit
    without running anything the parent registered (exit handlers, buffered output)."""
    code = 0
    try:
        if leave is not None:
            # stopped by the parent (it failed, or was interrupted: Ctrl-C is the parent's to
            # handle), the child ends its task and leaves through ``leave``: an exception raised
            # at any point (in the middle of starting a process) could leave behind what it opened
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, _stop)
        try:
            while not _STOPPING and (index := claims.take(from_end)) is not None:
                if index == UNPUBLISHED and unpublished is not None:
                    unpublished()
                    continue
                results.append(index, work(tasks[index]))
                claims.count(size(tasks[index]), slot)
        finally:
            if leave is not None:
                leave()
    except BaseException as exc:  # the parent raises it (a bug must not pass for a skipped file)
        code = 1
        try:
            results.append(-1, exc)
        except Exception:
            import traceback  # only here: 1.6 ms (with textwrap) before the first file could be read

            results.append(-1, RuntimeError(traceback.format_exc()))
    finally:
        os._exit(code)


_STOPPING: list[int] = []  # in a child: the signal that asked it to stop


def _stop(signum: int, frame: object) -> None:  # pragma: no cover - in a child
    _STOPPING.append(signum)


class _Results:
    """A child's results: records (length, pickle of (batch index, part)) that the child appends to
    an anonymous file and this process reads as each is complete (``os.pread``: the file offset
    the two processes share stays the child's)."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()
        self._read = 0  # bytes of complete records read so far

    def append(self, index: int, part: object) -> None:
        blob = pickle.dumps((index, part), protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(len(blob).to_bytes(8, "little") + blob)
        while view:
            view = view[os.write(self._file.fileno(), view):]

    def read_complete(self, parts: list[Result | None]) -> None:
        """Every record complete by now, into ``parts``; raises what the child raised. A record cut
        short (being written, or by a child that was killed) is left for later or for ever."""
        descriptor = self._file.fileno()
        while len(header := os.pread(descriptor, 8, self._read)) == 8:
            size = int.from_bytes(header, "little")
            blob = os.pread(descriptor, size, self._read + 8)
            if len(blob) < size:
                return
            self._read += 8 + size
            index, part = pickle.loads(blob)
            if index < 0:
                raise part
            parts[index] = part

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> _Results:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


UNPUBLISHED = -1  # ``_Claims.take``: the next task is not published yet (``core/streaming.py``)


class _Claims:
    """Which batch each process takes next, shared by the forked processes: the next from the
    front and from the end, how many are published (all, but while a walk publishes them:
    ``core/streaming.py``), and the files each child has finished (for progress), in anonymous
    shared memory, under a POSIX record lock (released by the kernel if its holder dies)."""

    def __init__(self, count: int, children: int, published: int | None = None) -> None:
        self._memory = mmap.mmap(-1, 8 * (4 + children))
        self._ints = memoryview(self._memory).cast("q")
        self._ints[0], self._ints[1] = 0, count - 1  # front, end
        self._ints[2] = count if published is None else published
        self._lock = tempfile.TemporaryFile()

    def take(self, from_end: bool) -> int | None:
        """The next task's index; None when none is left, ``UNPUBLISHED`` when the next from the
        front is not published yet."""
        ints = self._ints
        fcntl.lockf(self._lock, fcntl.LOCK_EX)
        try:
            front, end = ints[0], ints[1]
            if front > end:
                return None
            if from_end:
                ints[1] = end - 1
                return end
            if front >= ints[2]:
                return UNPUBLISHED
            ints[0] = front + 1
            return front
        finally:
            fcntl.lockf(self._lock, fcntl.LOCK_UN)

    def publish(self, published: int, count: int | None = None) -> None:
        """``published`` tasks can be taken from the front; ``count``: all there will be, once known."""
        fcntl.lockf(self._lock, fcntl.LOCK_EX)
        try:
            self._ints[2] = published
            if count is not None:
                self._ints[1] = count - 1
        finally:
            fcntl.lockf(self._lock, fcntl.LOCK_UN)

    def count(self, files: int, slot: int | None) -> None:
        """``files`` more done by child ``slot`` (None: this process); each counter has one writer."""
        self._ints[3 if slot is None else 4 + slot] += files

    def done(self) -> int:
        return sum(self._ints[3:])


def _collect(parts: Iterable[list[tuple[str, Outcome, reading.Meta | None]]],
             advance: Callable[[int], None] | None) -> list[tuple[str, Outcome, reading.Meta | None]]:
    fresh: list[tuple[str, Outcome, reading.Meta | None]] = []
    for part in parts:
        fresh.extend(part)
        if advance is not None:
            advance(len(part))
    return fresh
