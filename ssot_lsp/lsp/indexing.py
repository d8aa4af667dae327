"""The background workspace index: scans with ``$/progress``, file watching and polling.

The scan runs in an executor thread (the core's ``Workspace.scan``) and builds a fresh index
that is swapped in on the event loop, so the loop never blocks on it. Disk changes arrive from
``workspace/didChangeWatchedFiles`` (registered dynamically when the client can) or, for clients
that cannot watch files (Neovim 0.7), from a cheap ``os.scandir`` poll every two seconds.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from ssot_lsp.core.files import ALWAYS_SKIPPED_DIRS
from ssot_lsp.lsp import diagnostics as diag
from ssot_lsp.lsp.state import FolderState

if TYPE_CHECKING:
    from ssot_lsp.lsp.language_server import SsotLanguageServer

TITLE = "SSOT: indexing workspace"
SCAN_DELAY = float(os.environ.get("SSOT_LSP_SCAN_DELAY", "0"))
POLL_SECONDS = float(os.environ.get("SSOT_LSP_POLL_SECONDS", "2"))
CONFIG_NAMES = ("pyproject.toml", "ssot-lsp.toml")
WATCH_GLOBS = ("**/*.py", "**/*.pyi", "**/pyproject.toml", "**/ssot-lsp.toml", "**/.ssot-baseline.json")
POLL_SKIPPED = ALWAYS_SKIPPED_DIRS | {".venv", "venv", "site-packages", ".eggs", "build", "dist"}


# -- indexing -------------------------------------------------------------------------------------

def configure_worker_processes() -> None:
    """The scan runs in an executor thread of a process with other threads (the event loop, the
    stdin reader); forking such a process is unsafe (locks held by other threads stay locked in
    the child; Python 3.12 warns about it). ``Workspace.scan`` creates its ``ProcessPoolExecutor``
    with the default context, so make that default "forkserver" for the server process: workers
    fork from a clean single-threaded server that has the core preloaded. Call once, before the
    first scan, in the serving process only."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return  # Windows: "spawn" is the default (and only) method anyway
    if multiprocessing.get_start_method(allow_none=True) not in (None, "fork"):
        return
    multiprocessing.set_start_method("forkserver", force=True)
    multiprocessing.set_forkserver_preload(["ssot_lsp.core.workspace"])


def start_indexing(server: SsotLanguageServer, state: FolderState) -> asyncio.Task[None] | None:
    """(Re)build one folder's index in the background; a newer request supersedes an older one."""
    if not state.scannable:
        state.indexed = True
        return None
    old = server.index_tasks.get(state.uri)
    if old is not None and not old.done():
        old.cancel()
    event = server.index_ready.setdefault(state.uri, asyncio.Event())
    event.clear()
    state.scan_generation += 1
    task = asyncio.ensure_future(_index(server, state, state.scan_generation))
    server.index_tasks[state.uri] = task
    return task


async def _index(server: SsotLanguageServer, state: FolderState, generation: int) -> None:
    loop = asyncio.get_running_loop()
    token = None
    if server.cap("window.work_done_progress", False):
        token = f"ssot-index-{uuid.uuid4().hex[:12]}"
        try:
            await asyncio.wait_for(server.work_done_progress.create_async(token), 5)
            server.work_done_progress.begin(token, types.WorkDoneProgressBegin(
                title=TITLE, message=state.root.name, percentage=0, cancellable=False))
        except Exception:  # noqa: BLE001 - progress is cosmetic
            token = None
    last = {"percent": -1, "time": 0.0}

    def report(percent: int, message: str) -> None:
        if token is None or generation != state.scan_generation:
            return
        try:
            server.work_done_progress.report(token, types.WorkDoneProgressReport(message=message, percentage=percent))
        except Exception:  # noqa: BLE001
            pass

    def progress(done: int, total: int) -> None:  # called in the scan thread
        percent = min(99, int(100 * done / max(total, 1)))
        now = time.monotonic()
        if percent != last["percent"] and (now - last["time"] > 0.1 or percent - last["percent"] >= 10):
            last["percent"], last["time"] = percent, now
            loop.call_soon_threadsafe(report, percent, f"{done}/{total} files")

    started = time.monotonic()
    try:
        if SCAN_DELAY:
            await asyncio.sleep(SCAN_DELAY)  # tests: makes "before the index completes" observable
        result, cache = await loop.run_in_executor(None, state.scan, progress)
    except asyncio.CancelledError:
        server.end_progress(token, "superseded")
        raise
    except Exception as exc:  # noqa: BLE001
        server.log(f"indexing {state.root} failed: {exc}", "error")
        server.end_progress(token, "failed")
        state.indexed = True
        server.index_ready[state.uri].set()
        return
    if generation != state.scan_generation:
        server.end_progress(token, "superseded")
        return
    open_facts = []
    for doc in server.documents:
        if server.state_for(doc.path) is state and doc.facts is not None and doc.facts.parsed \
                and state.is_workspace_file(doc.path):
            open_facts.append(doc.facts)
    state.install_scan(result, open_facts)
    server.end_progress(token, f"{len(result.facts)} of {result.files_total} files indexed")
    server.log(f"indexed {state.root}: {result.files_total} files, {len(result.facts)} analysed "
               f"in {time.monotonic() - started:.2f}s", "info")
    for path in result.skipped_large:
        server.log(f"skipped {path}: larger than {state.settings.max_file_size_kb} KB", "info")
    pending, state.pending_disk = state.pending_disk, set()
    if pending:
        for path in sorted(pending):
            if server.documents.by_path(path) is None:
                state.refresh_disk_file(path)
    server.index_ready[state.uri].set()
    diag.refresh_all_open(server, state)
    diag.publish_workspace(server, state)
    diag.request_refresh(server)
    if cache is not None:
        await loop.run_in_executor(None, state.save_cache, cache)




