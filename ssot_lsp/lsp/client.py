"""The editor on the other end: what it can do, and everything the server sends it.

``ClientFeatures`` reads the client's capabilities once, at ``initialize``, into named booleans
(the rest of the server never walks ``ClientCapabilities``). ``Client`` is the only way the
session talks to the editor: logs and messages (each distinct problem shown once, never an error
dialog for an internal failure), diagnostics, progress, edits, configuration, registrations, and
cooperative cancellation of long requests.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcRequestCancelled
from pygls.lsp.server import LanguageServer

from ssot_lsp.lsp.documents import UTF8, UTF16, UTF32

logger = logging.getLogger("ssot_lsp")

LOG_RANK = {"error": 1, "warning": 2, "info": 3, "debug": 4}
MESSAGE_TYPE = {"error": types.MessageType.Error, "warning": types.MessageType.Warning,
                "info": types.MessageType.Info, "debug": types.MessageType.Log}
CONFIG_TIMEOUT = 5.0
REGISTRATION_TIMEOUT = 10.0


def _capability(root: object, path: str) -> Any:
    node = root
    for part in path.split("."):
        node = getattr(node, part, None) if node is not None else None
    return node


@dataclass(frozen=True)
class ClientFeatures:
    encoding: str = UTF16  # negotiated position encoding
    pull_diagnostics: bool = False  # textDocument/diagnostic: the client pulls, nothing is pushed for open files
    diagnostic_refresh: bool = False  # workspace/diagnostic/refresh can be sent
    resolve_edits: bool = False  # codeAction/resolve may fill in `edit`
    disabled_actions: bool = False  # CodeAction literals with `disabled` (shown greyed out, with the reason)
    document_changes: bool = False  # versioned edits in WorkspaceEdit.documentChanges
    work_done_progress: bool = False
    watch_files: bool = False  # dynamic registration of workspace/didChangeWatchedFiles
    configuration: bool = False  # workspace/configuration

    @classmethod
    def from_capabilities(cls, caps: types.ClientCapabilities | None, encoding: str) -> ClientFeatures:
        resolvable = _capability(caps, "text_document.code_action.resolve_support.properties") or []
        return cls(
            encoding=encoding if encoding in (UTF8, UTF16, UTF32) else UTF16,
            pull_diagnostics=_capability(caps, "text_document.diagnostic") is not None,
            diagnostic_refresh=bool(_capability(caps, "workspace.diagnostics.refresh_support")),
            resolve_edits="edit" in resolvable,
            disabled_actions=bool(_capability(caps, "text_document.code_action.disabled_support"))
            and _capability(caps, "text_document.code_action.code_action_literal_support") is not None,
            document_changes=bool(_capability(caps, "workspace.workspace_edit.document_changes")),
            work_done_progress=bool(_capability(caps, "window.work_done_progress")),
            watch_files=bool(_capability(caps, "workspace.did_change_watched_files.dynamic_registration")),
            configuration=bool(_capability(caps, "workspace.configuration")),
        )


class Cancellations:
    """``$/cancelRequest`` for long requests that cancel cooperatively: the protocol only sets a
    flag (``cancel``) that the request checks between steps (``check``), so the request itself
    answers ``RequestCancelled``.

    A cancel can arrive before the request's coroutine has started (over TCP both messages are
    read in one go): pygls then answers ``RequestCancelled`` but the coroutine still runs, and a
    fix-all would apply its edit after all. The protocol notes such ids (``cancelled_early``) and
    ``begin`` starts them cancelled; the note is kept for the last ``EARLY_KEPT`` ids only (most
    belong to requests that never call ``begin``)."""

    EARLY_KEPT = 64

    def __init__(self, ls: LanguageServer) -> None:
        self.ls = ls
        self.flags: dict[object, bool] = {}
        self.early: OrderedDict[object, None] = OrderedDict()

    def begin(self) -> object:
        msg_id = self.ls.protocol.msg_id
        if msg_id is not None:
            self.flags[msg_id] = msg_id in self.early
            self.early.pop(msg_id, None)
        return msg_id

    def cancelled_early(self, msg_id: object) -> None:
        """A cancel of a pending request that has not called ``begin`` (yet, or ever)."""
        self.early[msg_id] = None
        while len(self.early) > self.EARLY_KEPT:
            self.early.popitem(last=False)

    def end(self, msg_id: object) -> None:
        self.flags.pop(msg_id, None)

    def cancel(self, msg_id: object) -> bool:
        """Called by the protocol; False when ``msg_id`` is not cancelled cooperatively."""
        if msg_id not in self.flags:
            return False
        self.flags[msg_id] = True
        return True

    def check(self, msg_id: object, progress: Progress | None = None) -> None:
        if msg_id is not None and self.flags.get(msg_id):
            raise JsonRpcRequestCancelled(f"request {msg_id} cancelled")
        if progress is not None and progress.cancelled():
            raise JsonRpcRequestCancelled("cancelled from the progress notification")


class Progress:
    """One work-done progress (``$/progress``); a no-op when the client cannot show progress."""

    def __init__(self, client: Client, token: str | None) -> None:
        self.client = client
        self.token = token

    def report(self, message: str, percentage: int) -> None:
        if self.token is None:
            return
        try:
            self.client.ls.work_done_progress.report(self.token, types.WorkDoneProgressReport(
                message=message, percentage=percentage))
        except Exception as exc:  # noqa: BLE001 - progress is cosmetic
            logger.debug("progress report failed: %s", exc)

    def cancelled(self) -> bool:
        if self.token is None:
            return False
        future = self.client.ls.work_done_progress.tokens.get(self.token)
        return future is not None and future.cancelled()

    def end(self, message: str) -> None:
        """End it and forget its token: pygls (2.1) keeps every token it ever began in
        ``work_done_progress.tokens`` (one entry per indexing run or fix-all)."""
        token, self.token = self.token, None
        if token is None:
            return
        progress = self.client.ls.work_done_progress
        try:
            progress.end(token, types.WorkDoneProgressEnd(message=message))
        except Exception as exc:  # noqa: BLE001 - the client may be gone; nothing to report to
            logger.debug("ending progress %s failed: %s", token, exc)
        progress.tokens.pop(token, None)


class Client:
    def __init__(self, ls: LanguageServer) -> None:
        self.ls = ls
        self.features = ClientFeatures()
        self.log_level = "info"
        self.shown: set[str] = set()
        self.cancellations = Cancellations(ls)

    # -- messages --------------------------------------------------------------------------------
    def log(self, message: str, level: str = "info") -> None:
        if LOG_RANK.get(level, 3) > LOG_RANK.get(self.log_level, 3):
            return
        try:
            self.ls.window_log_message(types.LogMessageParams(type=MESSAGE_TYPE[level], message=message))
        except Exception:  # noqa: BLE001 - the client may be gone
            logger.debug("cannot log %s", message)
        logger.log(logging.ERROR if level == "error" else logging.INFO, message)

    def show_once(self, message: str, kind: types.MessageType = types.MessageType.Warning) -> None:
        """One ``window/showMessage`` per distinct problem (no dialog storms)."""
        if message in self.shown:
            return
        self.shown.add(message)
        self.show(message, kind)

    def show(self, message: str, kind: types.MessageType = types.MessageType.Warning) -> None:
        """``window/showMessage`` (and the log); the caller decides how often."""
        try:
            self.ls.window_show_message(types.ShowMessageParams(type=kind, message=message))
        except Exception:  # noqa: BLE001
            logger.debug("cannot show %s", message)
        self.log(message, "warning")

    # -- diagnostics -----------------------------------------------------------------------------
    def publish(self, uri: str, version: int | None, diagnostics: list[dict[str, Any]]) -> None:
        """``textDocument/publishDiagnostics`` of diagnostics already in their JSON form: building
        and unstructuring attrs objects per keystroke costs more than the analysis of a big file."""
        params: dict[str, Any] = {"uri": uri, "diagnostics": diagnostics}
        if version is not None:
            params["version"] = version
        self.ls.protocol._send_data({"jsonrpc": "2.0", "method": types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS,
                                     "params": params})

    def publish_serialised(self, body: str) -> None:
        """A notification already serialised to JSON (``wire.publish_body``), framed as pygls frames
        what it sends (``JsonRPCProtocol._send_data``, whose ``json.dumps`` this skips)."""
        protocol = self.ls.protocol
        writer = protocol.writer
        if writer is None:
            logger.error("cannot publish diagnostics: no transport")
            return
        data = body.encode(protocol.CHARSET)
        if protocol._include_headers:
            header = (f"Content-Length: {len(data)}\r\n"
                      f"Content-Type: {protocol.CONTENT_TYPE}; charset={protocol.CHARSET}\r\n\r\n")
            data = header.encode(protocol.CHARSET) + data
        result = writer.write(data)
        if inspect.isawaitable(result):
            asyncio.ensure_future(result)

    def refresh_diagnostics(self) -> None:
        """Ask a pull client to pull again (``workspace/diagnostic/refresh``), when it can be asked."""
        if not (self.features.pull_diagnostics and self.features.diagnostic_refresh):
            return
        try:
            self.ls.workspace_diagnostic_refresh(None)
        except Exception as exc:  # noqa: BLE001
            self.log(f"diagnostic refresh failed: {exc}", "warning")

    # -- progress, edits, configuration, registrations --------------------------------------------
    async def begin_progress(self, prefix: str, title: str, message: str | None = None,
                             cancellable: bool = False) -> Progress:
        if not self.features.work_done_progress:
            return Progress(self, None)
        token = f"{prefix}-{uuid.uuid4().hex[:12]}"
        try:
            await asyncio.wait_for(self.ls.work_done_progress.create_async(token), 5)
            self.ls.work_done_progress.begin(token, types.WorkDoneProgressBegin(
                title=title, message=message, percentage=0, cancellable=cancellable))
        except Exception as exc:  # noqa: BLE001 - progress is cosmetic
            logger.debug("progress %s not shown: %s", title, exc)
            return Progress(self, None)
        return Progress(self, token)

    async def apply_edit(self, edit: types.WorkspaceEdit, label: str) -> tuple[bool, str | None]:
        """(applied, failure reason)."""
        response = await self.ls.workspace_apply_edit_async(types.ApplyWorkspaceEditParams(edit=edit, label=label))
        applied = bool(getattr(response, "applied", False))
        return applied, None if applied else (getattr(response, "failure_reason", None)
                                              or "the client did not apply the edit")

    async def configuration(self, items: list[types.ConfigurationItem]) -> list[Any] | None:
        """The client's answers to ``workspace/configuration`` (None when it cannot answer)."""
        if not self.features.configuration:
            return None
        try:
            values = await asyncio.wait_for(
                self.ls.workspace_configuration_async(types.ConfigurationParams(items=items)), CONFIG_TIMEOUT)
        except Exception as exc:  # noqa: BLE001
            self.log(f"workspace/configuration failed: {exc}", "warning")
            return None
        answers = list(values or [])
        return answers + [None] * (len(items) - len(answers))

    async def watch_files(self, globs: list[str]) -> bool:
        """Register file watchers; False when the client cannot (then the server polls)."""
        if not self.features.watch_files:
            return False
        watchers = [types.FileSystemWatcher(glob_pattern=glob) for glob in globs]
        registration = types.Registration(
            id=f"ssot-watch-{uuid.uuid4().hex[:8]}", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))
        try:
            await asyncio.wait_for(self.ls.client_register_capability_async(
                types.RegistrationParams(registrations=[registration])), REGISTRATION_TIMEOUT)
        except Exception as exc:  # noqa: BLE001
            self.log(f"file watcher registration failed ({exc}); polling instead", "warning")
            return False
        return True
