"""Hover at a violation: which rule, why it matters, how to migrate, and where to read more.

Short enough to read without scrolling, and without the finding's message: editors show the
diagnostic (message and code) right above a hover at its range (VS Code in the same box, Neovim
in its diagnostic float), so repeating it here showed it twice. Then the rule's *why*, the
migration snippet (or the replacement), the first paragraph of the canonical class's docstring,
and a link to the rule page
(``rule_link``: the configured ``docs-base-url``, else the page shipped in the package). The
docstring is read with ``ast`` from the canonical module and cached per file version, so only the
first hover pays for parsing it.
"""

from __future__ import annotations

import ast
import inspect
import os
from functools import lru_cache
from pathlib import Path

from lsprotocol import types

from ssot_lsp.config.model import REPLACEMENT_NONE, FactorySpec, Group
from ssot_lsp.core.rules.docs import rule_link
from ssot_lsp.core.rules.registry import RULES
from ssot_lsp.core.rules.rule import Rule
from ssot_lsp.core.violations import Violation
from ssot_lsp.lsp.convert import Json, range_json
from ssot_lsp.lsp.documents import Document
from ssot_lsp.lsp.folder import Folder

DOCSTRING_LIMIT = 400  # characters of the docstring's first paragraph shown at most


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
    group = _group(folder, found[0])
    migrates_to = found[0].payload.migrates_to()
    to_canonical = group is not None and migrates_to in (None, "", group.canonical)
    docstring = canonical_docstring(folder, found[0]) if to_canonical else None
    parts = [render(v, _group(folder, v), folder.docs_base_url, docstring if n == 0 else None)
             for n, v in enumerate(found)]
    return {"contents": {"kind": types.MarkupKind.Markdown.value, "value": "\n\n---\n\n".join(parts)},
            "range": range_json(doc.lines, found[0].span, encoding)}


def _group(folder: Folder, violation: Violation) -> Group | None:
    return folder.config.group(violation.group) if violation.group and folder.config is not None else None


def render(violation: Violation, group: Group | None, docs_base_url: str | None = None,
           docstring: str | None = None) -> str:
    """The hover text of one finding: its rule, why it matters, how to migrate (and what the
    canonical class is: ``docstring``), the rule page."""
    rule = RULES.get(violation.code)
    if rule is None:
        return f"**{violation.code}** {violation.message}"
    summary = rule.summary[:1].lower() + rule.summary[1:]
    out = [f"**{rule.code}** `{rule.name}`: {summary}", "", f"**Why:** {rule.why}"]
    out += _migration(violation, rule, group)
    manual = violation.payload.manual_text()
    if manual:
        out += ["", f"**By hand:** {manual}"]
    if docstring:
        out += ["", docstring]
    out += ["", f"[{rule.code} `{rule.name}`]({rule_link(rule, docs_base_url)}) · `ssot-lsp rule {rule.code}`"]
    return "\n".join(out)


def _migration(violation: Violation, rule: Rule, group: Group | None) -> list[str]:
    if group is None:
        return []
    replacement = violation.payload.migrates_to()  # the group's `replacements` for this symbol
    if replacement == REPLACEMENT_NONE:
        return ["", '**Migration:** by hand (the configured replacement is "none")']
    if replacement and replacement != group.canonical:
        module, _, name = replacement.partition(":")
        return ["", "**Migration:**", "", "```python", f"from {module} import {name}", "```"]
    snippet = migration_snippet(rule, group)
    if snippet:
        return ["", "**Migration:**", "", "```python", snippet, "```"]
    return ["", f"**Migration:** use `{group.canonical_name}` from `{group.canonical_module}`"]


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
    """The first paragraph of the canonical class's docstring (static: the module is parsed, never run)."""
    group = _group(folder, violation)
    if group is None:
        return None
    path = folder.index.known_modules.get(group.canonical_module)
    if not path:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    text = _class_docstring(path, stat.st_mtime_ns, stat.st_size, group.canonical_name)
    return f"**{group.canonical_name}:** {text}" if text else None


@lru_cache(maxsize=32)
def _class_docstring(path: str, mtime_ns: int, size: int, name: str) -> str | None:
    """Cached per file version (``mtime_ns``, ``size``)."""
    try:
        tree = ast.parse(Path(path).read_bytes())
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            doc = ast.get_docstring(node, clean=False)
            return _first_paragraph(doc) if doc else None
    return None


def _first_paragraph(doc: str) -> str | None:
    paragraph = inspect.cleandoc(doc).split("\n\n", 1)[0]
    text = " ".join(line.strip() for line in paragraph.splitlines()).strip()
    if len(text) > DOCSTRING_LIMIT:
        text = text[:DOCSTRING_LIMIT].rsplit(" ", 1)[0] + " …"
    return text or None
