"""Analysis of open documents, debouncing, and diagnostics: push, pull and workspace mode.

Everything here runs on the event loop. Per keystroke the work is one ``extract_facts`` of the
buffer, an index update and the rules for that file; libcst and jedi are never involved.
"""

from __future__ import annotations

import asyncio
import os
from typing import TYPE_CHECKING

from lsprotocol import types

from ssot_lsp.core.engine import analyze
from ssot_lsp.core.rules.syntax_error import is_syntax_error
from ssot_lsp.core.violations import Violation
from ssot_lsp.lsp.convert import (
    diagnostic_dict,
    path_to_uri,
    read_text,
    result_id_for,
    to_diagnostic,
)
from ssot_lsp.lsp.documents import Document, LineIndex
from ssot_lsp.lsp.state import FolderState

if TYPE_CHECKING:
    from ssot_lsp.lsp.language_server import SsotLanguageServer

# -- scheduling ------------------------------------------------------------------------------------

def schedule(server: SsotLanguageServer, doc: Document, delay_ms: int | None = None) -> None:
    """(Re)start the debounce timer of one document; older pending work for it is dropped."""
    cancel_pending(server, doc.uri)
    state = server.state_for(doc.path)
    delay = state.settings.debounce_ms if delay_ms is None else delay_ms
    server.pending[doc.uri] = asyncio.ensure_future(_debounced(server, doc.uri, doc.version, delay))


def cancel_pending(server: SsotLanguageServer, uri: str) -> None:
    task = server.pending.pop(uri, None)
    if task is not None and not task.done():
        task.cancel()


async def _debounced(server: SsotLanguageServer, uri: str, version: int | None, delay_ms: int) -> None:
    try:
        if delay_ms > 0:
            await asyncio.sleep(delay_ms / 1000)
        doc = server.document(uri)
        if doc is None or doc.version != version:
            return  # stale: a newer edit rescheduled (or the document closed)
        server.pending.pop(uri, None)
        refresh_document(server, doc)
    except asyncio.CancelledError:
        pass
    except Exception as exc:  # noqa: BLE001
        server.log(f"analysis of {uri} failed: {exc}", "error")


def refresh_document(server: SsotLanguageServer, doc: Document, publish: bool = True) -> None:
    """Analyse the current text of a document and publish (push mode); handle cross-file effects."""
    cross = analyze_document(server, doc)
    if publish:
        publish_document(server, doc)
    if cross:
        on_cross_file_change(server, server.state_for(doc.path), exclude=doc.uri)


# -- analysis ---------------------------------------------------------------------------------------

def analyze_document(server: SsotLanguageServer, doc: Document, reuse_facts: bool = False) -> bool:
    """Update ``doc.violations`` for its current version; returns whether cross-file facts changed."""
    state = server.state_for(doc.path)
    limit = state.settings.max_file_size_kb * 1024
    if len(doc.text) > limit // 4 and len(doc.text.encode("utf-8", "surrogatepass")) > limit:
        if not doc.too_large_reported:
            doc.too_large_reported = True
            server.show_once(f"SSOT: {os.path.basename(doc.path)} is larger than maxFileSizeKb "
                             f"({state.settings.max_file_size_kb} KB); not analysed", types.MessageType.Info)
        doc.violations, doc.last_good = [], []
        doc.analysed_version, doc.dirty = doc.version, False
        return False
    if reuse_facts and not doc.dirty and doc.facts is not None and doc.facts.parsed:
        if not state.settings.enable:
            doc.violations = []
        else:
            assert state.config is not None  # loaded when the folder was added
            doc.violations = analyze(doc.facts, state.index, state.config,
                                     severity_overrides=state.settings.severity or None)
            doc.last_good = list(doc.violations)
        doc.analysed_version = doc.version
        return False
    result = state.analyze_text(doc.path, doc.text, statements=doc.statements)
    if result.parsed:
        doc.facts = result.facts
        doc.violations = result.violations
        doc.last_good = list(result.violations)
    else:
        # keep the last good results (moved through the edits) plus the syntax error
        doc.violations = sorted([*(v for v in doc.last_good if not is_syntax_error(v)), *result.violations],
                                key=Violation.sort_key)
    doc.analysed_version = doc.version
    doc.dirty = False
    return result.cross_file_changed


def ensure_current(server: SsotLanguageServer, doc: Document) -> None:
    """Pull requests and code actions want results for the current version: analyse now if needed."""
    if doc.dirty or doc.analysed_version != doc.version:
        cancel_pending(server, doc.uri)
        refresh_document(server, doc, publish=not server.pull_mode)


