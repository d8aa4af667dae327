"""Hover at a violation: what it is, why it breaks the single source of truth, and how to migrate."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from ssot_lsp.config.model import FactorySpec, Group
from ssot_lsp.core.rules.docs import page_uri
from ssot_lsp.core.rules.registry import RULES
from ssot_lsp.core.rules.rule import Rule
from ssot_lsp.core.violations import Violation
from ssot_lsp.lsp.convert import to_range
from ssot_lsp.lsp.diagnostics import ensure_current, visible_violations
from ssot_lsp.lsp.documents import Document
from ssot_lsp.lsp.state import FolderState

if TYPE_CHECKING:
    from ssot_lsp.lsp.language_server import SsotLanguageServer


def hover(server: SsotLanguageServer, doc: Document, position: types.Position) -> types.Hover | None:
    ensure_current(server, doc)
    lines = doc.lines
    col = lines.to_cp_col(position.line, position.character, server.encoding)
    here = (position.line, col)
    found = [v for v in visible_violations(server, doc) if (v.span.line, v.span.col) <= here <= (v.span.end_line, v.span.end_col)]
    if not found:
        return None
    state = server.state_for(doc.path)
    parts = [render(v, state.folder_config.group(v.group) if v.group else None) for v in found]
    docstring = canonical_docstring(state, found[0])
    if docstring:
        parts.append(docstring)
    first = found[0]
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)),
                       range=to_range(lines, first.span, server.encoding))


def render(violation: Violation, group: Group | None) -> str:
    """The hover text of one finding: its rule, message, why it matters and how to migrate."""
    rule = RULES.get(violation.code)
    if rule is None:
        return f"**{violation.code}**\n\n{violation.message}"
    out = [f"**{rule.code}** `{rule.name}` — {rule.summary}", "", violation.message, "", f"**Why:** {rule.why}"]
    if group is not None:
        out += ["", f"**Canonical:** `{group.canonical_name}` from `{group.canonical_module}`"]
        snippet = migration_snippet(rule, group)
        if snippet:
            out += ["", "**Migration:**", "", "```python", snippet, "```"]
    manual = violation.payload.manual_text()
    if manual:
        out += ["", f"**Manual migration:** {manual}"]
    out += ["", f"[Rule documentation]({page_uri(rule)}) · `ssot-lsp rule {rule.code}`"]
    return "\n".join(out)


def migration_snippet(rule: Rule, group: Group) -> str | None:
    """The rule's preferred migration (``Rule.migration``) that the group can show."""
    for kind in rule.migration:
        if kind == "factory" and group.factory is not None:
            return _factory_snippet(group, group.factory)
        if kind == "import":
            return f"from {group.canonical_module} import {group.canonical_name}"
    return None


def _factory_snippet(group: Group, factory: FactorySpec) -> str:
    lines: list[str] = []
    for item in factory.imports:
        module, _, name = item.partition(":")
        lines.append(f"from {module} import {name}" if name else f"import {module}")
    create = factory.create.replace("{context}", "user_context")
    lines += ["", f"engine = {create}" if group.name == "engine" else f"instance = {create}"]
    if factory.scope:
        lines += ["", "# or, scoped to the request:",
                  f"async with {factory.scope.replace('{context}', 'user_context')} as instance:", "    ..."]
    return "\n".join(lines).strip()


def canonical_docstring(state: FolderState, violation: Violation) -> str | None:
    """The canonical class's docstring via jedi (static analysis only; never on didChange)."""
    group = state.folder_config.group(violation.group) if violation.group else None
    if group is None or state.index is None:
        return None
    path = state.index.known_modules.get(group.canonical_module)
    if not path or not Path(path).is_file():
        return None
    try:
        import jedi

        for name in jedi.Script(path=path).get_names(all_scopes=False, definitions=True):
            if name.name == group.canonical_name and name.type == "class":
                doc = name.docstring(raw=True).strip()
                return f"**{group.canonical_name}:** {doc}" if doc else None
    except Exception:  # noqa: BLE001 - documentation is a nicety
        return None
    return None
