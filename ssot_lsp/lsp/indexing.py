"""The background workspace index of each folder, with ``$/progress``.

The scan runs in an executor thread (the core's ``Workspace.scan``, with worker processes) and
builds a fresh index that is swapped in on the event loop, so the loop never blocks on it; the
previous index answers until then. A newer scan of the same folder supersedes an older one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from lsprotocol import types

from ssot_lsp.core.cache import FactsCache
from ssot_lsp.core.facts import FileFacts
from ssot_lsp.core.scan import ScanResult
from ssot_lsp.core.stale import StaleEntry, stale_summary
from ssot_lsp.lsp.client import Progress
from ssot_lsp.lsp.folder import Folder

if TYPE_CHECKING:
    from ssot_lsp.lsp.session import Session

TITLE = "SSOT: indexing workspace"
WAIT_STEP = 0.05  # seconds between two looks at cancellation while a request waits for an index


class Indexer:
    def __init__(self, session: Session) -> None:
        self.session = session

    def start(self, folder: Folder) -> asyncio.Task[None] | None:
        """(Re)build one folder's index in the background; a newer request supersedes an older one."""
        if not folder.scannable:
            folder.indexed = True
            return None
        if folder.index_task is not None and not folder.index_task.done():
            folder.index_task.cancel()
        folder.index_ready.clear()
        folder.scan_generation += 1
        folder.index_task = asyncio.ensure_future(self._index(folder, folder.scan_generation))
        return folder.index_task

    async def announce_nothing_to_index(self) -> None:
        """No workspace folder to scan (single-file mode, folders that are not local directories):
        an indexing progress that begins and ends at once, so a client waiting for the end of
        indexing (the Neovim ``:SsotViolations``, the VS Code status) does not wait forever."""
        progress = await self.session.client.begin_progress("ssot-index", TITLE, "no workspace folder")
        progress.end("no workspace folder to index")
        self.session.client.log("no workspace folder to index: findings of open files only")

    def cancel_all(self) -> None:
        for folder in self.session.folders.workspace():
            if folder.index_task is not None and not folder.index_task.done():
                folder.index_task.cancel()

    async def wait_for_index(self, msg_id: object) -> None:
        """Wait until every workspace folder's index is built, honouring ``$/cancelRequest``."""
        for folder in self.session.folders.workspace():
            while not folder.index_ready.is_set():
                self.session.client.cancellations.check(msg_id)
                try:
                    await asyncio.wait_for(folder.index_ready.wait(), WAIT_STEP)
                except asyncio.TimeoutError:
                    pass

    async def _index(self, folder: Folder, generation: int) -> None:
        session = self.session
        loop = asyncio.get_running_loop()
        progress = await session.client.begin_progress("ssot-index", TITLE, folder.root.name)
        report = _ProgressThrottle(loop, progress, lambda: generation == folder.scan_generation)
        tracer, jobs = session.tracer, session.options.scan_jobs
        analysed_with = folder.settings.analysis_key()

        def scan() -> tuple[ScanResult, FactsCache | None]:  # in the executor thread
            tracer.scan_started(str(folder.root))
            try:
                return folder.scan(jobs, report)
            except Superseded as stop:
                loop.call_soon_threadsafe(session.client.log, f"indexing {folder.root} superseded after "
                                                              f"{stop.done} of {stop.total} files")
                raise

        started = time.monotonic()
        heartbeat = asyncio.ensure_future(report.keep_alive())
        try:
            result, cache = await loop.run_in_executor(None, scan)
        except asyncio.CancelledError:
            progress.end("superseded")
            raise
        except Superseded:  # a newer scan began after this task was last resumed
            progress.end("superseded")
            return
        except Exception as exc:  # noqa: BLE001
            session.client.log(f"indexing {folder.root} failed: {exc}", "error")
            progress.end("failed")
            folder.indexed = True
            folder.index_ready.set()
            return
        finally:
            heartbeat.cancel()
        if generation != folder.scan_generation:
            progress.end("superseded")
            return
        self._install(folder, result, analysed_with)
        progress.end(f"{len(result.facts)} of {result.files_total} files indexed")
        seconds = time.monotonic() - started
        session.client.log(f"indexed {folder.root}: {result.files_total} files, {len(result.facts)} analysed "
                           f"in {seconds:.2f}s")
        tracer.index_built(str(folder.root), len(result.facts), seconds)
        for path in result.skipped_large:
            session.client.log(f"skipped {path}: larger than {folder.settings.max_file_size_kb} KB")
        session.folder_results_changed(folder)
        await loop.run_in_executor(None, folder.save_cache, cache)
        if folder.stale_reported != folder.config_loads:  # once per configuration load
            folder.stale_reported = folder.config_loads
            self._report_stale(folder, await loop.run_in_executor(None, folder.stale, result))

    def _report_stale(self, folder: Folder, entries: list[StaleEntry]) -> None:
        """Configured entries the workspace does not contain: logged one per line, and shown once."""
        client = self.session.client
        if not entries:
            client.log(f"configuration of {folder.root}: every configured entry is in the workspace")
            return
        summary = stale_summary(entries)
        client.log("\n".join([f"configuration of {folder.root}: {summary}:",
                               *(f"  {entry.describe(folder.root)}" for entry in entries)]), "warning")
        client.show(f"SSOT: {summary}; the list is in the SSOT output", types.MessageType.Warning)

    def _install(self, folder: Folder, result: ScanResult, analysed_with: tuple) -> None:
        """Swap the new index in: open buffers override the disk, disk changes seen while the
        scan ran are applied, and requests waiting for the index are released."""
        documents = self.session.documents
        open_facts: list[FileFacts] = []
        for doc in documents:
            analysis = doc.analysis
            if doc.folder is folder and analysis is not None and analysis.facts is not None \
                    and analysis.facts.parsed and doc.place.in_workspace:
                open_facts.append(analysis.facts)
        folder.install_scan(result, open_facts, analysed_with)
        pending, folder.pending_disk = folder.pending_disk, set()
        for path in sorted(pending):
            if documents.by_path(path) is None:
                folder.refresh_disk_file(path)
        folder.index_ready.set()


