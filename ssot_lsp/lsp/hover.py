"""Hover at a violation: what it is, why it breaks the single source of truth, and how to migrate."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from ssot_lsp.config.model import REPLACEMENT_NONE, FactorySpec, Group
from ssot_lsp.core.rules.docs import page_uri
from ssot_lsp.core.rules.registry import RULES
from ssot_lsp.core.rules.rule import Rule
from ssot_lsp.core.violations import Violation
from ssot_lsp.lsp.convert import Json, range_json
from ssot_lsp.lsp.documents import Document
from ssot_lsp.lsp.folder import Folder


def findings_at(doc: Document, position: types.Position, encoding: str) -> list[Violation]:
    """The reported findings whose range contains the position (the document must be current)."""
    col = doc.lines.to_cp_col(position.line, position.character, encoding)
    here = (position.line, col)
    return [v for v in doc.visible if (v.span.line, v.span.col) <= here <= (v.span.end_line, v.span.end_col)]


def hover(doc: Document, position: types.Position, encoding: str) -> Json | None:
    found = findings_at(doc, position, encoding)
    if not found:
        return None
    folder = doc.folder
    parts = [render(v, _group(folder, v)) for v in found]
    docstring = canonical_docstring(folder, found[0])
    if docstring:
        parts.append(docstring)
    return {"contents": {"kind": types.MarkupKind.Markdown.value, "value": "\n\n---\n\n".join(parts)},
            "range": range_json(doc.lines, found[0].span, encoding)}


def _group(folder: Folder, violation: Violation) -> Group | None:
    return folder.config.group(violation.group) if violation.group and folder.config is not None else None


def render(violation: Violation, group: Group | None) -> str:
    """The hover text of one finding: its rule, message, why it matters and how to migrate."""
    rule = RULES.get(violation.code)
    if rule is None:
        return f"**{violation.code}**\n\n{violation.message}"
    out = [f"**{rule.code}** `{rule.name}` — {rule.summary}", "", violation.message, "", f"**Why:** {rule.why}"]
    replacement = violation.payload.migrates_to()  # the group's `replacements` for this symbol
    if group is not None and replacement == REPLACEMENT_NONE:
        out += ["", '**Replacement:** none configured (`replacements`: "none"): migrate by hand']
    elif group is not None and replacement and replacement != group.canonical:
        module, _, name = replacement.partition(":")
        out += ["", f"**Replacement:** `{name}` from `{module}`", "", "```python", f"from {module} import {name}", "```"]
    elif group is not None:
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


def canonical_docstring(folder: Folder, violation: Violation) -> str | None:
    """The canonical class's docstring via jedi (static analysis only; never on didChange)."""
    group = _group(folder, violation)
    if group is None:
        return None
    path = folder.index.known_modules.get(group.canonical_module)
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
