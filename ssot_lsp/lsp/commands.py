"""``workspace/executeCommand``: ssot.listViolations, ssot.fixAll, ssot.reindex."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Union

from lsprotocol import types

from ssot_lsp.core.violations import Violation
from ssot_lsp.lsp import diagnostics as diag
from ssot_lsp.lsp.actions import edits_between, fixes_api
from ssot_lsp.lsp.convert import path_to_uri, range_dict, read_text, to_range
from ssot_lsp.lsp.documents import Document, LineIndex
from ssot_lsp.lsp.indexing import start_indexing
from ssot_lsp.lsp.state import FolderState

if TYPE_CHECKING:
    from ssot_lsp.lsp.language_server import SsotLanguageServer

LIST, FIX_ALL, REINDEX = "ssot.listViolations", "ssot.fixAll", "ssot.reindex"

Target = tuple[FolderState, str, "Document | None"]  # a file fix-all edits: its folder, path, open document
Entry = dict[str, Any]  # a fixed file: path, uri, doc, version, text, new_text, sites
ProgressToken = Union[int, str]


def _arg(args: Sequence[Any], key: str, default: Any = None) -> Any:
    if args and isinstance(args[0], dict):
        return args[0].get(key, default)
    return default


def _selected(server: SsotLanguageServer, scope_uri: str | None) -> Iterator[tuple[FolderState, str]]:
    """(state, path) of every workspace file within the scope, open documents included."""
    scope = server.path_of(scope_uri) if scope_uri else None
    seen: set[str] = set()
    for state in list(server.folders.values()) + list(server.loose.values()):
        paths = list(state.workspace_files())
        paths += [doc.path for doc in server.documents if server.state_for(doc.path) is state]
        for path in paths:
            if path in seen:
                continue
            if scope and not (path == scope or path.startswith(scope.rstrip("/\\") + "/")):
                continue
            seen.add(path)
            yield state, path


def _violations(server: SsotLanguageServer, state: FolderState,
                path: str) -> tuple[list[Violation], LineIndex | None]:
    doc = server.documents.by_path(path)
    if doc is not None:
        diag.ensure_current(server, doc)
        return diag.visible_violations(server, doc), doc.lines
    violations = state.disk_violations(path)
    if not violations:
        return [], None
    text = read_text(path)
    if text is None:
        return [], None
    lines = LineIndex(text)
    return state.visible(path, violations, lines), lines


async def list_violations(server: SsotLanguageServer, args: Sequence[Any]) -> list[dict[str, Any]]:
    msg_id = server.begin_cancellable()
    try:
        await diag.wait_for_index(server, msg_id)
        out = []
        for count, (state, path) in enumerate(_selected(server, _arg(args, "uri"))):
            if count % 50 == 49:
                server.check_cancelled(msg_id)
                await asyncio.sleep(0)
            violations, lines = _violations(server, state, path)
            if lines is None:
                continue
            uri = path_to_uri(path)
            for v in violations:
                out.append({"uri": uri, "path": path, "range": range_dict(to_range(lines, v.span, server.encoding)),
                            "code": v.code, "rule": v.rule, "message": v.message, "group": v.group,
                            "severity": v.severity})
        server.check_cancelled(msg_id)
        return out
    finally:
        server.end_cancellable(msg_id)


async def reindex(server: SsotLanguageServer, args: Sequence[Any]) -> dict[str, int]:
    msg_id = server.begin_cancellable()
    try:
        tasks = [start_indexing(server, state) for state in server.folders.values()]
        for task in tasks:
            if task is None:
                continue
            while not task.done():
                server.check_cancelled(msg_id)
                await asyncio.wait([task], timeout=0.05)
        return {"files": sum(len(s.disk_facts) for s in server.folders.values())}
    finally:
        server.end_cancellable(msg_id)


# -- fix all: edits in flight ---------------------------------------------------------------------
#
# ``workspace/applyEdit`` changes the client's buffers at once, but the client tells us only later
# (Neovim debounces didChange by 150 ms, and files it loads to apply the edit are attached, i.e.
# opened, with their disk text first). Until then our text is the text the edit was computed from;
# computing again from it (a second fixAll) would send the same edits again and corrupt the
# buffers. So every file an applied fixAll edited is marked until the client reports the edited
# buffer (a didChange after the edit, a didOpen with other text, a close) or the file on disk
# changes (saved); fixAll waits briefly for marks to clear and skips files still marked.

EDIT_SYNC_WAIT = 3.0


def _key(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def _mark_edited(server: SsotLanguageServer, entries: list[Entry]) -> None:
    for entry in entries:
        server.edits_in_flight[_key(entry["path"])] = {"path": entry["path"], "version": entry["version"],
                                                       "text": entry["text"], "open": entry["doc"] is not None}


def note_opened(server: SsotLanguageServer, path: str, text: str) -> None:
    mark = server.edits_in_flight.get(_key(path))
    if mark is None:
        return
    if not mark["open"] and text == mark["text"]:
        mark.update(open=True, version=None)  # attached with the disk text: the edit follows
    else:
        server.edits_in_flight.pop(_key(path), None)


def note_changed(server: SsotLanguageServer, path: str, version: int | None) -> None:
    mark = server.edits_in_flight.get(_key(path))
    if mark is None:
        return
    if mark["version"] is None or version is None or version > mark["version"]:
        server.edits_in_flight.pop(_key(path), None)


def note_closed(server: SsotLanguageServer, path: str) -> None:
    server.edits_in_flight.pop(_key(path), None)


def _still_in_flight(server: SsotLanguageServer, key: str) -> bool:
    mark = server.edits_in_flight.get(key)
    if mark is None:
        return False
    if not mark["open"] and read_text(mark["path"]) != mark["text"]:
        server.edits_in_flight.pop(key, None)  # saved (or changed) on disk since
        return False
    return True


async def wait_for_edit_sync(server: SsotLanguageServer, msg_id: object, token: ProgressToken | None = None,
                             timeout: float = EDIT_SYNC_WAIT) -> set[str]:
    """Wait (bounded) until the client reported every buffer a previous fixAll edited; returns the
    keys of files still in flight (to be skipped)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        pending = {key for key in list(server.edits_in_flight) if _still_in_flight(server, key)}
        if not pending or asyncio.get_running_loop().time() >= deadline:
            return pending
        server.check_cancelled(msg_id, token)
        await asyncio.sleep(0.02)


