"""Go to the canonical replacement of what a violation names.

jedi locates the canonical class in its module (static analysis of that one file, in-process;
the workspace's code never runs); the workspace index is the fallback when jedi cannot.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from ssot_lsp.config.model import Group
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.text import Span
from ssot_lsp.lsp.convert import path_to_uri, to_range
from ssot_lsp.lsp.diagnostics import ensure_current, visible_violations
from ssot_lsp.lsp.documents import Document, LineIndex

if TYPE_CHECKING:
    from ssot_lsp.lsp.language_server import SsotLanguageServer


def definition(server: SsotLanguageServer, doc: Document, position: types.Position) -> list[types.Location]:
    ensure_current(server, doc)
    col = doc.lines.to_cp_col(position.line, position.character, server.encoding)
    here = (position.line, col)
    state = server.state_for(doc.path)
    locations = []
    for violation in visible_violations(server, doc):
        if not (violation.span.line, violation.span.col) <= here <= (violation.span.end_line, violation.span.end_col):
            continue
        group = state.folder_config.group(violation.group) if violation.group else None
        if group is None or state.index is None:
            continue
        found = canonical_location(state.index, group)
        if found is not None and found not in locations:
            locations.append(found)
    return [_location(server, path, span) for path, span in locations]


def canonical_location(index: WorkspaceIndex, group: Group) -> tuple[str, Span] | None:
    path = index.known_modules.get(group.canonical_module)
    if not path or not Path(path).is_file():
        return None
    try:
        import jedi

        for name in jedi.Script(path=path).get_names(all_scopes=False, definitions=True):
            if name.name == group.canonical_name and name.type == "class":
                line, column = name.line - 1, name.column  # jedi: 1-based line, code-point column
                return path, Span(line, column, line, column + len(name.name))
    except Exception:  # noqa: BLE001 - fall back to the index
        pass
    cls = index.class_fact(group.canonical_module, group.canonical_name)
    return (path, cls.span) if cls is not None else None


def _location(server: SsotLanguageServer, path: str, span: Span) -> types.Location:
    open_doc = server.document(path_to_uri(path))
    if open_doc is not None:
        lines = open_doc.lines
    else:
        try:
            lines = LineIndex(Path(path).read_text(encoding="utf-8", errors="replace"))
        except OSError:
            lines = LineIndex("")
    return types.Location(uri=path_to_uri(path), range=to_range(lines, span, server.encoding))
