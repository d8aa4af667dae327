"""The language server object: all server state lives here (no module globals)."""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import os
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, Union

from lsprotocol import types
from pygls.exceptions import JsonRpcRequestCancelled
from pygls.lsp.server import LanguageServer

from ssot_lsp import __version__
from ssot_lsp.config.loader import project_root_for
from ssot_lsp.lsp.convert import path_to_uri, uri_to_path
from ssot_lsp.lsp.documents import UTF8, UTF16, UTF32, Document, DocumentStore
from ssot_lsp.lsp.protocol import SsotProtocol
from ssot_lsp.lsp.settings import DEFAULTS, Settings
from ssot_lsp.lsp.state import FolderState

logger = logging.getLogger("ssot_lsp")

LOG_RANK = {"error": 1, "warning": 2, "info": 3, "debug": 4}
ProgressToken = Union[int, str]
Handler = Callable[..., Any]  # an LSP handler (server, params...) -> result, sync or async
MESSAGE_TYPE = {"error": types.MessageType.Error, "warning": types.MessageType.Warning,
                "info": types.MessageType.Info, "debug": types.MessageType.Log}


class SsotLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("ssot-lsp", __version__, protocol_cls=SsotProtocol,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.documents = DocumentStore()
        self.folders: dict[str, FolderState] = {}  # folder uri -> state
        self.loose: dict[str, FolderState] = {}  # project root -> state for files outside every folder
        self.settings: Settings = DEFAULTS
        self.init_options = None
        self.pending: dict[str, asyncio.Task] = {}  # uri -> debounced analysis
        self.cancellable: dict = {}  # request id -> cancelled?
        self.shown_messages: set[str] = set()
        self.index_tasks: dict[str, asyncio.Task] = {}
        self.index_ready: dict[str, asyncio.Event] = {}
        self.published: dict[str, str] = {}  # uri -> result id of what was last pushed (workspace mode)
        self.pull_result_ids: dict[str, str] = {}
        self.edits_in_flight: dict[str, dict] = {}  # files an applied fixAll edited, until the client syncs
        self.poll_task: asyncio.Task | None = None
        self.timings_path = os.environ.get("SSOT_LSP_TIMINGS") or None
        self.received_at: dict[tuple[str, int | None], float] = {}
        self.shutting_down = False
        self.negotiated_encoding = UTF16

    # -- capabilities ----------------------------------------------------------------------------
    @property
    def encoding(self) -> str:
        value = self.negotiated_encoding
        return value if value in (UTF8, UTF16, UTF32) else UTF16

    def cap(self, path: str, default: Any = None) -> Any:
        """A client capability by dotted path (``text_document.diagnostic``), ``default`` when absent."""
        node: Any = self.client_capabilities
        for part in path.split("."):
            node = getattr(node, part, None) if node is not None else None
        return default if node is None else node

    @property
    def pull_mode(self) -> bool:
        return self.cap("text_document.diagnostic") is not None

    # -- folders -------------------------------------------------------------------------------
    def folder_for_path(self, path: str) -> FolderState | None:
        best = None
        for state in self.folders.values():
            if state.contains(path) and (best is None or len(state.root.parts) > len(best.root.parts)):
                best = state
        return best

    def state_for(self, path: str) -> FolderState:
        state = self.folder_for_path(path)
        if state is not None:
            return state
        root = project_root_for(Path(path))
        key = str(root)
        state = self.loose.get(key)
        if state is None:
            state = FolderState(uri=path_to_uri(key), root=root, settings=self.settings, scannable=False)
            message = state.load_config()
            for text in (message, state.baseline_message):
                if text:
                    self.show_once(text, types.MessageType.Warning)
            state.indexed = True
            self.loose[key] = state
        return state

    def all_states(self) -> list[FolderState]:
        return [*self.folders.values(), *self.loose.values()]

    def document(self, uri: str) -> Document | None:
        return self.documents.get(uri)

    def path_of(self, uri: str) -> str | None:
        return uri_to_path(uri)

    # -- messages ------------------------------------------------------------------------------
    def log(self, message: str, level: str = "info") -> None:
        if LOG_RANK.get(level, 3) > LOG_RANK.get(self.settings.log_level, 3):
            return
        try:
            self.window_log_message(types.LogMessageParams(type=MESSAGE_TYPE[level], message=message))
        except Exception:  # noqa: BLE001 - the client may be gone
            logger.debug("cannot log %s", message)
        logger.log(logging.ERROR if level == "error" else logging.INFO, message)

    def show_once(self, message: str, kind: types.MessageType = types.MessageType.Warning) -> None:
        """One ``window/showMessage`` per distinct problem (no dialog storms)."""
        if message in self.shown_messages:
            return
        self.shown_messages.add(message)
        try:
            self.window_show_message(types.ShowMessageParams(type=kind, message=message))
        except Exception:  # noqa: BLE001
            logger.debug("cannot show %s", message)
        self.log(message, "warning")

    def report_server_error(self, error: Exception, source: Any) -> None:  # never pop an error dialog
        self.log(f"internal error: {error}", "error")

    # -- progress ------------------------------------------------------------------------------
    def end_progress(self, token: ProgressToken | None, message: str) -> None:
        """End a work-done progress and forget its token: pygls (2.1) keeps every token it ever
        began in ``work_done_progress.tokens`` (one entry per indexing run or fix-all)."""
        if token is None:
            return
        try:
            self.work_done_progress.end(token, types.WorkDoneProgressEnd(message=message))
        except Exception as exc:  # noqa: BLE001 - the client may be gone; nothing to report to
            logger.debug("ending progress %s failed: %s", token, exc)
        self.work_done_progress.tokens.pop(token, None)

    # -- timings (benchmarks) ------------------------------------------------------------------
    def note_received(self, uri: str, version: int | None) -> None:
        if self.timings_path:
            self.received_at[(uri, version)] = time.perf_counter()

    def note_published(self, uri: str, version: int | None) -> None:
        if not self.timings_path:
            return
        received = self.received_at.pop((uri, version), None)
        if received is None:
            return
        with open(self.timings_path, "a", encoding="utf-8") as handle:
            handle.write(f"{uri} {version} {received:.6f} {time.perf_counter():.6f}\n")

    # -- cancellation --------------------------------------------------------------------------
    def begin_cancellable(self) -> Any:
        msg_id = self.protocol.msg_id
        if msg_id is not None:
            self.cancellable[msg_id] = False
        return msg_id

    def end_cancellable(self, msg_id: Any) -> None:
        self.cancellable.pop(msg_id, None)

    def check_cancelled(self, msg_id: Any, token: ProgressToken | None = None) -> None:
        if msg_id is not None and self.cancellable.get(msg_id):
            raise JsonRpcRequestCancelled(f"request {msg_id} cancelled")
        if token is not None:
            future = self.work_done_progress.tokens.get(token)
            if future is not None and future.cancelled():
                raise JsonRpcRequestCancelled("cancelled from the progress notification")


def safe(default: Any = None, *, name: str | None = None) -> Callable[[Handler], Handler]:
    """Wrap a handler: failures are logged through ``window/logMessage`` and answered with ``default``."""

    def wrap(fn: Handler) -> Handler:
        label = name or fn.__name__

        if inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def run_async(server: SsotLanguageServer, *args: Any, **kwargs: Any) -> Any:
                try:
                    return await fn(server, *args, **kwargs)
                except (JsonRpcRequestCancelled, asyncio.CancelledError):
                    raise
                except Exception as exc:  # noqa: BLE001
                    _report(server, label, exc)
                    return default() if callable(default) else default

            return run_async

        @functools.wraps(fn)
        def run(server: SsotLanguageServer, *args: Any, **kwargs: Any) -> Any:
            try:
                return fn(server, *args, **kwargs)
            except JsonRpcRequestCancelled:
                raise
            except Exception as exc:  # noqa: BLE001
                _report(server, label, exc)
                return default() if callable(default) else default

        return run

    return wrap


def _report(server: SsotLanguageServer, label: str, exc: Exception) -> None:
    detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=6))
    try:
        server.log(f"{label} failed: {exc}\n{detail}", "error")
    except Exception:  # noqa: BLE001
        pass
