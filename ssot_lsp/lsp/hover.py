"""Hover at a violation: what it is, why it breaks the single source of truth, and how to migrate."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from ssot_lsp.config.model import Group
from ssot_lsp.core.codes import RULES
from ssot_lsp.core.violations import Violation
from ssot_lsp.lsp.convert import to_range
from ssot_lsp.lsp.diagnostics import ensure_current, visible_violations
from ssot_lsp.lsp.documents import Document

WHY = {
    "SSOT001": "Importing the legacy implementation keeps it alive and lets new code depend on it; "
               "every import is another place the migration has to touch.",
    "SSOT002": "Each construction of a legacy class creates state outside the canonical implementation "
               "(for engines: shared instead of per-user), so behaviour depends on which path a request took.",
    "SSOT003": "The canonical class is meant to be created only through its factory, which supplies the "
               "per-user context and wiring; constructing it directly bypasses that isolation.",
    "SSOT004": "A second class implementing the same concept splits the source of truth: fixes land in "
               "one copy and not the other.",
    "SSOT005": "Two classes with the canonical name make imports ambiguous; which one a module gets "
               "depends on where it imports from.",
    "SSOT006": "Delivering events outside the canonical emitter duplicates the event path, so events "
               "can be sent twice or skip the canonical ordering and filtering.",
    "SSOT007": "A string naming a legacy module or symbol (import_module, patch) is invisible to "
               "imports-based tooling and keeps the legacy path reachable.",
    "SSOT008": "An alias that gives a legacy symbol the canonical name (or the reverse) hides what is "
               "really used and makes the code look migrated when it is not.",
    "SSOT009": "The file does not parse, so it cannot be checked.",
    "SSOT010": "A suppression that suppresses nothing hides future violations on that line.",
}


def hover(server, doc: Document, position: types.Position) -> types.Hover | None:
    ensure_current(server, doc)
    lines = doc.lines
    col = lines.to_cp_col(position.line, position.character, server.encoding)
    here = (position.line, col)
    found = [v for v in visible_violations(server, doc) if (v.span.line, v.span.col) <= here <= (v.span.end_line, v.span.end_col)]
    if not found:
        return None
    state = server.state_for(doc.path)
    parts = [render(v, state.config.group(v.group) if v.group else None) for v in found]
    docstring = canonical_docstring(state, found[0])
    if docstring:
        parts.append(docstring)
    first = found[0]
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)),
                       range=to_range(lines, first.span, server.encoding))


def render(violation: Violation, group: Group | None) -> str:
    info = RULES.get(violation.code)
    title = f"**{violation.code}** `{info.name}`" if info else f"**{violation.code}**"
    out = [f"{title} — {info.summary if info else ''}".rstrip(" —"), "", violation.message]
    why = WHY.get(violation.code)
    if why:
        out += ["", f"**Why:** {why}"]
    if group is not None:
        out += ["", f"**Canonical:** `{group.canonical_name}` from `{group.canonical_module}`"]
        snippet = migration_snippet(violation, group)
        if snippet:
            out += ["", "**Migration:**", "", "```python", snippet, "```"]
    manual = violation.data.get("manual") if isinstance(violation.data, dict) else None
    if manual:
        out += ["", f"**Manual migration:** {manual}"]
    if info:
        out += ["", f"[Rule documentation]({info.docs_url})"]
    return "\n".join(out)


def migration_snippet(violation: Violation, group: Group) -> str | None:
    data = violation.data if isinstance(violation.data, dict) else {}
    kind = data.get("kind")
    lines: list[str] = []
    factory = group.factory
    if factory is not None and kind in ("import", "construction", "bypass", "alias", "string", None):
        for item in factory.imports:
            module, _, name = item.partition(":")
            lines.append(f"from {module} import {name}" if name else f"import {module}")
        create = factory.create.replace("{context}", "user_context")
        lines += ["", f"engine = {create}" if group.name == "engine" else f"instance = {create}"]
        if factory.scope:
            lines += ["", "# or, scoped to the request:",
                      f"async with {factory.scope.replace('{context}', 'user_context')} as instance:", "    ..."]
        return "\n".join(lines).strip()
    if kind in ("import", "alias", "string") or kind == "definition":
        return f"from {group.canonical_module} import {group.canonical_name}"
    return None


def canonical_docstring(state, violation: Violation) -> str | None:
    """The canonical class's docstring via jedi (static analysis only; never on didChange)."""
    group = state.config.group(violation.group) if violation.group else None
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
