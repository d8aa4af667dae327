"""Pulled diagnostics: ``textDocument/diagnostic`` and ``workspace/diagnostic``.

Reports are built as JSON (``convert.py``). A result id is the hash of everything a report sends,
``data`` included, and ``data`` carries the document version: a client that pulls after an edit
always gets the diagnostics of the version it now has, never "unchanged" diagnostics of an
older one (which code actions would then have to answer for).
"""

from __future__ import annotations

import asyncio
import os
from typing import TYPE_CHECKING

from ssot_lsp.lsp.convert import Json, LinesCache, path_to_uri, result_id
from ssot_lsp.lsp.publishing import document_diagnostics

if TYPE_CHECKING:
    from ssot_lsp.lsp.session import Session

EMPTY = result_id([])  # the result id of a report without diagnostics
YIELD_EVERY = 50  # files between two looks at cancellation (and at other work) in workspace reports


class PullDiagnostics:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.uris: dict[str, str] = {}  # path -> URI of the workspace files (converting 11,000 per pull: ~40 ms)

    async def wait_for_first_index(self, uri: str) -> None:
        """A pull client that cannot be asked to pull again (no ``refreshSupport``, e.g. Neovim 0.11)
        keeps its first answer until the next edit, so answer it only once the folder's first index
        is installed (bounded by ``ServerOptions.first_index_wait``; then with what there is).
        Clients with refresh support, and later pulls (the previous index stays in place during a
        re-index), are answered at once."""
        session = self.session
        if session.client.features.diagnostic_refresh:
            return
        path = session.path_of(uri)
        folder = session.folders.workspace_folder_for(path) if path else None
        if folder is None or folder.indexed or folder.index_ready.is_set():
            return
        try:
            await asyncio.wait_for(folder.index_ready.wait(), session.options.first_index_wait)
        except asyncio.TimeoutError:
            session.client.log(f"answering diagnostics for {uri} before the index of {folder.root} is complete")

    def document_report(self, uri: str, previous_result_id: str | None) -> Json:
        session = self.session
        encoding = session.client.features.encoding
        doc = session.documents.get(uri)
        lines_of = LinesCache(session.documents)
        items: list[Json] = []
        rid = EMPTY
        if doc is not None:
            session.ensure_current(doc)
            items = document_diagnostics(doc, encoding, lines_of)
            rid = result_id(items)
        else:
            path = session.path_of(uri)
            if path and os.path.isfile(path):
                folder = session.folders.folder_for(path, session.settings)
                if path not in folder.disk_facts:
                    folder.refresh_disk_file(path)
                items, rid = session.publisher.disk_reports.report(folder, path, encoding, lines_of)
        if previous_result_id is not None and previous_result_id == rid:
            return {"kind": "unchanged", "resultId": rid}
        return {"kind": "full", "resultId": rid, "items": items}

    async def workspace_report(self, previous: dict[str, str], msg_id: object) -> list[Json]:
        """The workspace report, honouring ``$/cancelRequest`` of ``msg_id``: every open document;
        of the files that are not open, those with findings in folders whose ``diagnosticMode`` is
        ``workspace``, and an empty report for a file the client still holds findings of (it just
        became clean, was closed in ``openFiles`` mode, or the mode changed). A clean file the
        client holds nothing for is left out: VS Code pulls the workspace every two seconds, and
        thousands of empty reports per pull are pure overhead."""
        session = self.session
        cancellations = session.client.cancellations
        encoding = session.client.features.encoding
        await session.indexer.wait_for_index(msg_id)
        lines_of = LinesCache(session.documents)
        reports = session.publisher.disk_reports
        items: list[Json] = []
        seen: set[str] = set()
        for doc in session.documents:
            session.ensure_current(doc)
            items.append(_item(doc.uri, doc.version, document_diagnostics(doc, encoding, lines_of),
                               previous.get(doc.uri)))
            seen.add(doc.uri)
        count = 0
        for folder in session.folders.workspace():
            whole_workspace = folder.settings.diagnostic_mode == "workspace"
            for path in folder.workspace_files():
                uri = self.uris.get(path)
                if uri is None:
                    uri = self.uris[path] = path_to_uri(path)
                if uri in seen:
                    continue
                seen.add(uri)
                diagnostics, rid = reports.report(folder, path, encoding, lines_of) if whole_workspace else ([], EMPTY)
                if diagnostics or previous.get(uri, EMPTY) != EMPTY:
                    items.append(_item(uri, None, diagnostics, previous.get(uri), rid))
                count += 1
                if count % YIELD_EVERY == 0:
                    cancellations.check(msg_id)
                    await asyncio.sleep(0)
        items += [_item(uri, None, [], rid) for uri, rid in previous.items() if uri not in seen and rid != EMPTY]
        cancellations.check(msg_id)
        return items


def _item(uri: str, version: int | None, diagnostics: list[Json], previous_id: str | None,
          rid: str | None = None) -> Json:
    """A report of one file; ``rid``: the result id of ``diagnostics`` when it is known."""
    rid = rid if rid is not None else result_id(diagnostics)
    if previous_id is not None and previous_id == rid:
        return {"kind": "unchanged", "uri": uri, "version": version, "resultId": rid}
    return {"kind": "full", "uri": uri, "version": version, "resultId": rid, "items": diagnostics}
