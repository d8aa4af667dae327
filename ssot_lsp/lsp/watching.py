"""Files changing on disk: watchers the client registers, or a poll for clients that cannot watch.

Changes arrive from ``workspace/didChangeWatchedFiles`` (registered dynamically when the client can)
or, for clients that cannot watch files (Neovim 0.7), from a cheap ``os.scandir`` poll every
``ServerOptions.poll_seconds``. Each change updates the folder it belongs to: a Python file's
facts, the configuration (then a new index) or the baseline.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from ssot_lsp.core.files import ALWAYS_SKIPPED_DIRS
from ssot_lsp.lsp.folder import Folder

if TYPE_CHECKING:
    from ssot_lsp.lsp.session import Session

CONFIG_NAMES = ("pyproject.toml", "ssot-lsp.toml")
WATCH_GLOBS = ("**/*.py", "**/*.pyi", "**/pyproject.toml", "**/ssot-lsp.toml", "**/.ssot-baseline.json")
POLL_SKIPPED = ALWAYS_SKIPPED_DIRS | {".venv", "venv", "site-packages", ".eggs", "build", "dist"}

Stamps = dict[str, tuple[int, int]]


class DiskWatcher:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.poll_task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Watch through the client when it can, else poll."""
        globs = list(WATCH_GLOBS)
        for folder in self.session.folders.workspace():
            baseline = folder.baseline_path
            if baseline and not baseline.endswith(".ssot-baseline.json"):
                globs.append(baseline)
        if not await self.session.client.watch_files(globs):
            self.poll_task = asyncio.ensure_future(self._poll())

    def stop(self) -> None:
        if self.poll_task is not None and not self.poll_task.done():
            self.poll_task.cancel()

    # -- changes ---------------------------------------------------------------------------------
    def files_changed(self, paths: list[str]) -> None:
        by_folder: dict[str, tuple[Folder, list[str]]] = {}
        for path in paths:
            for folder in self.session.folders.all():
                if folder.contains(path) or path in folder.config_files or path == folder.baseline_path:
                    by_folder.setdefault(folder.uri, (folder, []))[1].append(path)
        for folder, changed in by_folder.values():
            self._folder_files_changed(folder, changed)

    def _folder_files_changed(self, folder: Folder, changed: list[str]) -> None:
        session = self.session
        if folder.baseline_path and folder.baseline_path in changed:
            folder.baseline_message = folder.load_baseline()
            if folder.baseline_message:
                session.client.show_once(folder.baseline_message, types.MessageType.Error)
            session.folder_results_changed(folder)
        if any(os.path.basename(p) in CONFIG_NAMES or p in folder.config_files for p in changed):
            if session.reload_configuration(folder):
                return
        python = [p for p in changed if p.endswith((".py", ".pyi"))]
        if not python:
            return
        if folder.indexing:
            folder.pending_disk.update(python)
            return
        cross = False
        for path in python:
            if session.documents.by_path(path) is None:  # an open buffer is the truth
                cross |= folder.refresh_disk_file(path)
        if cross:
            session.cross_file_change(folder)
        else:
            session.publisher.publish_workspace(folder)
            session.client.refresh_diagnostics()

    # -- polling (clients without file watching) -------------------------------------------------
    async def _poll(self) -> None:
        loop = asyncio.get_running_loop()
        previous: Stamps | None = None
        while True:
            try:
                folders = [f for f in self.session.folders.workspace() if f.scannable]
                roots = [f.root for f in folders]
                extra = {p for f in folders for p in (f.baseline_path, *f.config_files) if p}
                current = await loop.run_in_executor(None, snapshot, roots, extra)
                if previous is not None:
                    changed = [p for p in set(current) | set(previous) if current.get(p) != previous.get(p)]
                    if changed:
                        self.files_changed(sorted(changed))
                previous = current
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001
                self.session.client.log(f"polling failed: {exc}", "warning")
            await asyncio.sleep(self.session.options.poll_seconds)


def snapshot(roots: list[Path], extra: set[str]) -> Stamps:
    """mtime/size of every Python and config file under the roots (runs in a thread)."""
    found: Stamps = {}
    stack = [str(r) for r in roots]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    _visit(entry, stack, found, extra)
        except OSError:
            continue
    for path in extra:
        if path not in found:
            try:
                info = os.stat(path)
                found[path] = (info.st_mtime_ns, info.st_size)
            except OSError:
                pass
    return found


def _visit(entry: os.DirEntry[str], stack: list[str], found: Stamps, extra: set[str]) -> None:
    name = entry.name
    try:
        if entry.is_dir(follow_symlinks=False):
            if name not in POLL_SKIPPED and not name.startswith("."):
                stack.append(entry.path)
        elif name.endswith((".py", ".pyi")) or name in CONFIG_NAMES or entry.path in extra:
            info = entry.stat(follow_symlinks=False)
            found[entry.path] = (info.st_mtime_ns, info.st_size)
    except OSError:
        pass
