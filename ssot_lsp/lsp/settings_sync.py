"""Where the ``ssotLsp`` settings come from, and workspace folders coming and going.

Settings arrive as ``initializationOptions``, are asked per folder through
``workspace/configuration`` after ``initialized`` and again on ``didChangeConfiguration`` (or are
pushed with it, for clients that cannot be asked). Each folder has its own settings, configuration
file and index. Invalid settings are reported once and never applied: at start-up the defaults
stay, later the last good settings stay (``settings.py`` validates).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from ssot_lsp.core.project import resolve_root
from ssot_lsp.lsp.convert import uri_to_path
from ssot_lsp.lsp.folder import Folder
from ssot_lsp.lsp.settings import DEFAULTS, SECTION, Settings, describe_problems, parse_settings

if TYPE_CHECKING:
    from ssot_lsp.lsp.session import Session


def initial_folders(params: types.InitializeParams) -> list[str]:
    """The workspace folder URIs of ``initialize`` (the root URI or path for old clients)."""
    folders = [f.uri for f in params.workspace_folders or ()]
    if not folders:
        root = params.root_uri or (Path(params.root_path).as_uri() if params.root_path else None)
        if root:
            folders = [root]
    return folders


class SettingsSync:
    def __init__(self, session: Session) -> None:
        self.session = session

    def initialize(self, options: Any, folder_uris: list[str]) -> None:
        """``initialize``: the global settings from the initialization options, then the folders."""
        session = self.session
        settings, problems = parse_settings(options)
        if problems or settings is None:
            session.client.show_once(describe_problems(problems, "using the defaults"), types.MessageType.Error)
            settings = DEFAULTS
        self._set_global(settings)
        for uri in folder_uris:
            self.add_folder(uri)

    def _set_global(self, settings: Settings) -> None:
        self.session.settings = settings
        self.session.client.log_level = settings.log_level

    def add_folder(self, uri: str) -> Folder | None:
        """A client folder: a new folder for its workspace root, or None when it joins the folder
        of a root already served (one index for both) or is not a local directory."""
        session = self.session
        path = uri_to_path(uri)
        if path is None or not Path(path).is_dir():
            session.client.log(f"ignoring workspace folder {uri}: not a local directory", "warning")
            return None
        here = Path(path).resolve()
        explicit = Path(session.settings.config_file).expanduser() if session.settings.config_file else None
        resolution = resolve_root(here, here, here / explicit if explicit and not explicit.is_absolute() else explicit)
        shared = session.folders.with_root(resolution.root, session.settings)
        if shared is not None:
            session.folders.join(uri, shared, here)
            session.client.log(f"workspace folder {here} shares the index of {resolution.root} "
                               f"({resolution.describe()})")
            return None
        folder = Folder(uri=uri, root=resolution.root, settings=session.settings,
                        scopes=() if here == resolution.root else (here,))
        if here != resolution.root:
            session.client.log(f"workspace folder {here}: root {resolution.root} ({resolution.describe()})")
        message = folder.load_config()
        for text in (message, folder.baseline_message):
            if text:
                session.client.show_once(text, types.MessageType.Error)
        session.folders.add(folder)
        return folder

    async def folders_changed(self, added: list[str], removed: list[str]) -> None:
        session = self.session
        for uri in removed:
            shared = session.folders.by_uri.get(uri)
            folder = session.folders.remove(uri)
            if folder is None:
                if shared is not None:  # another client folder keeps it: report on what remains
                    session.publisher.clear_workspace(shared)
                    session.publisher.publish_workspace(shared)
                continue
            if folder.index_task is not None and not folder.index_task.done():
                folder.index_task.cancel()
            session.publisher.clear_workspace(folder)
        new = [f for f in map(self.add_folder, added) if f is not None]
        if new:
            await self.fetch_and_apply(startup=True, folders=new)
            for folder in new:
                session.indexer.start(folder)
        session.place_documents()  # documents may now belong to another folder
        session.refresh_open()
        for folder in session.folders.workspace():  # a joined client folder widens what is reported
            session.publisher.publish_workspace(folder)

    async def configuration_changed(self, pushed: Any) -> None:
        await self.fetch_and_apply(startup=False, pushed=pushed if isinstance(pushed, dict) and pushed else None)

    async def fetch_and_apply(self, startup: bool, pushed: dict[str, Any] | None = None,
                              folders: list[Folder] | None = None) -> None:
        """Ask the client for the global and per-folder settings (or use ``pushed`` ones) and apply them."""
        session = self.session
        folders = folders if folders is not None else session.folders.workspace()
        items = [types.ConfigurationItem(section=SECTION)]
        items += [types.ConfigurationItem(section=SECTION, scope_uri=f.uri) for f in folders]
        answers = await session.client.configuration(items)
        global_raw: Any
        per_folder: dict[str, Any]
        if answers is None:
            if pushed is None:
                return
            global_raw, per_folder = pushed, {}
        else:
            global_raw = answers[0] if answers[0] is not None else pushed
            per_folder = {f.uri: raw for f, raw in zip(folders, answers[1:])}
        fallback = "using the defaults" if startup else "keeping the last good settings"
        if global_raw is not None:
            settings, problems = parse_settings(global_raw)
            if problems or settings is None:
                session.client.show_once(describe_problems(problems, fallback), types.MessageType.Error)
            else:
                self._set_global(settings)
        for folder in folders:
            raw = per_folder.get(folder.uri)
            new: Settings | None = session.settings
            if raw is not None:
                new, problems = parse_settings(raw)
                if problems:
                    session.client.show_once(describe_problems(problems, fallback), types.MessageType.Error)
            if new is not None:
                self.apply(folder, new, startup)

    def apply(self, folder: Folder, new: Settings, startup: bool) -> None:
        """A folder's settings changed: reload, re-index or re-analyse what they affect."""
        session = self.session
        old, folder.settings = folder.settings, new
        if new == old:
            return
        if new.config_file != old.config_file:
            message = folder.load_config()
            if message:
                session.client.show_once(message, types.MessageType.Error)
            session.place_documents(folder)
        if startup:
            return  # the first index is started by the caller
        if new.config_file != old.config_file or new.max_file_size_kb != old.max_file_size_kb:
            session.indexer.start(folder)
            return
        if new.analysis_key() != old.analysis_key() or new.diagnostic_mode != old.diagnostic_mode \
                or new.docs_base_url != old.docs_base_url:
            folder.forget_results()
            session.refresh_open(folder)
            if new.diagnostic_mode == "workspace":
                session.publisher.publish_workspace(folder)
            else:
                session.publisher.clear_workspace(folder)
            session.client.refresh_diagnostics()
