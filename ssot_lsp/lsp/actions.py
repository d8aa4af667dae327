"""Code actions: verified quick fixes, fix-all for the file, and suppression comments.

Fixes come from ``ssot_lsp.fixes.api`` (imported lazily: without it there are simply no fix
actions). They are computed only when the client asks for actions in a range, never on
didChange. Fix-all and suppressions defer their edits to ``codeAction/resolve`` when the client
can resolve edits.
"""

from __future__ import annotations

import re
from types import ModuleType
from typing import TYPE_CHECKING

from lsprotocol import types

from ssot_lsp.core.facts import extract_facts
from ssot_lsp.core.rules.syntax_error import is_syntax_error
from ssot_lsp.core.text import Span
from ssot_lsp.core.violations import Violation
from ssot_lsp.lsp.convert import (
    SOURCE,
    simple_edits,
    text_edits,
    to_diagnostic,
    violation_from_data,
)
from ssot_lsp.lsp.diagnostics import LinesCache, visible_violations
from ssot_lsp.lsp.documents import Document, LineIndex

if TYPE_CHECKING:
    from ssot_lsp.lsp.language_server import SsotLanguageServer

FIX_ALL_KIND = "source.fixAll.ssot"
_EXISTING = re.compile(r"#\s*ssot:\s*ignore\[([^\]]*)\]", re.IGNORECASE)


def fixes_api() -> ModuleType:
    """The fixes API, imported on first use: it loads libcst, which only code actions need."""
    from ssot_lsp.fixes import api

    return api


def _wants(only: list[str] | None, kind: str) -> bool:
    if not only:
        return True
    return any(kind == k or kind.startswith(f"{k}.") for k in only)


def code_actions(server: SsotLanguageServer, doc: Document, params: types.CodeActionParams) -> list[types.CodeAction]:
    context = params.context
    ours = [d for d in context.diagnostics if d.source == SOURCE]
    # a request about a stale version answers nothing
    for diagnostic in ours:
        data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
        if data.get("version") != doc.version:
            return []
    if doc.dirty or doc.analysed_version != doc.version:
        if ours:
            return []
        from ssot_lsp.lsp.diagnostics import ensure_current

        ensure_current(server, doc)
    if not server.state_for(doc.path).may_write(doc.path):
        return []  # a symlink to a file outside the workspace: no edit may be offered
    violations = _violations_for(server, doc, params.range, ours)
    only = [str(getattr(k, "value", k)) for k in context.only] if context.only else None
    actions: list[types.CodeAction] = []
    can_resolve = "edit" in (server.cap("text_document.code_action.resolve_support.properties", []) or [])
    if violations and _wants(only, "quickfix"):
        wanted = {_key(v) for v in violations}
        for outcome in file_fixes(server, doc):
            if not outcome.new_text or _key(outcome.violation) not in wanted:
                continue
            edit = document_edit(server, doc, edits_between(doc.text, outcome.new_text, doc.lines, server.encoding))
            actions.append(types.CodeAction(
                title=outcome.title, kind=types.CodeActionKind.QuickFix,
                diagnostics=[_diagnostic(server, doc, outcome.violation, ours)],
                is_preferred=True if outcome.safe else None, edit=edit))
        for violation in violations:
            if is_syntax_error(violation):
                continue
            data = {"kind": "suppress", "uri": doc.uri, "version": doc.version, "code": violation.code,
                    "span": [violation.span.line, violation.span.col, violation.span.end_line, violation.span.end_col],
                    "stmtLine": violation.stmt_line}
            action = types.CodeAction(title=f"Suppress {violation.code} on this line", kind=types.CodeActionKind.QuickFix,
                                      diagnostics=[_diagnostic(server, doc, violation, ours)], data=data)
            if not can_resolve:
                action = resolve(server, action)
            actions.append(action)
    if _wants(only, FIX_ALL_KIND) and (only is not None or doc.violations):
        if any(not is_syntax_error(v) for v in doc.violations):
            fix_all = types.CodeAction(title="SSOT: fix all safe issues in this file", kind=FIX_ALL_KIND,
                                       data={"kind": "fixAll", "uri": doc.uri, "version": doc.version})
            if not can_resolve:
                fix_all = resolve(server, fix_all)
            if can_resolve or fix_all.edit is not None:
                actions.append(fix_all)
    return actions


def _key(violation: Violation) -> tuple:
    return (violation.code, violation.span.line, violation.span.col, violation.symbol)


def file_fixes(server: SsotLanguageServer, doc: Document) -> list:
    """Verified fixes of every violation in the document (fixes of one site may need the others),
    computed once per document version and only when code actions are requested."""
    cached = getattr(doc, "fix_cache", None)
    if cached is not None and cached[0] == doc.version and cached[1] is doc.text:
        return cached[2]
    api = fixes_api()
    outcomes = []
    fixable = [v for v in doc.violations if not is_syntax_error(v)]
    if fixable and doc.facts is not None and doc.facts.parsed:
        state = server.state_for(doc.path)
        try:
            outcomes = list(api.fixes_for(doc.text, doc.path, fixable, state.index, state.config))
        except Exception as exc:  # noqa: BLE001
            server.log(f"fixes_for failed for {doc.path}: {exc}", "error")
    doc.fix_cache = (doc.version, doc.text, outcomes)
    return outcomes


