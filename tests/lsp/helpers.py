"""Shared helpers for the language-server end-to-end tests (pytest-lsp)."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.protocol import default_converter
from pygls.uris import from_fs_path, to_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "migration-demo"
INDEX_TITLE = "SSOT: indexing workspace"

SERVER_ENV = {**os.environ, "SSOT_LSP_POLL_SECONDS": "0.3", "PYTHONUNBUFFERED": "1"}
SERVER_ENV.pop("SSOT_LSP_TRACER", None)


def make_client() -> LanguageClient:
    """pytest-lsp's client plus: every publishDiagnostics kept in order, registrations, applyEdit."""
    client = LanguageClient(converter_factory=default_converter)
    client.publish_log = []
    client.registrations = []
    client.applied_edits = []
    client.apply_edit_result = True
    client.editor = None  # an Editor applies workspace edits to its buffers

    def publish(ls, params: types.PublishDiagnosticsParams):
        client.diagnostics[params.uri] = params.diagnostics
        client.publish_log.append(params)

    def register(ls, params: types.RegistrationParams):
        client.registrations.extend(params.registrations)

    def apply_edit(ls, params: types.ApplyWorkspaceEditParams):
        client.applied_edits.append(params)
        if client.editor is not None:
            return client.editor.apply(params)
        return types.ApplyWorkspaceEditResult(applied=client.apply_edit_result)

    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: publish,
                                   types.CLIENT_REGISTER_CAPABILITY: register,
                                   types.WORKSPACE_APPLY_EDIT: apply_edit})
    return client


def server_config(**env: str) -> ClientServerConfig:
    return ClientServerConfig(server_command=[sys.executable, "-m", "ssot_lsp", "serve"],
                              server_env={**SERVER_ENV, **env}, client_factory=make_client)


CONFIG = server_config()


def uri(path: Path | str) -> str:
    return from_fs_path(str(path))


def copy_demo(tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(DEMO, target, ignore=shutil.ignore_patterns("__pycache__", ".ssot-cache"))
    return target


def capabilities(profile: str) -> types.ClientCapabilities:
    """Recorded client capabilities, optionally adjusted.

    vscode: VS Code 1.65 (push, dynamic file watchers, documentChanges, resolve of edits)
    vscode-pull: the same plus pull diagnostics with refresh support (VS Code >= 1.67)
    vscode-no-resolve: VS Code 1.65 without codeAction.resolveSupport
    neovim-0.7: push only, no dynamic registration, no workspace/configuration
    neovim-0.11: pull diagnostics, utf-8 position encoding
    """
    if profile == "vscode":
        return client_capabilities("visual-studio-code@v1.65.2")
    if profile == "vscode-pull":
        caps = client_capabilities("visual-studio-code@v1.65.2")
        caps.text_document.diagnostic = types.DiagnosticClientCapabilities(
            dynamic_registration=True, related_document_support=False)
        caps.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
        return caps
    if profile == "vscode-no-resolve":  # as VS Code, without codeAction.resolveSupport (many smaller clients)
        caps = client_capabilities("visual-studio-code@v1.65.2")
        caps.text_document.code_action.resolve_support = None
        return caps
    if profile == "neovim-0.7":
        return client_capabilities("neovim@v0.7.0")
    if profile == "neovim-0.11":
        return client_capabilities("neovim@v0.11.0")
    raise ValueError(profile)


async def initialize(client: LanguageClient, root: Path | list[Path] | None, profile: str = "vscode",
                     options=None, wait_index: bool = True) -> types.InitializeResult:
    roots = root if isinstance(root, list) else ([root] if root is not None else [])
    folders = [types.WorkspaceFolder(uri=uri(r), name=r.name) for r in roots]
    result = await client.initialize_session(types.InitializeParams(
        capabilities=capabilities(profile),
        root_uri=folders[0].uri if folders else None,
        workspace_folders=folders or None,
        initialization_options=options,
    ))
    if wait_index and roots and client.capabilities.window and client.capabilities.window.work_done_progress:
        await wait_for_index(client, count=len(roots))
    return result


def index_runs(client: LanguageClient) -> list[list]:
    runs = []
    for reports in client.progress_reports.values():
        if reports and isinstance(reports[0], types.WorkDoneProgressBegin) and reports[0].title == INDEX_TITLE:
            runs.append(reports)
    return runs


async def wait_for_index(client: LanguageClient, count: int = 1, timeout: float = 20) -> None:
    await wait_until(lambda: sum(1 for r in index_runs(client)
                                 if isinstance(r[-1], types.WorkDoneProgressEnd)) >= count, timeout,
                     "indexing did not finish")


async def until_noticed(make_change, noticed, timeout: float = 10, period: float = 0.5):
    """Make a disk change, again every ``period``, until ``noticed()`` holds.

    A server that polls the disk (clients without file watching) compares each snapshot with the
    previous one: a change made before its first snapshot is part of it and never shows. The
    poller reports no snapshot, so the change is made again (a new mtime) until it is noticed.
    """
    deadline = time.monotonic() + timeout
    while True:
        make_change()
        try:
            return await wait_until(noticed, period)
        except AssertionError:
            if time.monotonic() > deadline:
                raise AssertionError(f"the server never noticed the change within {timeout}s") from None


async def wait_until(predicate, timeout: float = 10, message: str = "condition not met"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(message)
        await asyncio.sleep(0.02)


def open_doc(client: LanguageClient, path: Path, version: int = 1, text: str | None = None) -> str:
    doc_uri = uri(path)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=doc_uri, language_id="python", version=version,
        text=text if text is not None else path.read_text(encoding="utf-8"))))
    return doc_uri