async def fix_all(server: SsotLanguageServer, args: Sequence[Any],
                  work_done_token: ProgressToken | None = None) -> dict[str, Any]:
    msg_id = server.begin_cancellable()
    summary: dict[str, Any] = {"fixedSites": 0, "files": 0, "skippedFiles": [], "unfixableSites": 0}
    token = work_done_token
    try:
        unsafe = bool(_arg(args, "unsafe", False))
        await diag.wait_for_index(server, msg_id)
        token = await _begin_fix_progress(server, token)
        in_flight = await wait_for_edit_sync(server, msg_id, token)
        if in_flight:
            server.log(f"fix all: {len(in_flight)} file(s) edited by the last fix all are not synchronised "
                       "yet; skipped", "warning")
        targets = _fix_targets(server, in_flight, summary)
        entries = await _fixed_texts(server, targets, unsafe, summary, msg_id, token)
        server.check_cancelled(msg_id, token)
        current = _still_current(server, entries, summary)
        if current:
            await _apply_fixes(server, current, summary)
        return summary
    finally:
        server.end_progress(token, f"{summary['fixedSites']} sites fixed in {summary['files']} files")
        server.end_cancellable(msg_id)


async def _begin_fix_progress(server: SsotLanguageServer, token: ProgressToken | None) -> ProgressToken | None:
    if token is None and server.cap("window.work_done_progress", False):
        token = f"ssot-fix-{uuid.uuid4().hex[:12]}"
        try:
            await asyncio.wait_for(server.work_done_progress.create_async(token), 5)
        except Exception:  # noqa: BLE001
            token = None
    if token is not None:
        server.work_done_progress.begin(token, types.WorkDoneProgressBegin(
            title="SSOT: fixing workspace", percentage=0, cancellable=True))
    return token


