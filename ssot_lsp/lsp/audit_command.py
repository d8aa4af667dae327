"""``ssot.audit``: the audit report (``ssot-lsp audit --format json``) of one workspace folder.

Argument (optional): ``{"uri": <a file or folder URI>, "depth": <directory levels>, "format": "html"}``
— the report of the workspace folder containing ``uri`` (default: the first folder); with
``"format": "html"`` the answer is ``{"kind": "audit-html", "html": <the page audit --format html
writes>}`` (what the VS Code extension shows in a webview: one renderer for both). Open buffers count as they are,
other files as on disk; every finding counts, baselined or not, and with a baseline each is told new
or remaining as ``check`` would. A folder without a usable configuration answers
``{"kind": "audit-unavailable", "message": ...}``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ssot_lsp.audit.document import Meta
from ssot_lsp.audit.live import live_report
from ssot_lsp.core.violations import Violation
from ssot_lsp.lsp.convert import Json, read_text
from ssot_lsp.lsp.documents import LineIndex

if TYPE_CHECKING:
    from ssot_lsp.lsp.folder import Folder
    from ssot_lsp.lsp.session import Session

AUDIT = "ssot.audit"


async def audit_report(session: Session, uri: str | None, depth: int, html: bool, msg_id: object) -> Json:
    await session.indexer.wait_for_index(msg_id)
    path = session.path_of(uri) if uri else None
    folders = session.folders.workspace()
    folder = session.folders.workspace_folder_for(path) if path else (folders[0] if folders else None)
    if folder is None:
        return _unavailable(f"no workspace folder contains {uri}" if uri else "no workspace folder is open")
    if folder.config is None or folder.workspace is None:
        return _unavailable(f"{folder.root}: {folder.config_error or 'no configuration loaded'}")
    violations, lines = _findings(session, folder)
    session.client.cancellations.check(msg_id)
    workspace, files = folder.workspace, len(folder.workspace_files())
    meta = Meta(root=str(folder.root), configuration=folder.config.source, files_total=files, files_analysed=files)

    def line_text(file: str, line: int) -> str:
        index = lines.get(file)
        if index is None:
            text = read_text(file)
            index = lines[file] = LineIndex(text or "")
        return index.line(line)

    report = live_report(violations, folder.config, lambda p: workspace.relpath(Path(p)),
                         set(folder.index.known_modules), meta, depth=depth, baseline=folder.baseline,
                         baseline_source=_shown(folder, folder.baseline_path), line_text=line_text)
    if not html:
        return report
    from ssot_lsp.audit.render.html import render_html

    return {"kind": "audit-html", "html": render_html(report)}


def _shown(folder: Folder, path: str | None) -> str:
    """A path as the CLI shows it: relative to the folder's root when under it."""
    if path is None:
        return ""
    try:
        return Path(path).relative_to(folder.root).as_posix()
    except ValueError:
        return path


def _findings(session: Session, folder: Folder) -> tuple[list[Violation], dict[str, LineIndex]]:
    """Every finding of the folder's files (open buffers as they are), and the lines of those open."""
    violations: list[Violation] = []
    lines: dict[str, LineIndex] = {}
    for owner, path in session.workspace_files():
        if owner is not folder:
            continue
        doc = session.documents.by_path(path)
        if doc is None:
            violations += folder.disk_violations(path)
            continue
        session.ensure_current(doc)
        if doc.analysis is not None:
            violations += doc.analysis.violations
            lines[path] = doc.lines
    violations.sort(key=Violation.sort_key)
    return violations, lines


def _unavailable(message: str) -> Json:
    return {"kind": "audit-unavailable", "message": message}
