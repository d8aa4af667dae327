"""Go to the canonical replacement of what a violation names.

jedi locates the canonical class in its module (static analysis of that one file, in-process;
the workspace's code never runs); the workspace index is the fallback when jedi cannot.
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from ssot_lsp.config.model import Group
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.text import Span
from ssot_lsp.lsp.convert import Json, LinesOf, location_json
from ssot_lsp.lsp.documents import Document
from ssot_lsp.lsp.hover import findings_at


def definition(doc: Document, position: types.Position, encoding: str, lines_of: LinesOf) -> list[Json]:
    folder = doc.folder
    locations: list[tuple[str, Span]] = []
    for violation in findings_at(doc, position, encoding):
        group = folder.config.group(violation.group) if violation.group and folder.config is not None else None
        if group is None:
            continue
        found = canonical_location(folder.index, group)
        if found is not None and found not in locations:
            locations.append(found)
    return [location_json(path, span, encoding, lines_of(path)) for path, span in locations]


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