class Superseded(Exception):
    """Raised in the scan thread by the progress callback of a scan a newer one superseded: it
    reads no more files (its pool's batches not started yet are dropped), and leaves the cores
    to the newer scan."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(f"superseded after {done} of {total} files")
        self.done, self.total = done, total


class _ProgressThrottle:
    """The scan's progress callback (called in the scan thread as files are read): at most one
    report per 0.1 s unless it moved by 10 %, delivered on the loop, and only while the scan is
    current (a superseded scan is stopped: ``Superseded``); ``keep_alive`` repeats the last one
    while nothing moves (walking the tree, analysing), so that a client sees a report at least
    every ``KEEP_ALIVE`` seconds."""

    KEEP_ALIVE = 1.0

    def __init__(self, loop: asyncio.AbstractEventLoop, progress: Progress, current: Callable[[], bool]) -> None:
        self.loop = loop
        self.progress = progress
        self.current = current
        self.percent = -1
        self.time = 0.0
        self.sent = (0, "listing files")  # the last report delivered: (percent, message)
        self.sent_at = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if not self.current():
            raise Superseded(done, total)
        percent = min(99, int(100 * done / max(total, 1)))
        now = time.monotonic()
        if percent > self.percent and (now - self.time > 0.1 or percent - self.percent >= 10):
            self.percent, self.time = percent, now
            self.loop.call_soon_threadsafe(self._report, percent, f"{done}/{total} files")

    def _report(self, percent: int, message: str) -> None:
        if self.current():
            self.sent, self.sent_at = (percent, message), time.monotonic()
            self.progress.report(message, percent)

    async def keep_alive(self) -> None:
        while True:
            await asyncio.sleep(self.KEEP_ALIVE - (time.monotonic() - self.sent_at))
            if time.monotonic() - self.sent_at >= self.KEEP_ALIVE - 0.01:
                percent, message = self.sent
                self._report(percent, message if percent < 99 else "analysing")