def _violations_for(server: SsotLanguageServer, doc: Document, rng: types.Range,
                    ours: list[types.Diagnostic]) -> list[Violation]:
    enc = server.encoding
    lines = doc.lines
    start = (rng.start.line, lines.to_cp_col(rng.start.line, rng.start.character, enc))
    end = (rng.end.line, lines.to_cp_col(rng.end.line, rng.end.character, enc))
    fingerprints = {d.data.get("fingerprint") for d in ours if isinstance(d.data, dict)}
    found = []
    for violation in visible_violations(server, doc):
        fp = violation.fingerprint(lines.line(violation.span.line))
        overlaps = (violation.span.line, violation.span.col) <= end and start <= (violation.span.end_line,
                                                                                  violation.span.end_col)
        if fp in fingerprints or (not ours and overlaps):
            found.append(violation)
    if not found and ours:  # rebuild from the diagnostics' data (no re-analysis)
        for diagnostic in ours:
            rebuilt = violation_from_data(diagnostic, doc.path)
            if rebuilt is not None:
                found.append(rebuilt)
    return found


def _diagnostic(server: SsotLanguageServer, doc: Document, violation: Violation,
                ours: list[types.Diagnostic]) -> types.Diagnostic:
    fp = violation.fingerprint(doc.lines.line(violation.span.line))
    for diagnostic in ours:
        if isinstance(diagnostic.data, dict) and diagnostic.data.get("fingerprint") == fp:
            return diagnostic
    return to_diagnostic(violation, doc.lines, server.encoding, doc.version, LinesCache(server))


def edits_between(old: str, new: str, lines: LineIndex, encoding: str) -> list[types.TextEdit]:
    try:
        raw = fixes_api().minimal_edits(old, new)
    except Exception:  # noqa: BLE001 - a failing differ still gives one correct, coarser edit
        raw = simple_edits(old, new)
    return text_edits(lines, list(raw), encoding)


def document_edit(server: SsotLanguageServer, doc: Document, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
    if server.cap("workspace.workspace_edit.document_changes", False):
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version),
            edits=edits)])
    return types.WorkspaceEdit(changes={doc.uri: edits})


# -- resolve -----------------------------------------------------------------------------------------

def resolve(server: SsotLanguageServer, action: types.CodeAction) -> types.CodeAction:
    data = action.data if isinstance(action.data, dict) else {}
    doc = server.document(data.get("uri", ""))
    if doc is None or data.get("version") != doc.version:
        return action
    if data.get("kind") == "fixAll":
        state = server.state_for(doc.path)
        result = fixes_api().fix_all(doc.text, doc.path, state.index, state.config)
        if result.new_text and result.new_text != doc.text:
            action.edit = document_edit(server, doc, edits_between(doc.text, result.new_text, doc.lines,
                                                                     server.encoding))
    elif data.get("kind") == "suppress":
        new_text = suppressed_text(server, doc, data["code"], Span(*data["span"]), int(data.get("stmtLine", 0)))
        if new_text is not None:
            action.edit = document_edit(server, doc, edits_between(doc.text, new_text, doc.lines, server.encoding))
    return action


def suppressed_text(server: SsotLanguageServer, doc: Document, code: str, span: Span, stmt_line: int) -> str | None:
    """The text with a ``# ssot: ignore[CODE]`` that really suppresses the violation (verified)."""
    state = server.state_for(doc.path)
    module, is_package = state.module_of(doc.path)
    for line in dict.fromkeys((stmt_line, span.line)):
        candidate = _with_comment(doc.lines, line, code)
        if candidate is None:
            continue
        facts = extract_facts(candidate, doc.path, module, is_package)
        if facts.parsed and any(s.line == line and (s.codes is None or code in s.codes) for s in facts.suppressions):
            return candidate
    return None


def _with_comment(lines: LineIndex, line: int, code: str) -> str | None:
    if line >= lines.line_count():
        return None
    content = lines.line(line)
    start = lines.offsets[line]
    existing = _EXISTING.search(content)
    if existing is not None:
        codes = [c.strip() for c in existing.group(1).split(",") if c.strip()]
        if code in codes:
            return None
        codes.append(code)
        replacement = f"# ssot: ignore[{', '.join(codes)}]"
        new_line = content[:existing.start()] + replacement + content[existing.end():]
    else:
        stripped = content.rstrip()
        new_line = f"{stripped}  # ssot: ignore[{code}]" + content[len(stripped):]
    text = lines.text
    return text[:start] + new_line + text[start + len(content):]
