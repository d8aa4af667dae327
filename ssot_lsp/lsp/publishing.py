"""Pushed diagnostics: the debounce of open documents, ``publishDiagnostics``, and workspace mode.

Clients that pull (``textDocument/diagnostic``) get nothing pushed for their documents; their
answers come from ``pull.py``. Everything here runs on the event loop.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from ssot_lsp.core.violations import Violation
from ssot_lsp.lsp.convert import Json, LinesCache, LinesOf, diagnostic_json, path_to_uri, result_id
from ssot_lsp.lsp.documents import Document
from ssot_lsp.lsp.folder import Folder
from ssot_lsp.lsp.wire import WireCache, publish_body

if TYPE_CHECKING:
    from ssot_lsp.lsp.session import Session

OPEN = "open"  # the result id noted for open documents (their diagnostics follow every version)


def document_diagnostics(doc: Document, encoding: str, lines_of: LinesOf) -> list[Json]:
    """The reported diagnostics of the document's last analysis, with its version."""
    docs = doc.folder.docs_base_url
    return [diagnostic_json(v, doc.lines, encoding, doc.version, lines_of, docs) for v in doc.visible]


class DiskReports:
    """The diagnostics (JSON) and result id of each workspace file that is not open, kept while
    the file's findings are the same list (``Folder.disk_violations`` keeps one per index
    generation: any change of facts makes new ones) and nothing else they depend on changed.

    VS Code pulls the workspace every two seconds; each pull converted every finding of the
    workspace again and read each file with findings from disk for its line texts (770 files of
    the realistic corpus: ~0.4 s on the event loop per pull, although nothing had changed)."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[list[Violation], tuple[object, ...], list[Json], str]] = {}

    def report(self, folder: Folder, path: str, encoding: str, lines_of: LinesOf) -> tuple[list[Json], str]:
        """(diagnostics, result id) of the file."""
        violations = folder.disk_violations(path)
        context = (encoding, folder.docs_base_url, id(folder), id(folder.baseline), folder.baseline_stamp)
        kept = self.entries.get(path)
        if kept is not None and kept[0] is violations and kept[1] == context:
            return kept[2], kept[3]
        diagnostics = _disk_json(folder, path, violations, encoding, lines_of)
        rid = result_id(diagnostics)
        if violations:
            self.entries[path] = (violations, context, diagnostics, rid)
        else:
            self.entries.pop(path, None)
        return diagnostics, rid


def _disk_json(folder: Folder, path: str, violations: list[Violation], encoding: str,
               lines_of: LinesOf) -> list[Json]:
    """The reported diagnostics of a workspace file that is not open (no version)."""
    if not violations:
        return []
    lines = lines_of(path)
    if lines is None:
        return []
    docs = folder.docs_base_url
    return [diagnostic_json(v, lines, encoding, None, lines_of, docs) for v in folder.visible(path, violations, lines)]


# the adaptive debounce waits half as long as the document's last analysis took, at most this long
ADAPTIVE_DEBOUNCE_MAX_MS = 50
# edits closer together than this are one burst (a fast typist, an editor's batched changes): the
# adaptive debounce merges them even when the document's analysis is quicker
TYPING_PAUSE_MS = 50


def adaptive_debounce_ms(last_analysis_ms: float | None, since_last_edit_ms: float | None = None) -> int:
    """The debounce when ``debounceMs`` is not set: none after a pause in typing at least as long
    as the document's last analysis and ``TYPING_PAUSE_MS`` (there is nothing to merge: a wait
    would only add to the latency), else half the last analysis time.

    A fixed 100 ms made a keystroke's diagnostics arrive 100 ms late on files analysed in 10 ms
    (issue 10: edit -> diagnostics must stay within 1.5x ``ast.parse`` of the file + 25 ms). Waiting
    in proportion to the analysis still merges the keystrokes of a fast typist on files whose
    analysis is slow, where analysing each one would fall behind; the edit's diagnostics then
    arrive about 1.5x the analysis time after it. The cap: on a busy machine (2 cores, load 13) a
    4,000-line file's analysis took 600 ms, and a 100 ms cap alone put the p95 past the target."""
    if last_analysis_ms is None or (since_last_edit_ms is not None
                                    and since_last_edit_ms >= max(last_analysis_ms, TYPING_PAUSE_MS)):
        return 0
    return min(ADAPTIVE_DEBOUNCE_MAX_MS, round(last_analysis_ms / 2))


