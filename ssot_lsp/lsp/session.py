"""The server's state and what happens to it: the one object the handlers talk to.

A ``Session`` owns the open documents, the workspace folders (configuration, index, baseline),
the client's settings and the services that act on them, each a class of its own module:
``DiagnosticsPublisher`` (debounce and push), ``PullDiagnostics``, ``Indexer``, ``DiskWatcher``,
``CodeActions``, ``WorkspaceFixAll`` (with its edits-in-flight bookkeeping) and ``SettingsSync``.
Handlers (``handlers.py``) only translate LSP messages into calls of this class and its services.

Every document is placed once — its folder, module name and whether the folder includes it — when
it opens, and again only when folders or configuration change; per keystroke nothing is looked up.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from lsprotocol import types

from ssot_lsp.lsp import document_analysis
from ssot_lsp.lsp.actions import CodeActions
from ssot_lsp.lsp.client import Client
from ssot_lsp.lsp.convert import LinesCache, uri_to_path
from ssot_lsp.lsp.documents import Document, DocumentStore, TextChange
from ssot_lsp.lsp.fix_all import WorkspaceFixAll
from ssot_lsp.lsp.folder import Folder, Folders, Placement
from ssot_lsp.lsp.indexing import Indexer
from ssot_lsp.lsp.options import ServerOptions
from ssot_lsp.lsp.publishing import DiagnosticsPublisher
from ssot_lsp.lsp.pull import PullDiagnostics
from ssot_lsp.lsp.settings import DEFAULTS, Settings
from ssot_lsp.lsp.settings_sync import SettingsSync
from ssot_lsp.lsp.tracing import NO_TRACER, GuardedTracer, Tracer
from ssot_lsp.lsp.watching import DiskWatcher


class Session:
    def __init__(self, client: Client, options: ServerOptions) -> None:
        self.client = client
        self.options = options
        self.tracer: Tracer = NO_TRACER if options.tracer is NO_TRACER else GuardedTracer(
            options.tracer, lambda message: client.log(message, "warning"))
        self.settings: Settings = DEFAULTS  # the client's global settings; each folder has its own copy
        self.documents = DocumentStore()
        self.folders = Folders(lambda message: client.show_once(message, types.MessageType.Warning))
        self.publisher = DiagnosticsPublisher(self)
        self.pull = PullDiagnostics(self)
        self.indexer = Indexer(self)
        self.watcher = DiskWatcher(self)
        self.actions = CodeActions(self)
        self.fix_all = WorkspaceFixAll(self)
        self.settings_sync = SettingsSync(self)

    # -- lifecycle ---------------------------------------------------------------------------------
    async def start(self) -> None:
        """After ``initialized``: the client's settings, the first index of every folder, watching."""
        await self.settings_sync.fetch_and_apply(startup=True)
        scans = [task for task in map(self.indexer.start, self.folders.workspace()) if task is not None]
        if not scans:
            await self.indexer.announce_nothing_to_index()
        await self.watcher.start()

    def shutdown(self) -> None:
        self.publisher.cancel_all()
        self.indexer.cancel_all()
        self.watcher.stop()

    # -- documents ---------------------------------------------------------------------------------
    def open(self, uri: str, path: str, text: str, version: int | None) -> None:
        doc = Document(uri=uri, path=path, text=text, version=version, place=self._place(path))
        self.documents.add(doc)
        self.fix_all.in_flight.opened(path, text)
        self.publisher.cancel(uri)
        self.refresh(doc)

    def change(self, uri: str, version: int | None, changes: list[TextChange]) -> None:
        doc = self.documents.get(uri)
        if doc is None:
            return
        for change in changes:
            doc.apply_change(change, self.client.features.encoding)
        doc.version = version
        self.fix_all.in_flight.changed(doc.path, version)
        self.publisher.schedule(doc)

    def save(self, uri: str, text: str | None) -> None:
        """A save analyses and publishes at once (no debounce)."""
        doc = self.documents.get(uri)
        if doc is None:
            return
        if text is not None and text != doc.text:
            doc.replace_text(text)
        self.publisher.cancel(uri)
        self.refresh(doc)

    def close(self, uri: str) -> None:
        self.publisher.cancel(uri)
        self.actions.forget(uri)
        doc = self.documents.close(uri)
        if doc is None:
            return
        self.fix_all.in_flight.closed(doc.path)
        self.publisher.clear(uri)
        folder = doc.folder
        if doc.place.in_workspace and folder.restore_disk(doc.path):
            self.cross_file_change(folder)
        else:
            self.publisher.publish_workspace(folder)

    def _place(self, path: str) -> Placement:
        return self.folders.folder_for(path, self.settings).place(path)

    def place_documents(self, folder: Folder | None = None) -> None:
        """Folders or configuration changed: place the documents (of ``folder``, or all) again."""
        for doc in self.documents:
            if folder is None or doc.folder is folder:
                doc.place = self._place(doc.path)
                doc.analysis = None

    # -- analysis ----------------------------------------------------------------------------------
    def ensure_current(self, doc: Document) -> None:
        """Requests want results for the current version: analyse now if needed (no publish for
        pull clients, who get them in the answer)."""
        if not doc.analysis_is_current:
            self.publisher.cancel(doc.uri)
            self.refresh(doc, publish=self.publisher.pushing)

    def refresh(self, doc: Document, publish: bool = True) -> None:
        """Analyse the current text of a document, publish it, and re-evaluate what depends on it."""
        outcome = self._analyse(doc)
        if publish:
            self.publisher.publish(doc)
        if outcome.cross_file_changed:
            self.cross_file_change(doc.folder, exclude=doc)

    def _analyse(self, doc: Document, reuse_facts: bool = False) -> document_analysis.Outcome:
        started = time.perf_counter()
        outcome = document_analysis.analyse(doc, reuse_facts)
        self.tracer.document_analysed(doc.uri, doc.version, time.perf_counter() - started)
        if outcome.too_large and not doc.too_large_reported:
            doc.too_large_reported = True
            limit = doc.folder.settings.max_file_size_kb
            self.client.show_once(f"SSOT: {doc.path.rsplit('/', 1)[-1]} is larger than maxFileSizeKb "
                                  f"({limit} KB); not analysed", types.MessageType.Info)
        return outcome

    def cross_file_change(self, folder: Folder, exclude: Document | None = None) -> None:
        """Facts other files can see changed: re-evaluate open documents (and the workspace)."""
        for doc in self.documents:
            if doc is exclude or doc.folder is not folder or not doc.analysis_is_current:
                continue  # a document edited since has its own analysis coming, with the new index
            self._analyse(doc, reuse_facts=True)
            self.publisher.publish(doc)
        self.publisher.publish_workspace(folder)
        self.client.refresh_diagnostics()

    def refresh_open(self, folder: Folder | None = None) -> None:
        """Analyse the open documents (of ``folder``, or all) again and publish them."""
        for doc in self.documents:
            if folder is not None and doc.folder is not folder:
                continue
            self.publisher.cancel(doc.uri)
            self._analyse(doc, reuse_facts=True)
            self.publisher.publish(doc)

    def folder_results_changed(self, folder: Folder) -> None:
        """A new index, baseline or settings: everything reported for the folder may differ."""
        self.refresh_open(folder)
        self.publisher.publish_workspace(folder)
        self.client.refresh_diagnostics()

    def reload_configuration(self, folder: Folder) -> bool:
        """Re-read the folder's configuration file; on error keep the last good one. Returns success."""
        config = folder.config
        before = (config.fingerprint(), config.source) if config is not None else None
        baseline_before = folder.baseline_stamp
        message = folder.load_config()
        if message:
            self.client.show_once(message, types.MessageType.Error)
            return False
        if folder.baseline_message:
            self.client.show_once(folder.baseline_message, types.MessageType.Error)
        config = folder.config
        if config is not None and (config.fingerprint(), config.source) != before:
            self.client.log(f"configuration of {folder.root}: {config.source}")
            self.place_documents(folder)
            self.indexer.start(folder)
        elif folder.baseline_stamp != baseline_before:
            self.folder_results_changed(folder)
        return True

    # -- lookups -----------------------------------------------------------------------------------
    @staticmethod
    def path_of(uri: str) -> str | None:
        return uri_to_path(uri)

    def lines_of(self) -> LinesCache:
        return LinesCache(self.documents)

    def workspace_files(self, scope: str | None = None) -> Iterator[tuple[Folder, str]]:
        """(folder, path) of every workspace file under ``scope`` (a file or directory; None: all),
        open documents included."""
        seen: set[str] = set()
        for folder in self.folders.all():
            paths = [*folder.workspace_files(), *(doc.path for doc in self.documents if doc.folder is folder)]
            for path in paths:
                if path in seen or (scope and not (path == scope or path.startswith(scope.rstrip("/\\") + "/"))):
                    continue
                seen.add(path)
                yield folder, path
