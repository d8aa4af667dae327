"""The later commits' changed blobs, read ahead by a forked child while this process analyses.

After the first commit, each commit reads the ~230 files that changed (~45 ms of CPU each on the
realistic history), then syncs the index, runs the rules and keys the findings (~40 ms): on one
core, while the other idles. What a later commit will read is nearly always known once the first
commit's files are read: its changes (``Repository.changes_along`` asked them all at once), each
changed file's module name, and what facts are read with — the needles the first commit ended with,
the group modules read whole, the watched names, the size limit. So a child is forked then (while
this process runs the first commit's rules, on one core); it reads every later commit's changed
blobs with those, commit after commit, with a ``git cat-file`` of its own (a worker's cache of delta
bases: the main process's larger one held 130 MB more and saved no measurable git time) and the
partial parses' replay records it inherited. Each commit's outcomes are appended to a file
(``pool._Results``) and announced through a pipe, which this process waits on only when a commit
asks for files the child has not done yet.

The child guesses; this process decides. An outcome is taken only when the scan asks for the same
path and blob read with the same everything (module, package or not, needles, group modules,
watched names, size limit): ``reading.facts_of_bytes`` is a function of those — a replay record
only spares parsing (``core/partial/replay.py``) — so the outcome is the one this process would
have computed. Anything else (a commit whose configuration or newly discovered names change what
is read, a path named otherwise, an error, a child that died) is read here, as without the child.

Facts equal to those of the path's previous version (most edits) cross as a mark, not pickled: this
process hands out its own object for them, the one ``BlobFacts.store`` would have handed out anyway.
Both sides start from the same table of each path's facts (``previous``, made before the fork) and
update it alike, record by record, so a mark always names the same facts on both sides.
"""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from typing import NoReturn

from ssot_lsp.audit.history import blobs
from ssot_lsp.audit.history.git import Change
from ssot_lsp.audit.history.named import Name, walk_order
from ssot_lsp.core import pool
from ssot_lsp.core.facts import FileFacts
from ssot_lsp.core.pool import Outcome

SAME = 0  # in a record: facts equal to the path's previous facts (``previous``)
# (needles, group modules read whole, watched names, max bytes): what every later read is guessed to use
Reading = tuple[frozenset[str], frozenset[str], frozenset[str], int]
# one file read ahead: (absolute path, blob, module, is package, outcome or SAME, its content when it gave facts)
Read = tuple[str, str, str, bool, "Outcome | int", "bytes | None"]
Record = tuple[list[Read], int]  # a commit's reads, and how many came from working-tree files


class ReadAhead:
    """This process's end: the child's records, taken commit by commit (``at``, then ``take``)."""

    def __init__(self, pid: int, results: pool._Results, notify: int, commits: list[str], reading: Reading,
                 previous: dict[str, FileFacts]) -> None:
        self.pid = pid
        self.reading = reading
        self.served = 0  # files whose outcome was taken from the child
        self.from_worktree = 0
        self._results = results
        self._notify = notify  # the pipe's read end: a byte per commit done, end of file when the child left
        self._index = {oid: i for i, oid in enumerate(commits)}
        self._parts: list[Record | None] = [None] * len(commits)
        self._received = 0  # records taken in so far (they are taken in order)
        self._wanted = 0  # records this process's current commit needs
        self._ended = False  # the child left (done, or died)
        self._previous = previous  # path -> facts, as the child keeps it (SAME refers to it)
        self._reads: dict[str, tuple[str, str, bool, Outcome, bytes | None]] = {}  # path -> its newest read

    def at(self, commit: str) -> None:
        """The commit this process analyses now: its reads, and those of the commits before, can be taken."""
        index = self._index.get(commit)
        self._wanted = max(self._wanted, index + 1 if index is not None else 0)

    def take(self, items: Sequence[blobs.Item], needles: AbstractSet[str] | None, checked: AbstractSet[str] | None,
             whole_modules: frozenset[str], watch: frozenset[str],
             max_bytes: int) -> Iterator[tuple[Outcome, bytes | None] | None]:
        """Per item, the outcome (and content) the child read it into with exactly these settings, or
        None: to be read here."""
        guessed = self.reading
        if (needles is None or needles != guessed[0] or checked != guessed[0]
                or (whole_modules, watch, max_bytes) != guessed[1:]):
            yield from (None for _ in items)
            return
        self._receive()
        reads = self._reads
        for path, oid, module, is_package in items:
            found = reads.get(path)
            if found is None or found[:3] != (oid, module, is_package):
                yield None
                continue
            del reads[path]
            self.served += 1
            yield found[3], found[4]

    def _receive(self) -> None:
        """The records of the commits up to the current one, waiting for the child as long as it reads."""
        while True:
            self._results.read_complete(self._parts)
            # not beyond the current commit: a later version of a path would hide this commit's
            while self._received < self._wanted and (record := self._parts[self._received]) is not None:
                self._parts[self._received] = None
                self._received += 1
                self._accept(record)
            if self._ended or self._received >= self._wanted:
                return
            if not os.read(self._notify, 4096):  # the child left: what it wrote is all there is
                self._ended = True

    def _accept(self, record: Record) -> None:
        reads, from_worktree = record
        self.from_worktree += from_worktree
        previous = self._previous
        for path, oid, module, is_package, outcome, content in reads:
            if isinstance(outcome, int):
                # this process's object: equal to the child's, as it was at the fork or taken from it
                # since. Only ``_settle_partial_parses`` changes facts afterwards, widening a partial
                # parse's needles to a commit's final ones; needles only grow along a run, so once
                # they are wider than the guessed ones no later read matches them (``take``)
                outcome = previous[path]
            if isinstance(outcome, FileFacts):
                previous[path] = outcome
                self._reads[path] = (oid, module, is_package, outcome, content)
                continue
            previous.pop(path, None)
            if isinstance(outcome, str):  # a file the prefilter skips: its import lines
                self._reads[path] = (oid, module, is_package, outcome, None)
            else:  # an error is read here again: it may be the child's own (its git stopped)
                self._reads.pop(path, None)

    def close(self) -> None:
        """Stop the child if it still reads, and wait for it (its git's CPU time counts as ours then)."""
        if not self._ended:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        os.waitpid(self.pid, 0)
        os.close(self._notify)
        self._results.close()
        self._ended = True


