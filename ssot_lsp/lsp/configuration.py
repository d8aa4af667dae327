"""Start-up, settings (initializationOptions, workspace/configuration, didChangeConfiguration)
and workspace folders. Each folder has its own settings, configuration file and index."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from ssot_lsp.lsp import diagnostics as diag
from ssot_lsp.lsp import indexing
from ssot_lsp.lsp.convert import uri_to_path
from ssot_lsp.lsp.settings import (
    DEFAULTS,
    SECTION,
    Settings,
    describe_problems,
    parse_settings,
)
from ssot_lsp.lsp.state import FolderState

if TYPE_CHECKING:
    from ssot_lsp.lsp.language_server import SsotLanguageServer

CONFIG_TIMEOUT = 5.0


def on_initialize(server: SsotLanguageServer, params: types.InitializeParams) -> None:
    server.init_options = params.initialization_options
    settings, problems = parse_settings(server.init_options)
    if problems or settings is None:
        server.show_once(describe_problems(problems, "using the defaults"), types.MessageType.Error)
        settings = DEFAULTS
    server.settings = settings
    folders = [(f.uri, f.name) for f in params.workspace_folders or ()]
    if not folders:
        root = params.root_uri or (Path(params.root_path).as_uri() if params.root_path else None)
        if root:
            folders = [(root, root.rstrip("/").rsplit("/", 1)[-1])]
    for uri, _name in folders:
        add_folder(server, uri, settings)


def add_folder(server: SsotLanguageServer, uri: str, settings: Settings) -> FolderState | None:
    path = uri_to_path(uri)
    if path is None or not Path(path).is_dir():
        server.log(f"ignoring workspace folder {uri}: not a local directory", "warning")
        return None
    state = FolderState(uri=uri, root=Path(path), settings=settings)
    message = state.load_config()
    for text in (message, state.baseline_message):
        if text:
            server.show_once(text, types.MessageType.Error)
    server.folders[uri] = state
    server.index_ready.setdefault(uri, asyncio.Event())  # set when its first index is installed
    return state


async def on_initialized(server: SsotLanguageServer) -> None:
    await fetch_and_apply(server, startup=True)
    for state in list(server.folders.values()):
        indexing.start_indexing(server, state)
    if not await indexing.register_watchers(server):
        server.poll_task = asyncio.ensure_future(indexing.poll(server))


async def fetch_settings(server: SsotLanguageServer,
                         states: list[FolderState]) -> tuple[Any, dict[str, Any]] | None:
    """(global, {folder uri: raw}) from workspace/configuration; None when the client cannot answer."""
    if not server.cap("workspace.configuration", False):
        return None
    items = [types.ConfigurationItem(section=SECTION)]
    items += [types.ConfigurationItem(section=SECTION, scope_uri=s.uri) for s in states]
    try:
        values = await asyncio.wait_for(
            server.workspace_configuration_async(types.ConfigurationParams(items=items)), CONFIG_TIMEOUT)
    except Exception as exc:  # noqa: BLE001
        server.log(f"workspace/configuration failed: {exc}", "warning")
        return None
    values = list(values or [])
    values += [None] * (len(items) - len(values))
    return values[0], {s.uri: v for s, v in zip(states, values[1:])}


async def fetch_and_apply(server: SsotLanguageServer, startup: bool, pushed: Any = None,
                          states: list[FolderState] | None = None) -> None:
    states = states if states is not None else list(server.folders.values())
    fetched = await fetch_settings(server, states)
    if fetched is None:
        if pushed is None:
            return
        global_raw, per_folder = pushed, dict[str, Any]()
    else:
        global_raw, per_folder = fetched
        if global_raw is None and pushed is not None:
            global_raw = pushed
    fallback = "using the defaults" if startup else "keeping the last good settings"
    if global_raw is not None:
        settings, problems = parse_settings(global_raw)
        if problems or settings is None:
            server.show_once(describe_problems(problems, fallback), types.MessageType.Error)
        else:
            server.settings = settings
    for state in states:
        raw = per_folder.get(state.uri)
        if raw is None:
            new = server.settings
        else:
            parsed, problems = parse_settings(raw)
            if problems or parsed is None:
                server.show_once(describe_problems(problems, fallback), types.MessageType.Error)
                continue
            new = parsed
        apply_folder_settings(server, state, new, startup)


def apply_folder_settings(server: SsotLanguageServer, state: FolderState, new: Settings, startup: bool) -> None:
    old = state.settings
    state.settings = new
    if new == old:
        return
    if new.config_file != old.config_file:
        message = state.load_config()
        if message:
            server.show_once(message, types.MessageType.Error)
    if startup:
        return  # the first index is started by the caller
    if new.config_file != old.config_file or new.max_file_size_kb != old.max_file_size_kb:
        indexing.start_indexing(server, state)
        return
    if new.analysis_key() != old.analysis_key() or new.diagnostic_mode != old.diagnostic_mode:
        state._violations_cache.clear()
        diag.refresh_all_open(server, state)
        if new.diagnostic_mode == "workspace":
            diag.publish_workspace(server, state)
        else:
            diag.clear_workspace(server, state)
        diag.request_refresh(server)


async def on_did_change_configuration(server: SsotLanguageServer, payload: Any) -> None:
    pushed = payload if isinstance(payload, dict) and payload else None
    await fetch_and_apply(server, startup=False, pushed=pushed)


async def on_folders_changed(server: SsotLanguageServer, added: Sequence[types.WorkspaceFolder],
                             removed: Sequence[types.WorkspaceFolder]) -> None:
    for folder in removed:
        state = server.folders.pop(folder.uri, None)
        if state is None:
            continue
        task = server.index_tasks.pop(folder.uri, None)
        if task is not None and not task.done():
            task.cancel()
        server.index_ready.pop(folder.uri, None)
        diag.clear_workspace(server, state)
    new_states = [s for s in (add_folder(server, f.uri, server.settings) for f in added) if s is not None]
    if new_states:
        await fetch_and_apply(server, startup=True, states=new_states)
        for state in new_states:
            indexing.start_indexing(server, state)
    # documents may now belong to another folder
    for doc in server.documents:
        doc.dirty = True
    diag.refresh_all_open(server)
