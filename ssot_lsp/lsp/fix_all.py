"""``ssot.fixAll``: verified fixes of the whole workspace through one ``workspace/applyEdit``.

Open documents are fixed from the server's copy of the buffer (unsaved edits included) and carry
their version; unopened files are fixed from disk. Right before the edit is sent every file is
checked again: anything that changed since its fix was computed is skipped, never overwritten.

``workspace/applyEdit`` changes the client's buffers at once, but the client tells us only later
(Neovim debounces didChange by 150 ms, and files it loads to apply the edit are attached, i.e.
opened, with their disk text first). Until then our text is the text the edit was computed from;
computing again from it (a second fixAll) would send the same edits again and corrupt the
buffers. ``EditsInFlight`` marks every file an applied fixAll edited until the client reports the
edited buffer (a didChange after the edit, a didOpen with other text, a close) or the file on
disk changes (saved); fixAll waits briefly for marks to clear and skips files still marked.

With unsafe fixes, a compatibility re-export left after the files' own fixes gets its cross-file
fix (``fixes/cross_file.py``), computed on the files as fixed so far and merged into the same edit:
the shim and every importer change together or (when it is withheld) not at all.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from lsprotocol import types

from ssot_lsp.core.violations import Violation
from ssot_lsp.fixes.unfixed import Unfixed
from ssot_lsp.lsp.client import Progress
from ssot_lsp.lsp.convert import path_to_uri, read_text, text_edits, workspace_edit
from ssot_lsp.lsp.documents import Document, LineIndex
from ssot_lsp.lsp.folder import Folder
from ssot_lsp.lsp.quick_fixes import fixes_api, minimal_edits

if TYPE_CHECKING:
    from ssot_lsp.lsp.session import Session

EDIT_SYNC_WAIT = 3.0  # seconds a fixAll waits for the client to report the previous fixAll's edits
SYNC_STEP = 0.02


def _key(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


@dataclass
class _Mark:
    path: str
    version: int | None  # the version the edit was made against (None: the file was not open)
    text: str  # the text the edit was computed from
    open: bool


class EditsInFlight:
    """Files an applied fixAll edited, until the client reports them back (see the module docstring)."""

    def __init__(self) -> None:
        self.marks: dict[str, _Mark] = {}

    def mark(self, path: str, version: int | None, text: str, is_open: bool) -> None:
        self.marks[_key(path)] = _Mark(path, version, text, is_open)

    def opened(self, path: str, text: str) -> None:
        mark = self.marks.get(_key(path))
        if mark is None:
            return
        if not mark.open and text == mark.text:
            mark.open, mark.version = True, None  # attached with the disk text: the edit follows
        else:
            self.marks.pop(_key(path), None)

    def changed(self, path: str, version: int | None) -> None:
        mark = self.marks.get(_key(path))
        if mark is None:
            return
        if mark.version is None or version is None or version > mark.version:
            self.marks.pop(_key(path), None)

    def closed(self, path: str) -> None:
        self.marks.pop(_key(path), None)

    def pending(self) -> set[str]:
        """Keys of files still in flight (a file saved or changed on disk since is no longer)."""
        for key, mark in list(self.marks.items()):
            if not mark.open and read_text(mark.path) != mark.text:
                self.marks.pop(key, None)
        return set(self.marks)

    def is_pending(self, keys: set[str], path: str) -> bool:
        return _key(path) in keys


@dataclass
class _FileFix:
    path: str
    uri: str
    doc: Document | None
    version: int | None
    text: str
    new_text: str
    sites: int


@dataclass
class Summary:
    fixed_sites: int = 0
    files: int = 0
    skipped: list[str] = field(default_factory=list)  # uris
    unfixable_sites: int = 0
    # every site of a fixable rule left in the files fixed, with its whole reason and (root, site)
    not_fixed: list[tuple[str, Unfixed]] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"fixedSites": self.fixed_sites, "files": self.files, "skippedFiles": self.skipped,
                "unfixableSites": self.unfixable_sites,
                "notFixed": [{**site.to_json(root), "uri": path_to_uri(site.path)}
                             for root, site in self.not_fixed]}


class WorkspaceFixAll:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.in_flight = EditsInFlight()
        self.reexports: list[tuple[Folder, str, Violation]] = []
        self.groups: list[set[str]] = []  # files of each cross-file fix in the edit being built

    async def run(self, unsafe: bool, msg_id: object) -> Summary:
        session = self.session
        summary = Summary()
        await session.indexer.wait_for_index(msg_id)
        progress = await session.client.begin_progress("ssot-fix", "SSOT: fixing workspace", cancellable=True)
        try:
            in_flight = await self._wait_for_edit_sync(msg_id, progress)
            if in_flight:
                session.client.log(f"fix all: {len(in_flight)} file(s) edited by the last fix all are not "
                                   "synchronised yet; skipped", "warning")
            targets = self._targets(in_flight, summary)
            fixes = await self._compute(targets, unsafe, summary, msg_id, progress)
            if unsafe:
                fixes = self._cross_file(fixes, summary)
            session.client.cancellations.check(msg_id, progress)
            await self._apply(self._all_or_nothing([fix for fix in fixes if self._unchanged(fix, summary)], summary),
                              summary)
            return summary
        finally:
            progress.end(f"{summary.fixed_sites} sites fixed in {summary.files} files")

    async def _wait_for_edit_sync(self, msg_id: object, progress: Progress) -> set[str]:
        """Wait (bounded) until the client reported every buffer a previous fixAll edited; returns
        the files still in flight (to be skipped)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + EDIT_SYNC_WAIT
        while True:
            pending = self.in_flight.pending()
            if not pending or loop.time() >= deadline:
                return pending
            self.session.client.cancellations.check(msg_id, progress)
            await asyncio.sleep(SYNC_STEP)

    def _targets(self, in_flight: set[str], summary: Summary) -> list[tuple[Folder, str, Document | None]]:
        session = self.session
        targets: list[tuple[Folder, str, Document | None]] = []
        for folder, path in session.workspace_files():
            if self.in_flight.is_pending(in_flight, path):
                summary.skipped.append(path_to_uri(path))
                continue
            if not folder.may_write(path):
                session.client.log(f"fix all: {path} resolves outside the workspace folder; not edited", "warning")
                summary.skipped.append(path_to_uri(path))
                continue
            doc = session.documents.by_path(path)
            if doc is not None:
                session.ensure_current(doc)
                if doc.analysis is not None and doc.analysis.violations:
                    targets.append((folder, path, doc))
            elif folder.disk_violations(path):
                targets.append((folder, path, None))
        return targets

    async def _compute(self, targets: list[tuple[Folder, str, Document | None]], unsafe: bool, summary: Summary,
                       msg_id: object, progress: Progress) -> list[_FileFix]:
        session = self.session
        api = fixes_api()
        fixes: list[_FileFix] = []
        self.reexports, self.groups = [], []
        for number, (folder, path, doc) in enumerate(targets):
            session.client.cancellations.check(msg_id, progress)
            progress.report(os.path.basename(path), int(100 * number / max(len(targets), 1)))
            await asyncio.sleep(0)
            if doc is not None and session.documents.get(doc.uri) is not doc:
                doc = session.documents.by_path(path)  # closed or reopened meanwhile
            # open documents: the server's current text (unsaved edits included), never the disk
            text = doc.text if doc is not None else read_text(path)
            if text is None or folder.config is None:
                summary.skipped.append(path_to_uri(path))
                continue
            try:
                result = api.fix_all(text, path, folder.index, folder.config, unsafe=unsafe)
            except ImportError:
                raise  # a broken installation: the request fails, it does not skip every file quietly
            except Exception as exc:  # noqa: BLE001 - one file must not stop the others
                session.client.log(f"fix_all failed for {path}: {exc}", "error")
                summary.skipped.append(path_to_uri(path))
                continue
            summary.unfixable_sites += len(result.unfixable)
            summary.not_fixed += [(str(folder.root), site) for site in result.unfixed()]
            self.reexports += [(folder, path, o.violation) for o in result.unfixable if o.cross_file]
            if result.new_text and result.new_text != text and result.applied:
                fixes.append(_FileFix(path, doc.uri if doc is not None else path_to_uri(path), doc,
                                      doc.version if doc is not None else None, text, result.new_text,
                                      len(result.applied)))
        return fixes

    def _cross_file(self, fixes: list[_FileFix], summary: Summary) -> list[_FileFix]:
        """Each re-export site's cross-file fix merged into the files' fixes (all its files or none)."""
        from ssot_lsp.fixes.cross_file import Withheld, cross_file_fix

        by_path = {_key(fix.path): fix for fix in fixes}
        self.groups = []
        for folder, path, violation in self.reexports:
            if folder.config is None:
                continue

            def read(other: str, folder: Folder = folder) -> str | None:
                if not folder.may_write(other):
                    raise Withheld(f"{other} resolves outside the workspace folder")
                known = by_path.get(_key(other))
                if known is not None:
                    return known.new_text
                doc = self.session.documents.by_path(other)
                return doc.text if doc is not None else read_text(other)

            text = read(path)
            if text is None:
                continue
            fix = cross_file_fix(path, text, violation, folder.index, folder.config, read, str(folder.root))
            site = (violation.path, violation.span.line, violation.span.col, violation.code)
            for number, (root, left) in enumerate(summary.not_fixed):
                if (left.path, left.line, left.col, left.code) == site:
                    if fix.reason is None:
                        summary.not_fixed.pop(number)
                    else:
                        summary.not_fixed[number] = (root, replace(left, reason=fix.reason))
                    break
            if fix.reason is not None:
                continue
            summary.unfixable_sites -= 1
            # the importers fixed on their own in this edit go with it (the shim loses the name)
            relied = fix.relies_on({f.path: f.text for f in by_path.values()}, folder.index.module_of_path)
            self.groups.append({_key(other) for other in [*fix.changed, *relied]})
            for other, change in fix.changed.items():
                known = by_path.get(_key(other))
                if known is not None:
                    known.new_text, known.sites = change.new_text, known.sites + change.sites
                    continue
                doc = self.session.documents.by_path(other)
                by_path[_key(other)] = _FileFix(other, doc.uri if doc is not None else path_to_uri(other), doc,
                                                doc.version if doc is not None else None, change.old_text,
                                                change.new_text, change.sites)
        return list(by_path.values())

    def _all_or_nothing(self, fixes: list[_FileFix], summary: Summary) -> list[_FileFix]:
        """The files of a cross-file fix go together: one that changed since drops the whole group."""
        kept = {_key(fix.path) for fix in fixes}
        dropped: set[str] = set()
        for group in self.groups:
            if not group <= kept:
                dropped |= group
        for fix in fixes:
            if _key(fix.path) in dropped:
                summary.skipped.append(fix.uri)
        return [fix for fix in fixes if _key(fix.path) not in dropped]

    def _unchanged(self, fix: _FileFix, summary: Summary) -> bool:
        """Re-verified just before the edit: the file is exactly what its fix was computed from."""
        doc = self.session.documents.by_path(fix.path)
        if fix.doc is not None:
            unchanged = doc is fix.doc and doc.version == fix.version and doc.text == fix.text
        else:
            unchanged = doc is None and read_text(fix.path) == fix.text
        if not unchanged:
            summary.skipped.append(fix.uri)
        return unchanged

    async def _apply(self, fixes: list[_FileFix], summary: Summary) -> None:
        if not fixes:
            return
        client = self.session.client
        encoding = client.features.encoding
        edits = {fix.uri: (fix.version, text_edits(LineIndex(fix.text), minimal_edits(fix.text, fix.new_text),
                                                   encoding)) for fix in fixes}
        applied, reason = await client.apply_edit(workspace_edit(edits, client.features.document_changes),
                                                  "SSOT: fix all")
        if not applied:
            client.show_once(f"SSOT: fix all was not applied: {reason}", types.MessageType.Warning)
            return
        for fix in fixes:
            self.in_flight.mark(fix.path, fix.version, fix.text, fix.doc is not None)
        summary.fixed_sites = sum(fix.sites for fix in fixes)
        summary.files = len(fixes)
