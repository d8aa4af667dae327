"""``workspace/executeCommand``: ssot.listViolations, ssot.fixAll, ssot.reindex."""

from __future__ import annotations

import asyncio
import uuid

from lsprotocol import types

from ssot_lsp.lsp import diagnostics as diag
from ssot_lsp.lsp.actions import edits_between, fixes_api
from ssot_lsp.lsp.convert import path_to_uri, range_dict, read_text, to_range
from ssot_lsp.lsp.documents import LineIndex
from ssot_lsp.lsp.indexing import start_indexing

LIST, FIX_ALL, REINDEX = "ssot.listViolations", "ssot.fixAll", "ssot.reindex"


def _arg(args, key: str, default=None):
    if args and isinstance(args[0], dict):
        return args[0].get(key, default)
    return default


async def wait_for_index(server, msg_id) -> None:
    for event in list(server.index_ready.values()):
        while not event.is_set():
            server.check_cancelled(msg_id)
            try:
                await asyncio.wait_for(event.wait(), 0.05)
            except asyncio.TimeoutError:
                pass


def _selected(server, scope_uri: str | None):
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


def _violations(server, state, path):
    doc = server.documents.by_path(path)
    if doc is not None:
        diag.ensure_current(server, doc)
        return doc.violations, doc.lines
    violations = state.disk_violations(path)
    if not violations:
        return [], None
    text = read_text(path)
    return violations, LineIndex(text) if text is not None else None


async def list_violations(server, args) -> list[dict]:
    msg_id = server.begin_cancellable()
    try:
        await wait_for_index(server, msg_id)
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


async def reindex(server, args) -> dict:
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


async def fix_all(server, args, work_done_token=None) -> dict:
    msg_id = server.begin_cancellable()
    summary = {"fixedSites": 0, "files": 0, "skippedFiles": [], "unfixableSites": 0}
    token = work_done_token
    try:
        api = fixes_api()
        if api is None:
            server.show_once("SSOT: fixes are not available in this version", types.MessageType.Warning)
            return summary
        unsafe = bool(_arg(args, "unsafe", False))
        await wait_for_index(server, msg_id)
        if token is None and server.cap("window.work_done_progress", False):
            token = f"ssot-fix-{uuid.uuid4().hex[:12]}"
            try:
                await asyncio.wait_for(server.work_done_progress.create_async(token), 5)
            except Exception:  # noqa: BLE001
                token = None
        if token is not None:
            server.work_done_progress.begin(token, types.WorkDoneProgressBegin(
                title="SSOT: fixing workspace", percentage=0, cancellable=True))
        targets = []
        for state, path in _selected(server, None):
            doc = server.documents.by_path(path)
            if doc is not None:
                diag.ensure_current(server, doc)
                if doc.violations:
                    targets.append((state, path, doc))
            elif state.disk_violations(path):
                targets.append((state, path, None))
        changes: list = []
        plain: dict[str, list] = {}
        versioned = server.cap("workspace.workspace_edit.document_changes", False)
        for number, (state, path, doc) in enumerate(targets):
            server.check_cancelled(msg_id, token)
            if token is not None:
                server.work_done_progress.report(token, types.WorkDoneProgressReport(
                    message=path.rsplit("/", 1)[-1], percentage=int(100 * number / max(len(targets), 1))))
            await asyncio.sleep(0)
            text = doc.text if doc is not None else read_text(path)
            if text is None:
                summary["skippedFiles"].append(path_to_uri(path))
                continue
            try:
                result = api.fix_all(text, path, state.index, state.config, unsafe=unsafe)
            except Exception as exc:  # noqa: BLE001
                server.log(f"fix_all failed for {path}: {exc}", "error")
                summary["skippedFiles"].append(path_to_uri(path))
                continue
            summary["unfixableSites"] += len(result.unfixable)
            if not result.new_text or result.new_text == text or not result.applied:
                continue
            uri = path_to_uri(path)
            if doc is None:
                # re-read and re-verify just before the edit: skip files changed since analysis
                if read_text(path) != text:
                    summary["skippedFiles"].append(uri)
                    continue
                version = None
            else:
                if doc.text != text:
                    summary["skippedFiles"].append(uri)
                    continue
                version = doc.version
            edits = edits_between(text, result.new_text, LineIndex(text), server.encoding)
            if versioned:
                changes.append(types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                    edits=edits))
            else:
                plain[uri] = edits
            summary["fixedSites"] += len(result.applied)
            summary["files"] += 1
        server.check_cancelled(msg_id, token)
        if changes or plain:
            edit = types.WorkspaceEdit(document_changes=changes) if versioned else types.WorkspaceEdit(changes=plain)
            response = await server.workspace_apply_edit_async(
                types.ApplyWorkspaceEditParams(edit=edit, label="SSOT: fix all"))
            if not getattr(response, "applied", False):
                reason = getattr(response, "failure_reason", None) or "the client did not apply the edit"
                server.show_once(f"SSOT: fix all was not applied: {reason}", types.MessageType.Warning)
                summary.update(fixedSites=0, files=0)
        return summary
    finally:
        if token is not None:
            try:
                server.work_done_progress.end(token, types.WorkDoneProgressEnd(
                    message=f"{summary['fixedSites']} sites fixed in {summary['files']} files"))
            except Exception:  # noqa: BLE001
                pass
        server.end_cancellable(msg_id)