def _fix_targets(server: SsotLanguageServer, in_flight: set[str], summary: dict[str, Any]) -> list[Target]:
    """(folder state, path, open document or None) of every file with findings that may be edited."""
    targets: list[Target] = []
    for state, path in _selected(server, None):
        if _key(path) in in_flight:
            summary["skippedFiles"].append(path_to_uri(path))
            continue
        if not state.may_write(path):
            server.log(f"fix all: {path} resolves outside the workspace folder; not edited", "warning")
            summary["skippedFiles"].append(path_to_uri(path))
            continue
        doc = server.documents.by_path(path)
        if doc is not None:
            diag.ensure_current(server, doc)
            if doc.violations:
                targets.append((state, path, doc))
        elif state.disk_violations(path):
            targets.append((state, path, None))
    return targets


async def _fixed_texts(server: SsotLanguageServer, targets: list[Target], unsafe: bool, summary: dict[str, Any],
                       msg_id: object, token: ProgressToken | None) -> list[Entry]:
    """Fix-all of each target's text (an open document's current text, never the disk's)."""
    entries: list[Entry] = []
    for number, (state, path, doc) in enumerate(targets):
        server.check_cancelled(msg_id, token)
        if token is not None:
            server.work_done_progress.report(token, types.WorkDoneProgressReport(
                message=path.rsplit("/", 1)[-1], percentage=int(100 * number / max(len(targets), 1))))
        await asyncio.sleep(0)
        if doc is not None and server.document(doc.uri) is not doc:
            doc = server.documents.by_path(path)
        text = doc.text if doc is not None else read_text(path)
        if text is None:
            summary["skippedFiles"].append(path_to_uri(path))
            continue
        try:
            result = fixes_api().fix_all(text, path, state.index, state.config, unsafe=unsafe)
        except Exception as exc:  # noqa: BLE001
            server.log(f"fix_all failed for {path}: {exc}", "error")
            summary["skippedFiles"].append(path_to_uri(path))
            continue
        summary["unfixableSites"] += len(result.unfixable)
        if not result.new_text or result.new_text == text or not result.applied:
            continue
        entries.append({"path": path, "uri": doc.uri if doc is not None else path_to_uri(path), "doc": doc,
                        "version": doc.version if doc is not None else None, "text": text,
                        "new_text": result.new_text, "sites": len(result.applied)})
    return entries


def _still_current(server: SsotLanguageServer, entries: list[Entry], summary: dict[str, Any]) -> list[Entry]:
    """Re-verify just before the edit: skip anything that changed since it was analysed."""
    current = []
    for entry in entries:
        doc = server.documents.by_path(entry["path"])
        if entry["doc"] is not None:
            unchanged = doc is entry["doc"] and doc.version == entry["version"] and doc.text == entry["text"]
        else:
            unchanged = doc is None and read_text(entry["path"]) == entry["text"]
        if unchanged:
            current.append(entry)
        else:
            summary["skippedFiles"].append(entry["uri"])
    return current


async def _apply_fixes(server: SsotLanguageServer, current: list[Entry], summary: dict[str, Any]) -> None:
    """One workspace edit for every fixed file (versioned when the client supports it)."""
    versioned = server.cap("workspace.workspace_edit.document_changes", False)
    document_changes: list[types.TextDocumentEdit | types.CreateFile | types.RenameFile | types.DeleteFile] = []
    plain: dict[str, list[types.TextEdit]] = {}
    for entry in current:
        edits = edits_between(entry["text"], entry["new_text"], LineIndex(entry["text"]), server.encoding)
        if versioned:
            document_changes.append(types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=entry["uri"],
                                                                            version=entry["version"]),
                edits=edits))
        else:
            plain[entry["uri"]] = edits
    edit = (types.WorkspaceEdit(document_changes=document_changes) if versioned
            else types.WorkspaceEdit(changes=plain))
    response = await server.workspace_apply_edit_async(
        types.ApplyWorkspaceEditParams(edit=edit, label="SSOT: fix all"))
    if getattr(response, "applied", False):
        _mark_edited(server, current)
        summary["fixedSites"] = sum(entry["sites"] for entry in current)
        summary["files"] = len(current)
    else:
        reason = getattr(response, "failure_reason", None) or "the client did not apply the edit"
        server.show_once(f"SSOT: fix all was not applied: {reason}", types.MessageType.Warning)
