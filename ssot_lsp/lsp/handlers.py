"""LSP wiring only: which message calls what in the session, and how its answer goes back.

Each handler translates an LSP message into a call of the ``Session`` (``session.py``) or one of its
services, and the result into the LSP answer; nothing else happens here. A failing handler is
logged through ``window/logMessage`` and answered with an empty result (``safe``): the server
never crashes on a message and never pops an error dialog for an internal failure.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from lsprotocol import types
from pygls.capabilities import ServerCapabilitiesBuilder
from pygls.exceptions import JsonRpcRequestCancelled

from ssot_lsp.lsp import commands
from ssot_lsp.lsp.actions import FIX_ALL_KIND
from ssot_lsp.lsp.audit_command import AUDIT, audit_report
from ssot_lsp.lsp.client import Client, ClientFeatures
from ssot_lsp.lsp.convert import Json, uri_to_path
from ssot_lsp.lsp.definition import definition
from ssot_lsp.lsp.hover import hover
from ssot_lsp.lsp.options import ServerOptions
from ssot_lsp.lsp.pygls_adapter import SsotLanguageServer
from ssot_lsp.lsp.session import Session
from ssot_lsp.lsp.settings_sync import initial_folders

Handler = TypeVar("Handler", bound=Callable[..., Any])


def safe(default: Any = None) -> Callable[[Handler], Handler]:
    """Wrap a handler: failures are logged and answered with ``default`` (called when callable).
    Cancellation passes through (pygls answers ``RequestCancelled``)."""

    def wrap(fn: Handler) -> Handler:
        if inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def run_async(ls: SsotLanguageServer, *args: Any) -> Any:
                try:
                    return await fn(ls, *args)
                except (JsonRpcRequestCancelled, asyncio.CancelledError):
                    raise
                except Exception as exc:  # noqa: BLE001
                    _report(ls, fn.__name__, exc)
                    return default() if callable(default) else default

            return run_async  # type: ignore[return-value]

        @functools.wraps(fn)
        def run(ls: SsotLanguageServer, *args: Any) -> Any:
            try:
                return fn(ls, *args)
            except JsonRpcRequestCancelled:
                raise
            except Exception as exc:  # noqa: BLE001
                _report(ls, fn.__name__, exc)
                return default() if callable(default) else default

        return run  # type: ignore[return-value]

    return wrap


def _report(ls: SsotLanguageServer, label: str, exc: Exception) -> None:
    detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=6))
    try:
        ls.session.client.log(f"{label} failed: {exc}\n{detail}", "error")
    except Exception:  # noqa: BLE001 - nothing left to report to
        pass


def _is_python(language_id: str | None, path: str) -> bool:
    return language_id == "python" or path.endswith((".py", ".pyi"))


def create_server(options: ServerOptions | None = None) -> SsotLanguageServer:
    server = SsotLanguageServer()
    server.session = Session(Client(server), options or ServerOptions())
    _register_lifecycle(server)
    _register_documents(server)
    _register_diagnostics(server)
    _register_features(server)
    _register_workspace(server)
    _register_commands(server)
    server.session.tracer.server_started(server)
    return server


def _register_lifecycle(server: SsotLanguageServer) -> None:
    @server.feature(types.INITIALIZE)
    @safe()
    def initialize(ls: SsotLanguageServer, params: types.InitializeParams) -> None:
        encoding = ServerCapabilitiesBuilder.choose_position_encoding(params.capabilities)
        ls.session.client.features = ClientFeatures.from_capabilities(
            params.capabilities, str(getattr(encoding, "value", encoding)))
        ls.session.settings_sync.initialize(params.initialization_options, initial_folders(params))

    @server.feature(types.INITIALIZED)
    @safe()
    async def initialized(ls: SsotLanguageServer, params: types.InitializedParams) -> None:
        await ls.session.start()

    @server.feature(types.SHUTDOWN)
    @safe()
    def shutdown(ls: SsotLanguageServer, params: None) -> None:
        ls.session.shutdown()


def _register_documents(server: SsotLanguageServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @safe()
    def did_open(ls: SsotLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        path = uri_to_path(item.uri)
        if path is not None and _is_python(item.language_id, path):
            ls.session.open(item.uri, path, item.text, item.version)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @safe()
    def did_change(ls: SsotLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.session.change(params.text_document.uri, params.text_document.version, list(params.content_changes))

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=True))
    @safe()
    def did_save(ls: SsotLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.session.save(params.text_document.uri, params.text)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @safe()
    def did_close(ls: SsotLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.session.close(params.text_document.uri)


def _register_diagnostics(server: SsotLanguageServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, types.DiagnosticOptions(
        identifier="ssot", inter_file_dependencies=True, workspace_diagnostics=True))
    @safe(lambda: {"kind": "full", "items": []})
    async def document_diagnostic(ls: SsotLanguageServer, params: types.DocumentDiagnosticParams) -> Json:
        await ls.session.pull.wait_for_first_index(params.text_document.uri)
        return ls.session.pull.document_report(params.text_document.uri, params.previous_result_id)

    @server.feature(types.WORKSPACE_DIAGNOSTIC)
    @safe(lambda: types.WorkspaceDiagnosticReport(items=[]))
    async def workspace_diagnostic(ls: SsotLanguageServer, params: types.WorkspaceDiagnosticParams
                                   ) -> types.WorkspaceDiagnosticReport:
        cancellations = ls.session.client.cancellations
        msg_id = cancellations.begin()
        try:
            previous = {p.uri: p.value for p in params.previous_result_ids or ()}
            items = await ls.session.pull.workspace_report(previous, msg_id)
            return types.WorkspaceDiagnosticReport(items=items)  # type: ignore[arg-type]  # JSON items
        finally:
            cancellations.end(msg_id)


def _register_features(server: SsotLanguageServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @safe()
    def on_hover(ls: SsotLanguageServer, params: types.HoverParams) -> Json | None:
        doc = ls.session.documents.get(params.text_document.uri)
        if doc is None:
            return None
        ls.session.ensure_current(doc)
        return hover(doc, params.position, ls.session.client.features.encoding)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @safe(list)
    def on_definition(ls: SsotLanguageServer, params: types.DefinitionParams) -> list[Json]:
        doc = ls.session.documents.get(params.text_document.uri)
        if doc is None:
            return []
        ls.session.ensure_current(doc)
        return definition(doc, params.position, ls.session.client.features.encoding, ls.session.lines_of())

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND], resolve_provider=True))
    @safe(list)
    def code_action(ls: SsotLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        doc = ls.session.documents.get(params.text_document.uri)
        if doc is None:
            return []
        only = [str(getattr(kind, "value", kind)) for kind in params.context.only] if params.context.only else None
        return ls.session.actions.actions(doc, params.range, list(params.context.diagnostics), only)

    @server.feature(types.CODE_ACTION_RESOLVE)
    @safe()
    def code_action_resolve(ls: SsotLanguageServer, params: types.CodeAction) -> types.CodeAction:
        try:
            return ls.session.actions.resolve(params)
        except Exception as exc:  # noqa: BLE001 - answer with the action unchanged (no edit)
            ls.session.client.log(f"codeAction/resolve failed: {exc}", "error")
            return params


def _register_workspace(server: SsotLanguageServer) -> None:
    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @safe()
    def did_change_watched_files(ls: SsotLanguageServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.session.watcher.files_changed([p for p in (uri_to_path(c.uri) for c in params.changes) if p])

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @safe()
    async def did_change_configuration(ls: SsotLanguageServer, params: types.DidChangeConfigurationParams) -> None:
        await ls.session.settings_sync.configuration_changed(params.settings)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    @safe()
    async def did_change_workspace_folders(ls: SsotLanguageServer,
                                           params: types.DidChangeWorkspaceFoldersParams) -> None:
        event = params.event
        await ls.session.settings_sync.folders_changed([f.uri for f in event.added or ()],
                                                       [f.uri for f in event.removed or ()])


def _register_commands(server: SsotLanguageServer) -> None:
    def argument(args: tuple[Any, ...], key: str) -> Any:
        return args[0].get(key) if args and isinstance(args[0], dict) else None

    @server.command(commands.LIST)
    @safe(list)
    async def list_violations(ls: SsotLanguageServer, *args: Any) -> list[Json]:
        cancellations = ls.session.client.cancellations
        msg_id = cancellations.begin()
        try:
            return await commands.list_violations(ls.session, argument(args, "uri"), msg_id)
        finally:
            cancellations.end(msg_id)

    @server.command(commands.FIX_ALL)
    @safe(lambda: {"fixedSites": 0, "files": 0, "skippedFiles": [], "unfixableSites": 0, "notFixed": []})
    async def fix_all(ls: SsotLanguageServer, *args: Any) -> dict[str, object]:
        cancellations = ls.session.client.cancellations
        msg_id = cancellations.begin()
        try:
            return (await ls.session.fix_all.run(bool(argument(args, "unsafe")), msg_id)).to_json()
        finally:
            cancellations.end(msg_id)

    @server.command(AUDIT)
    @safe()
    async def audit(ls: SsotLanguageServer, *args: Any) -> Json | None:
        cancellations = ls.session.client.cancellations
        msg_id = cancellations.begin()
        try:
            depth = argument(args, "depth")
            return await audit_report(ls.session, argument(args, "uri"), depth if isinstance(depth, int) and depth > 0
                                      else 1, argument(args, "format") == "html", msg_id)
        finally:
            cancellations.end(msg_id)

    @server.command(commands.FIX_FILE)
    @safe(lambda: False)
    async def fix_file(ls: SsotLanguageServer, *args: Any) -> bool:
        return await ls.session.actions.fix_file(str(argument(args, "uri") or ""), argument(args, "version"))

    @server.command(commands.REINDEX)
    @safe(lambda: {"files": 0})
    async def reindex(ls: SsotLanguageServer, *args: Any) -> Json:
        cancellations = ls.session.client.cancellations
        msg_id = cancellations.begin()
        try:
            return await commands.reindex(ls.session, msg_id)
        finally:
            cancellations.end(msg_id)