class DiagnosticsPublisher:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.pending: dict[str, asyncio.Task[None]] = {}  # uri -> debounced analysis
        self.published: dict[str, str] = {}  # uri -> result id of what was last pushed
        self.analysis_ms: dict[str, float] = {}  # uri -> how long its last debounced analysis took
        self.last_change: dict[str, float] = {}  # uri -> when its last edit arrived (perf counter)
        self.wire: dict[str, WireCache] = {}  # uri -> the serialised diagnostics of its last publish
        self.disk_reports = DiskReports()  # of files that are not open (workspace mode, pulls)

    @property
    def pushing(self) -> bool:
        return not self.session.client.features.pull_diagnostics

    # -- debounce -------------------------------------------------------------------------------
    def schedule(self, doc: Document) -> None:
        """(Re)start the debounce timer of one document; older pending work for it is dropped."""
        self.cancel(doc.uri)
        now = time.perf_counter()
        previous, self.last_change[doc.uri] = self.last_change.get(doc.uri), now
        delay = doc.folder.settings.debounce_ms
        if delay is None:
            delay = adaptive_debounce_ms(self.analysis_ms.get(doc.uri),
                                         None if previous is None else (now - previous) * 1000)
        self.pending[doc.uri] = asyncio.ensure_future(self._debounced(doc, doc.version, delay))

    def cancel(self, uri: str) -> None:
        task = self.pending.pop(uri, None)
        if task is not None and not task.done():
            task.cancel()

    def cancel_all(self) -> None:
        for uri in list(self.pending):
            self.cancel(uri)

    async def _debounced(self, doc: Document, version: int | None, delay_ms: int) -> None:
        try:
            if delay_ms > 0:
                await asyncio.sleep(delay_ms / 1000)
            if self.session.documents.get(doc.uri) is not doc or doc.version != version:
                return  # stale: a newer edit rescheduled (or the document closed)
            self.pending.pop(doc.uri, None)
            started = time.perf_counter()
            self.session.refresh(doc)
            if self.session.documents.get(doc.uri) is doc:
                self.analysis_ms[doc.uri] = (time.perf_counter() - started) * 1000
        except asyncio.CancelledError:
            pass
        except Exception as exc:  # noqa: BLE001
            self.session.client.log(f"analysis of {doc.uri} failed: {exc}", "error")

    # -- open documents ---------------------------------------------------------------------------
    def publish(self, doc: Document) -> None:
        """The document's diagnostics, serialised through its ``WireCache`` (``wire.py``)."""
        if not self.pushing:
            return
        client = self.session.client
        cache = self.wire.setdefault(doc.uri, WireCache())
        diagnostics = cache.diagnostics(doc.visible, doc.lines, client.features.encoding, doc.version,
                                        LinesCache(self.session.documents), doc.folder.docs_base_url)
        client.publish_serialised(publish_body(doc.uri, doc.version, diagnostics))
        self.published[doc.uri] = OPEN
        self.session.tracer.diagnostics_published(doc.uri, doc.version, len(diagnostics))

    def clear(self, uri: str) -> None:
        self.analysis_ms.pop(uri, None)
        self.last_change.pop(uri, None)
        self.wire.pop(uri, None)
        if not self.pushing:
            return
        self.session.client.publish(uri, None, [])
        self.published.pop(uri, None)

    # -- workspace mode ---------------------------------------------------------------------------
    def publish_workspace(self, folder: Folder) -> None:
        """diagnosticMode=workspace: diagnostics for every workspace file that is not open; only
        what changed since the last push is sent again."""
        if not self.pushing or folder.settings.diagnostic_mode != "workspace":
            return
        client = self.session.client
        lines_of = LinesCache(self.session.documents)
        open_uris = {doc.uri for doc in self.session.documents}
        for path in folder.workspace_files():
            uri = path_to_uri(path)
            if uri in open_uris:
                continue
            diagnostics, rid = self.disk_reports.report(folder, path, client.features.encoding, lines_of)
            if self.published.get(uri) == rid or (not diagnostics and uri not in self.published):
                continue
            client.publish(uri, None, diagnostics)
            self.published[uri] = rid

    def clear_workspace(self, folder: Folder) -> None:
        open_uris = {doc.uri for doc in self.session.documents}
        for uri in list(self.published):
            path = self.session.path_of(uri)
            if uri not in open_uris and path and folder.contains(path):
                self.clear(uri)
