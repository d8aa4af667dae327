"""``workspace/executeCommand``: ssot.listViolations and ssot.reindex (ssot.fixAll: ``fix_all.py``;
ssot.fixFile: ``actions.py``)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from ssot_lsp.core.violations import Violation
from ssot_lsp.lsp.convert import Json, path_to_uri, range_json, read_text
from ssot_lsp.lsp.documents import LineIndex
from ssot_lsp.lsp.folder import Folder

if TYPE_CHECKING:
    from ssot_lsp.lsp.session import Session

LIST, FIX_ALL, REINDEX = "ssot.listViolations", "ssot.fixAll", "ssot.reindex"
FIX_FILE = "ssot.fixFile"  # one file's safe fixes, applied: the fix-all action of clients without resolveSupport
YIELD_EVERY = 50  # files between two looks at cancellation


def _reported(session: Session, folder: Folder, path: str) -> tuple[list[Violation], LineIndex | None]:
    """The reported violations of one file (its open buffer, else the disk) and its lines."""
    doc = session.documents.by_path(path)
    if doc is not None:
        session.ensure_current(doc)
        return doc.visible, doc.lines
    violations = folder.disk_violations(path)
    if not violations:
        return [], None
    text = read_text(path)
    if text is None:
        return [], None
    lines = LineIndex(text)
    return folder.visible(path, violations, lines), lines


async def list_violations(session: Session, scope_uri: str | None, msg_id: object) -> list[Json]:
    """Every reported violation of the workspace, or of the files under ``scope_uri``."""
    cancellations = session.client.cancellations
    await session.indexer.wait_for_index(msg_id)
    encoding = session.client.features.encoding
    scope = session.path_of(scope_uri) if scope_uri else None
    out: list[Json] = []
    for count, (folder, path) in enumerate(session.workspace_files(scope)):
        if count % YIELD_EVERY == YIELD_EVERY - 1:
            cancellations.check(msg_id)
            await asyncio.sleep(0)
        violations, lines = _reported(session, folder, path)
        if lines is None:
            continue
        uri = path_to_uri(path)
        out += [{"uri": uri, "path": path, "range": range_json(lines, v.span, encoding), "code": v.code,
                 "rule": v.rule, "message": v.message, "group": v.group, "severity": v.severity}
                for v in violations]
    cancellations.check(msg_id)
    return out


async def reindex(session: Session, msg_id: object) -> Json:
    """Rebuild every workspace folder's index; answers once all are built."""
    tasks = [task for task in map(session.indexer.start, session.folders.workspace()) if task is not None]
    for task in tasks:
        while not task.done():
            session.client.cancellations.check(msg_id)
            await asyncio.wait([task], timeout=0.05)
    return {"files": sum(len(folder.disk_facts) for folder in session.folders.workspace())}
