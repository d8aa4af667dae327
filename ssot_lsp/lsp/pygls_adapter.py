"""Where the server bends pygls: protocol tweaks, and the server object that holds the session.

- Document sync goes to our own text store only: pygls' ``TextDocument`` mis-applies incremental
  edits after form feeds / ``\\u2028`` (it splits with ``str.splitlines``), and a failure there
  would keep our handler from running at all.
- A request whose params do not match the protocol still gets an answer: pygls logs and drops
  it, which leaves the client waiting forever; here it is answered with the JSON-RPC error.
- ``$/cancelRequest`` for long requests that cancel cooperatively (``client.Cancellations``) only
  sets a flag the request checks, so it can answer ``RequestCancelled`` itself; a cancel that
  arrives before the request's coroutine started is remembered for it. A cancelled request
  is answered with that error and logged at debug level only: the client asked for it, nothing
  failed (pygls logs it as an exception and reports it as a server error).
- Every incoming request and notification is shown to the tracer (``tracing.py``) before it is
  dispatched: the handlers themselves never call instrumentation.
- A handler's future leaves ``_request_futures`` when it completes. pygls (2.1) registers there
  the future of every notification run by a generator (didOpen/didChange/didClose above and its
  own built-ins), an ``async`` or threaded handler, and of every step of a generator, under a
  fresh uuid, and removes entries only when it answers a request (or on ``$/cancelRequest``):
  one ``concurrent.futures.Future`` (with its Condition, lock and callbacks) leaked per
  keystroke, about 2.7 kB of resident memory each, the whole RSS growth of the load benchmark.
  ``shutdown`` therefore cancels the pending ones over a copy of the dictionary.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator
from concurrent.futures import Future
from functools import partial
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcRequestCancelled
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from ssot_lsp import __version__

if TYPE_CHECKING:
    from ssot_lsp.lsp.session import Session

logger = logging.getLogger(__name__)


class SsotLanguageServer(LanguageServer):
    """pygls' server object; all state lives in ``session`` (set by ``handlers.create_server``)."""

    session: Session

    def __init__(self) -> None:
        super().__init__("ssot-lsp", __version__, protocol_cls=SsotProtocol,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)

    def report_server_error(self, error: Exception, source: Any) -> None:
        """pygls calls this for failures outside our handlers: log it, never pop an error dialog."""
        session = getattr(self, "session", None)
        if session is not None:
            session.client.log(f"internal error: {error}", "error")


class SsotProtocol(LanguageServerProtocol):
    _server: SsotLanguageServer

    def _execute_handler(self, msg_id: Any, handler: Callable[..., Any], callback: Callable[..., Any],
                         args: Any = None, kwargs: Any = None) -> None:
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        future = self._request_futures.get(msg_id)
        if future is not None:
            # runs at once when the handler already finished (sync generators: every notification)
            future.add_done_callback(partial(self._forget_future, msg_id))

    def _forget_future(self, msg_id: Any, future: Future[Any]) -> None:
        # a request's entry is popped by pygls before it answers; only drop our own future
        if self._request_futures.get(msg_id) is future:
            self._request_futures.pop(msg_id, None)

    def _send_handler_result(self, future: Future[Any], *, msg_id: Any) -> None:
        error = None if future.cancelled() else future.exception()
        if isinstance(error, JsonRpcRequestCancelled):
            self._request_futures.pop(msg_id, None)
            logger.debug("request %s cancelled", msg_id)
            self._send_response(msg_id, error=error.to_response_error())
            return
        super()._send_handler_result(future, msg_id=msg_id)

    def _handle_notification(self, method_name: str, params: Any) -> None:
        self._trace(method_name, params)
        super()._handle_notification(method_name, params)

    def _handle_request(self, msg_id: Any, method_name: str, params: Any) -> None:
        self._trace(method_name, params)
        super()._handle_request(msg_id, method_name, params)

    def _trace(self, method_name: str, params: Any) -> None:
        session = getattr(self._server, "session", None)
        if session is not None:
            session.tracer.message_received(method_name, params)

    def structure_message(self, data: Any) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            msg_id = data.get("id") if isinstance(data, dict) else None
            if msg_id is not None and isinstance(data.get("method"), str):
                # answer the request instead of leaving the client waiting, then drop it
                self._send_response(msg_id, error=exc.to_response_error())
                return _Answered()
            raise

    @lsp_method(types.SHUTDOWN)
    def lsp_shutdown(self, *args: Any) -> Generator[Any, Any, None]:
        """pygls' own, cancelling the pending handlers over a copy of ``_request_futures``: cancelling
        a ``concurrent.futures.Future`` runs its callbacks at once, ours (``_forget_future``) removes
        its entry, and pygls' loop over the dictionary itself failed ("dictionary changed size during
        iteration": shutdown answered with an internal error) when a handler was still running."""
        if (handler := self.fm.features.get(types.SHUTDOWN)) is not None:
            yield handler, args, None
        current = self.msg_id
        for msg_id, future in list(self._request_futures.items()):
            if msg_id != current and not future.done():
                future.cancel()
        self._shutdown = True

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None

    def _handle_cancel_notification(self, msg_id: Any) -> None:
        session = getattr(self._server, "session", None)
        if session is not None:
            if session.client.cancellations.cancel(msg_id):
                return
            if msg_id in self._request_futures:
                session.client.cancellations.cancelled_early(msg_id)
        try:
            super()._handle_cancel_notification(msg_id)
        except Exception:
            logger.debug("cancel of %s failed", msg_id, exc_info=True)


class _Answered:
    """A request already answered with an error: nothing more to do for it."""

    jsonrpc = None  # handle_message ignores messages that are not JSON-RPC 2.0