def start(top: str, commits: list[str], changes: list[list[Change]], keeps: Callable[[str, str], bool],
          name: Callable[[str], Name], root: str, reading: Reading, previous: dict[str, FileFacts],
          replays: blobs.Replays, indexed: dict[str, str]) -> ReadAhead | None:
    """Fork the child that reads ``commits`` (``changes[i]``: what changed on the way to ``commits[i]``,
    root-relative); ``keeps(path, mode)``: whether a path is a workspace file, ``name(path)`` its
    module; ``previous``: the facts of each absolute path now. None when no child can be started."""
    try:
        results = pool._Results()
    except OSError:
        return None
    notify_read, notify_write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        results.close()
        os.close(notify_read)
        os.close(notify_write)
        return None
    if pid == 0:  # pragma: no cover - runs in the child, which never returns
        os.close(notify_read)
        _child(top, changes, keeps, name, root, reading, previous, replays, indexed, results, notify_write)
    os.close(notify_write)
    return ReadAhead(pid, results, notify_read, commits, reading, previous)


def _child(top: str, changes: list[list[Change]], keeps: Callable[[str, str], bool], name: Callable[[str], Name],
           root: str, reading: Reading, previous: dict[str, FileFacts], replays: blobs.Replays,
           indexed: dict[str, str], results: pool._Results, notify: int) -> NoReturn:  # pragma: no cover
    """Each commit's changed files read, its record appended and announced; then leave without
    running what the parent registered (exit handlers, buffered output), git closed and waited for."""
    code = 0
    try:
        gc.disable()  # short-lived, and what it reads dies by reference counting or lives to the end
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops us
        signal.signal(signal.SIGTERM, pool._stop)
        try:
            known: dict[tuple[str, str], Name | None] = {}

            def job_of(index: int) -> blobs.Job:
                return _job(top, _items(changes[index], root, keeps, name, known), reading, indexed)

            job = job_of(0) if changes else None
            for index in range(len(changes)):
                if pool._STOPPING:
                    break
                # the next commit's blobs asked of git before this one's are parsed (``blobs._read_replaying``)
                then = job_of(index + 1) if index + 1 < len(changes) else None
                assert job is not None
                results.append(index, _read(job, previous, replays, then))
                job = then
                os.write(notify, b".")
        finally:
            blobs._close_reader()
    except BaseException:  # the parent reads it all itself: the same code raises there if it is a bug
        code = 1
    finally:
        os._exit(code)


def _items(changed: list[Change], root: str, keeps: Callable[[str, str], bool], name: Callable[[str], Name],
           known: dict[tuple[str, str], Name | None]) -> list[blobs.Item]:  # pragma: no cover - in the child
    """The changed workspace files (absolute path, blob, module, is package), in walk order. What a
    (path, mode) was found to be — its name, None when not a workspace file — is remembered in
    ``known``: ``keeps`` and ``name`` are fixed for the child's run (the configuration it guesses
    with), and most paths change several times along a history."""
    items: list[blobs.Item] = []
    for change in changed:
        if change.oid is None or change.mode is None:
            continue
        key = (change.path, change.mode)
        found = known.get(key)
        if found is None and key not in known:
            found = known[key] = name(change.path) if keeps(change.path, change.mode) else None
        if found is not None:
            items.append((root + change.path, change.oid, *found))
    items.sort(key=lambda item: walk_order(item[0][len(root):]))
    return items


def _job(top: str, items: list[blobs.Item], reading: Reading, indexed: dict[str, str]) -> blobs.Job:
    needles, whole_modules, watch, max_bytes = reading
    on_disk = frozenset(i for i, (path, oid, _, _) in enumerate(items) if indexed.get(path) == oid)
    return (top, needles, needles, whole_modules, watch, max_bytes, items, on_disk, None)  # (records: ``replays.kept``)


def _read(job: blobs.Job, previous: dict[str, FileFacts], replays: blobs.Replays,
          then: blobs.Job | None) -> Record:  # pragma: no cover - in the child
    items = job[6]
    out, kept, from_worktree, _ = blobs._read_replaying(job, replays, then)
    reads: list[Read] = []
    for (path, oid, module, is_package), (_, outcome) in zip(items, out):
        sent: Outcome | int = outcome
        if isinstance(outcome, FileFacts):
            before = previous.get(path)
            previous[path] = outcome
            if before is not None and before == outcome:
                sent = SAME
        else:
            previous.pop(path, None)
        reads.append((path, oid, module, is_package, sent, kept.get(oid) if isinstance(outcome, FileFacts) else None))
    return reads, from_worktree
