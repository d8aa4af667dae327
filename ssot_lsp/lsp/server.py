"""LSP wiring only: which handler answers which message. Logic lives in the sibling modules."""

from __future__ import annotations

from typing import Any

from lsprotocol import types
from pygls.capabilities import ServerCapabilitiesBuilder

from ssot_lsp.gc_tuning import tune_garbage_collector
from ssot_lsp.lsp import actions, commands, configuration, indexing
from ssot_lsp.lsp import definition as definition_mod
from ssot_lsp.lsp import diagnostics as diag
from ssot_lsp.lsp import hover as hover_mod
from ssot_lsp.lsp.convert import uri_to_path
from ssot_lsp.lsp.language_server import SsotLanguageServer, safe


def create_server() -> SsotLanguageServer:
    indexing.configure_worker_processes()
    tune_garbage_collector()
    server = SsotLanguageServer()

    @server.feature(types.INITIALIZE)
    @safe()
    def initialize(ls: SsotLanguageServer, params: types.InitializeParams) -> None:
        encoding = ServerCapabilitiesBuilder.choose_position_encoding(params.capabilities)
        ls.negotiated_encoding = str(getattr(encoding, "value", encoding))
        configuration.on_initialize(ls, params)

    @server.feature(types.INITIALIZED)
    @safe()
    async def initialized(ls: SsotLanguageServer, params: types.InitializedParams) -> None:
        await configuration.on_initialized(ls)

    @server.feature(types.SHUTDOWN)
    @safe()
    def shutdown(ls: SsotLanguageServer, params: None) -> None:
        ls.shutting_down = True
        for task in [*ls.pending.values(), *ls.index_tasks.values(), ls.poll_task]:
            if task is not None and not task.done():
                task.cancel()

    # -- documents ------------------------------------------------------------------------------
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @safe()
    def did_open(ls: SsotLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        path = uri_to_path(item.uri)
        if path is None or not _is_python(item.language_id, path):
            return
        doc = ls.documents.open(item.uri, path, item.text, item.version, item.language_id)
        commands.note_opened(ls, path, item.text)
        ls.note_received(item.uri, item.version)
        diag.cancel_pending(ls, doc.uri)
        diag.refresh_document(ls, doc)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @safe()
    def did_change(ls: SsotLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        doc = ls.document(params.text_document.uri)
        if doc is None:
            return
        ls.note_received(doc.uri, params.text_document.version)
        commands.note_changed(ls, doc.path, params.text_document.version)
        for change in params.content_changes:
            doc.apply_change(change, ls.encoding)
        doc.version = params.text_document.version
        diag.schedule(ls, doc)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=True))
    @safe()
    def did_save(ls: SsotLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        doc = ls.document(params.text_document.uri)
        if doc is None:
            return
        if params.text is not None and params.text != doc.text:
            doc.text, doc._index, doc.dirty = params.text, None, True
        diag.cancel_pending(ls, doc.uri)
        doc.dirty = True
        diag.refresh_document(ls, doc)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @safe()
    def did_close(ls: SsotLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        diag.cancel_pending(ls, uri)
        doc = ls.documents.close(uri)
        if doc is None:
            return
        commands.note_closed(ls, doc.path)
        diag.clear_document(ls, uri)
        state = ls.state_for(doc.path)
        if state.restore_disk(doc.path):
            diag.on_cross_file_change(ls, state)
        else:
            diag.publish_workspace(ls, state)

    # -- diagnostics (pull) --------------------------------------------------------------------
    @server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC,
                    types.DiagnosticOptions(identifier="ssot", inter_file_dependencies=True,
                                            workspace_diagnostics=True))
    @safe(lambda: types.RelatedFullDocumentDiagnosticReport(items=[]))
    async def document_diagnostic(ls: SsotLanguageServer, params: types.DocumentDiagnosticParams,
                                  ) -> types.DocumentDiagnosticReport:
        await diag.wait_for_first_index(ls, params.text_document.uri)
        return diag.document_report(ls, params.text_document.uri, params.previous_result_id)

    @server.feature(types.WORKSPACE_DIAGNOSTIC)
    @safe(lambda: types.WorkspaceDiagnosticReport(items=[]))
    async def workspace_diagnostic(ls: SsotLanguageServer, params: types.WorkspaceDiagnosticParams,
                                   ) -> types.WorkspaceDiagnosticReport:
        msg_id = ls.begin_cancellable()
        try:
            return await diag.workspace_report(ls, params, msg_id)
        finally:
            ls.end_cancellable(msg_id)

    # -- hover and code actions ---------------------------------------------------------------
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @safe()
    def hover(ls: SsotLanguageServer, params: types.HoverParams) -> types.Hover | None:
        doc = ls.document(params.text_document.uri)
        return hover_mod.hover(ls, doc, params.position) if doc is not None else None

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @safe(list)
    def definition(ls: SsotLanguageServer, params: types.DefinitionParams) -> list[types.Location]:
        doc = ls.document(params.text_document.uri)
        return definition_mod.definition(ls, doc, params.position) if doc is not None else []

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL_KIND], resolve_provider=True))
    @safe(list)
    def code_action(ls: SsotLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        doc = ls.document(params.text_document.uri)
        return actions.code_actions(ls, doc, params) if doc is not None else []

    @server.feature(types.CODE_ACTION_RESOLVE)
    def code_action_resolve(ls: SsotLanguageServer, params: types.CodeAction) -> types.CodeAction:
        try:
            return actions.resolve(ls, params)
        except Exception as exc:  # noqa: BLE001
            ls.log(f"codeAction/resolve failed: {exc}", "error")
            return params

    # -- workspace -------------------------------------------------------------------------------
    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @safe()
    def did_change_watched_files(ls: SsotLanguageServer, params: types.DidChangeWatchedFilesParams) -> None:
        paths = [p for p in (uri_to_path(change.uri) for change in params.changes) if p]
        indexing.on_disk_changes(ls, paths)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @safe()
    async def did_change_configuration(ls: SsotLanguageServer, params: types.DidChangeConfigurationParams) -> None:
        await configuration.on_did_change_configuration(ls, params.settings)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    @safe()
    async def did_change_workspace_folders(ls: SsotLanguageServer,
                                           params: types.DidChangeWorkspaceFoldersParams) -> None:
        await configuration.on_folders_changed(ls, params.event.added or [], params.event.removed or [])

    @server.command(commands.LIST)
    @safe(list)
    async def list_violations(ls: SsotLanguageServer, *args: Any) -> list[dict[str, Any]]:
        return await commands.list_violations(ls, args)

    @server.command(commands.FIX_ALL)
    @safe(lambda: {"fixedSites": 0, "files": 0, "skippedFiles": [], "unfixableSites": 0})
    async def fix_all(ls: SsotLanguageServer, *args: Any) -> dict[str, Any]:
        return await commands.fix_all(ls, args)

    @server.command(commands.REINDEX)
    @safe(lambda: {"files": 0})
    async def reindex(ls: SsotLanguageServer, *args: Any) -> dict[str, int]:
        return await commands.reindex(ls, args)

    return server


def _is_python(language_id: str | None, path: str) -> bool:
    return language_id == "python" or path.endswith((".py", ".pyi"))