def change_doc(client: LanguageClient, doc_uri: str, version: int, edits) -> None:
    """edits: list of (start_line, start_char, end_line, end_char, text) or a full text string."""
    if isinstance(edits, str):
        changes = [types.TextDocumentContentChangeWholeDocument(text=edits)]
    else:
        changes = [types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=a, character=b), end=types.Position(line=c, character=d)),
            text=t) for a, b, c, d, t in edits]
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=doc_uri, version=version), content_changes=changes))


async def wait_for_diagnostics(client: LanguageClient, doc_uri: str, predicate=lambda d: True,
                               timeout: float = 10):
    def ready():
        if doc_uri not in client.diagnostics:
            return None
        diags = list(client.diagnostics[doc_uri])
        return (diags,) if predicate(diags) else None

    try:
        return (await wait_until(ready, timeout))[0]
    except AssertionError:
        raise AssertionError(f"diagnostics for {doc_uri} never matched: {client.diagnostics.get(doc_uri)}") from None


def codes(diagnostics) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n")):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def expected_count(root: Path) -> int:
    """How many violations the CLI's scan finds in a workspace (the server must agree)."""
    from ssot_lsp.core.project import open_workspace

    return len(open_workspace([root]).scan(jobs=1).violations)


class Editor:
    """Buffers the way Neovim keeps them: ``workspace/applyEdit`` changes a buffer at once (loading
    and attaching files that are not open yet), ``didChange`` follows after a debounce (150 ms in
    Neovim). Versioned document edits for a buffer that is newer are skipped, as Neovim does."""

    def __init__(self, client: LanguageClient, encoding: str = "utf-16", debounce: float = 0.15) -> None:
        self.client = client
        self.encoding = encoding
        self.debounce = debounce
        self.buffers: dict[str, list] = {}  # uri -> [text, version]
        self.flushes: list[asyncio.Future] = []  # one per debounced didChange, done once sent
        self.skipped_stale: list[str] = []
        client.editor = self

    def open(self, path: Path) -> str:
        doc_uri = uri(path)
        text = path.read_text(encoding="utf-8")
        self.buffers[doc_uri] = [text, 1]
        open_doc(self.client, path, 1, text)
        return doc_uri

    def text(self, doc_uri: str) -> str:
        return self.buffers[doc_uri][0]

    def apply(self, params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        edit = params.edit
        per_doc: list[tuple[str, int | None, list]] = []
        for change in edit.document_changes or ():
            per_doc.append((change.text_document.uri, change.text_document.version, list(change.edits)))
        for doc_uri, edits in (edit.changes or {}).items():
            per_doc.append((doc_uri, None, list(edits)))
        for doc_uri, version, edits in per_doc:
            if doc_uri not in self.buffers:  # Neovim loads the file and attaches the client
                self.open(Path(to_fs_path(doc_uri)))
            text, current = self.buffers[doc_uri]
            if version is not None and version < current:
                self.skipped_stale.append(doc_uri)
                continue
            self.buffers[doc_uri] = [apply_text_edits(text, edits, self.encoding), current + 1]
            self._schedule_change(doc_uri)
        return types.ApplyWorkspaceEditResult(applied=True)

    def _schedule_change(self, doc_uri: str) -> None:
        loop = asyncio.get_running_loop()
        sent = loop.create_future()

        def flush():
            text, version = self.buffers[doc_uri]
            change_doc(self.client, doc_uri, version, text)
            sent.set_result(version)

        loop.call_later(self.debounce, flush)
        self.flushes.append(sent)

    async def settle(self) -> None:
        """Wait until every didChange the editor has scheduled so far was sent."""
        await asyncio.gather(*self.flushes)


def apply_text_edits(text: str, edits, encoding: str) -> str:
    from ssot_lsp.lsp.documents import LineIndex

    lines = LineIndex(text)
    spans = []
    for edit in edits:
        start = lines.offset(edit.range.start.line, edit.range.start.character, encoding)
        end = lines.offset(edit.range.end.line, edit.range.end.character, encoding)
        spans.append((start, end, edit.new_text))
    for start, end, new_text in sorted(spans, key=lambda s: (s[0], s[1]), reverse=True):
        text = text[:start] + new_text + text[end:]
    return text


async def request_actions(client: LanguageClient, doc_uri: str, diagnostics, rng: types.Range | None = None,
                          only=None) -> list[types.CodeAction]:
    """``textDocument/codeAction`` as an editor sends it: the range of the first diagnostic (or
    ``rng``), the diagnostics it holds there, and resolved so that every action has its edit."""
    if rng is None:
        rng = diagnostics[0].range if diagnostics else types.Range(start=types.Position(line=0, character=0),
                                                                    end=types.Position(line=0, character=0))
    answer = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=doc_uri), range=rng,
        context=types.CodeActionContext(diagnostics=list(diagnostics), only=only)))
    resolved = []
    for action in answer or []:
        assert isinstance(action, types.CodeAction), action
        if action.edit is None and action.data is not None:
            action = await client.code_action_resolve_async(action)
        resolved.append(action)
    return resolved


def edits_of(action: types.CodeAction) -> list[types.TextEdit]:
    """The text edits of an action on a single document."""
    edit = action.edit
    if edit is None:
        return []
    if edit.document_changes:
        (change,) = edit.document_changes
        return list(change.edits)
    (edits,) = (edit.changes or {}).values()
    return list(edits)


def edited_lines(action: types.CodeAction) -> set[int]:
    """The lines of the old text an action's edits replace (an insertion: the line it goes before)."""
    lines: set[int] = set()
    for edit in edits_of(action):
        start, end = edit.range.start, edit.range.end
        last = end.line - 1 if end.line > start.line and end.character == 0 else end.line
        lines.update(range(start.line, max(start.line, last) + 1))
    return lines


def import_lines(text: str) -> set[int]:
    """0-based lines of every import statement of a text."""
    import ast

    found: set[int] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.update(range(node.lineno - 1, node.end_lineno))
    return found