# -- conversion -----------------------------------------------------------------------------------

class LinesCache:
    """LineIndex of open documents or files on disk, read once per conversion pass."""

    def __init__(self, server: SsotLanguageServer) -> None:
        self.server = server
        self.cache: dict[str, LineIndex | None] = {}

    def __call__(self, path: str) -> LineIndex | None:
        if path not in self.cache:
            doc = self.server.documents.by_path(path)
            if doc is not None:
                self.cache[path] = doc.lines
            else:
                text = read_text(path)
                self.cache[path] = LineIndex(text) if text is not None else None
        return self.cache[path]


def visible_violations(server: SsotLanguageServer, doc: Document) -> list[Violation]:
    """The document's violations that are reported: those the workspace baseline does not accept."""
    return server.state_for(doc.path).visible(doc.path, doc.violations, doc.lines)


def document_diagnostics(server: SsotLanguageServer, doc: Document) -> list[types.Diagnostic]:
    lines_of = LinesCache(server)
    return [to_diagnostic(v, doc.lines, server.encoding, doc.version, lines_of)
            for v in visible_violations(server, doc)]


def disk_diagnostics(server: SsotLanguageServer, state: FolderState, path: str,
                     lines_of: LinesCache | None = None) -> list[types.Diagnostic]:
    violations = state.disk_violations(path)
    if not violations:
        return []
    lines_of = lines_of or LinesCache(server)
    lines = lines_of(path)
    if lines is None:
        return []
    return [to_diagnostic(v, lines, server.encoding, None, lines_of) for v in state.visible(path, violations, lines)]


# -- push -------------------------------------------------------------------------------------------

def publish_document(server: SsotLanguageServer, doc: Document) -> None:
    if server.pull_mode:
        return
    lines_of = LinesCache(server)
    payload = [diagnostic_dict(v, doc.lines, server.encoding, doc.version, lines_of)
               for v in visible_violations(server, doc)]
    params = {"uri": doc.uri, "version": doc.version, "diagnostics": payload}
    try:
        server.protocol._send_data({"jsonrpc": "2.0", "method": types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS,
                                    "params": params})
    except (AttributeError, TypeError):  # pragma: no cover - a pygls without _send_data
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=doc.uri, diagnostics=document_diagnostics(server, doc), version=doc.version))
    server.published[doc.uri] = "open"
    server.note_published(doc.uri, doc.version)


def clear_document(server: SsotLanguageServer, uri: str) -> None:
    if server.pull_mode:
        return
    server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
    server.published.pop(uri, None)


def publish_workspace(server: SsotLanguageServer, state: FolderState) -> None:
    """diagnosticMode=workspace (push clients): diagnostics for every workspace file not open."""
    if server.pull_mode or state.settings.diagnostic_mode != "workspace":
        return
    lines_of = LinesCache(server)
    open_uris = {doc.uri for doc in server.documents}
    for path in state.workspace_files():
        uri = path_to_uri(path)
        if uri in open_uris:
            continue
        diagnostics = disk_diagnostics(server, state, path, lines_of)
        rid = result_id_for(diagnostics)
        if server.published.get(uri) == rid or (not diagnostics and uri not in server.published):
            continue
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))
        server.published[uri] = rid


def clear_workspace(server: SsotLanguageServer, state: FolderState) -> None:
    open_uris = {doc.uri for doc in server.documents}
    for uri in list(server.published):
        path = server.path_of(uri)
        if uri not in open_uris and path and state.contains(path):
            clear_document(server, uri)


# -- cross-file effects --------------------------------------------------------------------------

def on_cross_file_change(server: SsotLanguageServer, state: FolderState, exclude: str | None = None) -> None:
    """Facts other files can see changed: re-evaluate open documents (and the workspace)."""
    for doc in server.documents:
        if doc.uri == exclude or server.state_for(doc.path) is not state:
            continue
        if doc.dirty:
            continue  # its own debounced analysis will see the new index
        analyze_document(server, doc, reuse_facts=True)
        publish_document(server, doc)
    publish_workspace(server, state)
    request_refresh(server)


def request_refresh(server: SsotLanguageServer) -> None:
    """Pull clients: ask them to pull again (``workspace/diagnostic/refresh``)."""
    if not server.pull_mode or not server.cap("workspace.diagnostics.refresh_support", False):
        return
    try:
        server.workspace_diagnostic_refresh(None)
    except Exception as exc:  # noqa: BLE001
        server.log(f"diagnostic refresh failed: {exc}", "warning")