# -- configuration --------------------------------------------------------------------------------

def reload_config(server: SsotLanguageServer, state: FolderState) -> bool:
    """Re-read the folder's configuration; on error keep the last good one. Returns success."""
    before = state.config.fingerprint() if state.config else None
    source_before = state.config.source if state.config else None
    baseline_before = state.baseline_stamp
    message = state.load_config()
    if message:
        server.show_once(message, types.MessageType.Error)
        return False
    if state.baseline_message:
        server.show_once(state.baseline_message, types.MessageType.Error)
    config = state.folder_config
    if config.fingerprint() != before or config.source != source_before:
        server.log(f"configuration of {state.root}: {config.source}", "info")
        start_indexing(server, state)
    elif state.baseline_stamp != baseline_before:
        diag.refresh_all_open(server, state)
        diag.publish_workspace(server, state)
        diag.request_refresh(server)
    return True


# -- disk changes ---------------------------------------------------------------------------------

def on_disk_changes(server: SsotLanguageServer, paths: list[str]) -> None:
    by_state: dict[str, tuple[FolderState, list[str]]] = {}
    for path in paths:
        for state in server.all_states():
            if state.contains(path) or path in state.config_files or path == state.baseline_path:
                by_state.setdefault(state.uri, (state, []))[1].append(path)
    for state, changed in by_state.values():
        if state.baseline_path and state.baseline_path in changed:
            state.baseline_message = state.load_baseline()
            if state.baseline_message:
                server.show_once(state.baseline_message, types.MessageType.Error)
            diag.refresh_all_open(server, state)
            diag.publish_workspace(server, state)
            diag.request_refresh(server)
        if any(os.path.basename(p) in CONFIG_NAMES or p in state.config_files for p in changed):
            if reload_config(server, state):
                continue
        python = [p for p in changed if p.endswith((".py", ".pyi"))]
        if not python:
            continue
        task = server.index_tasks.get(state.uri)
        if task is not None and not task.done():
            state.pending_disk.update(python)
            continue
        cross = False
        for path in python:
            if server.documents.by_path(path) is not None:
                continue  # the open buffer is the truth
            cross |= state.refresh_disk_file(path)
        if cross:
            diag.on_cross_file_change(server, state)
        else:
            diag.publish_workspace(server, state)
            diag.request_refresh(server)


async def register_watchers(server: SsotLanguageServer) -> bool:
    """Dynamic registration of file watchers; False when the client cannot do it."""
    if not server.cap("workspace.did_change_watched_files.dynamic_registration", False):
        return False
    watchers = [types.FileSystemWatcher(glob_pattern=glob) for glob in WATCH_GLOBS]
    for state in server.folders.values():
        baseline = state.baseline_path
        if baseline and not baseline.endswith(".ssot-baseline.json"):
            watchers.append(types.FileSystemWatcher(glob_pattern=baseline))
    try:
        await asyncio.wait_for(server.client_register_capability_async(types.RegistrationParams(registrations=[
            types.Registration(id=f"ssot-watch-{uuid.uuid4().hex[:8]}",
                               method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                               register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers)),
        ])), 10)
    except Exception as exc:  # noqa: BLE001
        server.log(f"file watcher registration failed ({exc}); polling instead", "warning")
        return False
    return True


# -- polling (clients without file watching) -----------------------------------------------------

def snapshot(roots: list[Path], extra: set[str]) -> dict[str, tuple[int, int]]:
    """mtime/size of every Python and config file under the roots (runs in a thread)."""
    found: dict[str, tuple[int, int]] = {}
    stack = [str(r) for r in roots]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    name = entry.name
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            if name not in POLL_SKIPPED and not name.startswith("."):
                                stack.append(entry.path)
                        elif name.endswith((".py", ".pyi")) or name in CONFIG_NAMES or entry.path in extra:
                            info = entry.stat(follow_symlinks=False)
                            found[entry.path] = (info.st_mtime_ns, info.st_size)
                    except OSError:
                        continue
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


async def poll(server: SsotLanguageServer) -> None:
    loop = asyncio.get_running_loop()
    previous: dict[str, tuple[int, int]] | None = None
    while not server.shutting_down:
        try:
            roots = [s.root for s in server.folders.values() if s.scannable]
            extra = {p for s in server.folders.values() for p in (s.baseline_path, *s.config_files) if p}
            current = await loop.run_in_executor(None, snapshot, roots, extra)
            if previous is not None:
                changed = [p for p in set(current) | set(previous) if current.get(p) != previous.get(p)]
                if changed:
                    on_disk_changes(server, sorted(changed))
            previous = current
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001
            server.log(f"polling failed: {exc}", "warning")
        await asyncio.sleep(POLL_SECONDS)