def refresh_all_open(server: SsotLanguageServer, state: FolderState | None = None) -> None:
    for doc in server.documents:
        if state is not None and server.state_for(doc.path) is not state:
            continue
        cancel_pending(server, doc.uri)
        analyze_document(server, doc, reuse_facts=not doc.dirty)
        publish_document(server, doc)


# -- pull -------------------------------------------------------------------------------------------

FIRST_INDEX_WAIT = float(os.environ.get("SSOT_LSP_FIRST_INDEX_WAIT", "20"))


async def wait_for_first_index(server: SsotLanguageServer, uri: str) -> None:
    """A pull client that cannot be asked to pull again (no ``refreshSupport``, e.g. Neovim 0.11)
    keeps its first answer until the next edit, so answer it only once the folder's first index
    is installed (bounded by ``FIRST_INDEX_WAIT`` seconds; then with what there is). Clients with
    refresh support, and later pulls (the previous index stays in place during a re-index), are
    answered at once."""
    if server.cap("workspace.diagnostics.refresh_support", False):
        return
    path = server.path_of(uri)
    state = server.folder_for_path(path) if path else None
    if state is None or state.indexed:
        return
    event = server.index_ready.get(state.uri)
    if event is None or event.is_set():
        return
    try:
        await asyncio.wait_for(event.wait(), FIRST_INDEX_WAIT)
    except asyncio.TimeoutError:
        server.log(f"answering diagnostics for {uri} before the index of {state.root} is complete", "info")


def document_report(server: SsotLanguageServer, uri: str, previous_result_id: str | None,
                    ) -> types.RelatedFullDocumentDiagnosticReport | types.RelatedUnchangedDocumentDiagnosticReport:
    doc = server.document(uri)
    if doc is not None:
        ensure_current(server, doc)
        diagnostics = document_diagnostics(server, doc)
    else:
        path = server.path_of(uri)
        diagnostics = []
        if path and os.path.isfile(path):
            state = server.state_for(path)
            if path not in state.disk_facts:
                state.refresh_disk_file(path)
            diagnostics = disk_diagnostics(server, state, path)
    rid = result_id_for(diagnostics)
    if previous_result_id is not None and previous_result_id == rid:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=rid)
    return types.RelatedFullDocumentDiagnosticReport(items=diagnostics, result_id=rid)


async def wait_for_index(server: SsotLanguageServer, msg_id: object) -> None:
    """Wait until every folder's index is built, honouring ``$/cancelRequest`` of ``msg_id``."""
    for event in list(server.index_ready.values()):
        while not event.is_set():
            server.check_cancelled(msg_id)
            try:
                await asyncio.wait_for(event.wait(), 0.05)
            except asyncio.TimeoutError:
                pass


async def workspace_report(server: SsotLanguageServer, params: types.WorkspaceDiagnosticParams,
                           msg_id: object) -> types.WorkspaceDiagnosticReport:
    previous = {p.uri: p.value for p in params.previous_result_ids or ()}
    items: list[types.WorkspaceFullDocumentDiagnosticReport | types.WorkspaceUnchangedDocumentDiagnosticReport] = []
    await wait_for_index(server, msg_id)
    lines_of = LinesCache(server)
    seen: set[str] = set()
    for doc in server.documents:
        ensure_current(server, doc)
        diagnostics = document_diagnostics(server, doc)
        items.append(_workspace_item(doc.uri, doc.version, diagnostics, previous.get(doc.uri)))
        seen.add(doc.uri)
    count = 0
    for state in list(server.folders.values()):
        for path in state.workspace_files():
            uri = path_to_uri(path)
            if uri in seen:
                continue
            seen.add(uri)
            diagnostics = disk_diagnostics(server, state, path, lines_of)
            items.append(_workspace_item(uri, None, diagnostics, previous.get(uri)))
            count += 1
            if count % 50 == 0:
                server.check_cancelled(msg_id)
                await asyncio.sleep(0)
    server.check_cancelled(msg_id)
    return types.WorkspaceDiagnosticReport(items=items)


def _workspace_item(uri: str, version: int | None, diagnostics: list[types.Diagnostic], previous_id: str | None,
                    ) -> types.WorkspaceFullDocumentDiagnosticReport | types.WorkspaceUnchangedDocumentDiagnosticReport:
    rid = result_id_for(diagnostics)
    if previous_id is not None and previous_id == rid:
        return types.WorkspaceUnchangedDocumentDiagnosticReport(uri=uri, version=version, result_id=rid)
    return types.WorkspaceFullDocumentDiagnosticReport(uri=uri, version=version, items=diagnostics, result_id=rid)
