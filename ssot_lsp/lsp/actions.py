"""Code actions: verified quick fixes, suppression comments, and fix-all for the file.

A request names diagnostics the client holds; each is matched to a current finding by identity
(range, code and payload: ``convert.diagnostic_key``), never by fingerprint alone (two identical
lines share a fingerprint) and never by the version in its data (a finding that did not move
after an edit is the same finding, and keeps its actions). Diagnostics that match nothing are
from a view of the file that no longer exists: a request with only such diagnostics gets no
actions. Without diagnostics, the findings under the requested range are used.

Suppressions and fix-all defer their edits to ``codeAction/resolve`` when the client can resolve
edits; an action is resolved only for the document version it was made for.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.protocol import default_converter

from ssot_lsp.core.rules.syntax_error import is_syntax_error
from ssot_lsp.core.text import Span
from ssot_lsp.core.violations import Violation
from ssot_lsp.lsp.convert import (
    SOURCE,
    diagnostic_json,
    key_of_client_diagnostic,
    key_of_json,
    path_to_uri,
    text_edits,
    workspace_edit,
)
from ssot_lsp.lsp.commands import FIX_FILE
from ssot_lsp.lsp.documents import Document, LineIndex
from ssot_lsp.lsp.quick_fixes import Edit, FixCache, OtherEdit, fixes_api, minimal_edits
from ssot_lsp.lsp.suppressing import suppresses

if TYPE_CHECKING:
    from ssot_lsp.lsp.session import Session

FIX_ALL_KIND = "source.fixAll.ssot"
FIX_ALL_TITLE = "SSOT: fix all safe issues in this file"
NO_FIX_PREFIX = "no quick fix: "
_EXISTING = re.compile(r"#\s*ssot:\s*ignore\[([^\]]*)\]", re.IGNORECASE)
_CONVERTER = default_converter()

Match = tuple[types.Diagnostic, Violation]


def _wants(only: list[str] | None, kind: str) -> bool:
    return not only or any(kind == k or kind.startswith(f"{k}.") for k in only)


class CodeActions:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.fix_caches: dict[str, FixCache] = {}  # uri -> quick fixes of its current version

    def forget(self, uri: str) -> None:
        self.fix_caches.pop(uri, None)

    def actions(self, doc: Document, rng: types.Range, diagnostics: list[types.Diagnostic],
                only: list[str] | None) -> list[types.CodeAction]:
        self.session.ensure_current(doc)
        if not doc.folder.may_write(doc.path):
            return []  # a symlink to a file outside the workspace: no edit may be offered
        ours = [d for d in diagnostics if d.source == SOURCE]
        matches = self._matches(doc, ours) if ours else self._under(doc, rng)
        if ours and not matches:
            return []  # every diagnostic named is from an older view of the file
        actions: list[types.CodeAction] = []
        if _wants(only, types.CodeActionKind.QuickFix):
            no_fix: dict[int, str] = {}
            actions += self._quick_fixes(doc, matches, no_fix)
            actions += self._suppressions(doc, matches, no_fix)
        if _wants(only, FIX_ALL_KIND) and (only is not None or doc.visible):
            fix_all = self._fix_all(doc)
            if fix_all is not None:
                actions.append(fix_all)
        return _unique_titles(actions)

    # -- which findings ---------------------------------------------------------------------------
    def _matches(self, doc: Document, ours: list[types.Diagnostic]) -> list[Match]:
        """The client's diagnostics that are current findings, each with its finding."""
        encoding = self.session.client.features.encoding
        wanted = {key_of_client_diagnostic(d): d for d in ours}
        ranges = {key[:4] for key in wanted}
        found: list[Match] = []
        for violation in doc.visible:
            if doc.lines.lsp_range(violation.span, encoding) not in ranges:
                continue
            key = key_of_json(diagnostic_json(violation, doc.lines, encoding, doc.version))
            diagnostic = wanted.pop(key, None)
            if diagnostic is not None:
                found.append((diagnostic, violation))
        return found

    def _under(self, doc: Document, rng: types.Range) -> list[Match]:
        """No diagnostics named: the findings overlapping the range, with their diagnostics."""
        encoding = self.session.client.features.encoding
        lines = doc.lines
        start = (rng.start.line, lines.to_cp_col(rng.start.line, rng.start.character, encoding))
        end = (rng.end.line, lines.to_cp_col(rng.end.line, rng.end.character, encoding))
        lines_of = self.session.lines_of()
        found: list[Match] = []
        for violation in doc.visible:
            span = violation.span
            if (span.line, span.col) <= end and start <= (span.end_line, span.end_col):
                wire = diagnostic_json(violation, lines, encoding, doc.version, lines_of, doc.folder.docs_base_url)
                found.append((_CONVERTER.structure(wire, types.Diagnostic), violation))
        return found

    # -- actions ------------------------------------------------------------------------------------
    def _quick_fixes(self, doc: Document, matches: list[Match],
                     no_fix: dict[int, str]) -> list[types.CodeAction]:
        """Verified fixes; for a finding without one, why (``no_fix``, by ``id`` of the finding),
        and a disabled action saying it where the client can show one."""
        cache = self.fix_caches.get(doc.uri)
        if cache is None or not cache.is_for(doc):
            cache = self.fix_caches[doc.uri] = FixCache(doc, self._open_text)
        actions = []
        for diagnostic, violation in matches:
            if is_syntax_error(violation):
                continue
            try:
                _share_parse(doc)
                fix = cache.fix(doc, violation)
            except ImportError as exc:
                # a broken installation, not one broken fix: tell the user, and fail the request loudly
                self.session.client.show_once(f"ssot-lsp cannot load its fixes ({exc}); reinstall it",
                                              types.MessageType.Error)
                raise
            except Exception as exc:  # noqa: BLE001 - no quick fix rather than no actions at all
                self.session.client.log(f"quick fix of {violation.code} in {doc.path} failed: {exc}", "error")
                continue
            if fix.others and not self.session.client.features.document_changes:
                fix = replace(fix, edits=None, reason="the fix edits several files, which needs a client that "
                              "applies versioned edits (workspace.workspaceEdit.documentChanges)")
            if fix.edits is None:
                if fix.reason:
                    self.session.client.log(f"no quick fix for {violation.code} at {doc.path}:"
                                            f"{violation.span.line + 1}: {fix.reason}", "debug")
                    no_fix[id(violation)] = fix.reason
                    if self.session.client.features.disabled_actions:
                        actions.append(_without_fix(diagnostic, violation, fix.title, fix.reason))
                continue
            actions.append(types.CodeAction(
                title=fix.title, kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic],
                is_preferred=True if fix.safe else None, edit=self._edit(doc, fix.edits, fix.others)))
        return actions

    def _open_text(self, path: str) -> tuple[str, int | None] | None:
        other = self.session.documents.by_path(path)
        return (other.text, other.version) if other is not None else None

    def _suppressions(self, doc: Document, matches: list[Match], no_fix: dict[int, str]) -> list[types.CodeAction]:
        """One "Suppress CODE on this line" per code and line, for all its diagnostics there. A
        client that cannot show disabled actions reads why there is no fix in the title."""
        by_line: dict[tuple[str, int], list[Match]] = {}
        for diagnostic, violation in matches:
            if not is_syntax_error(violation):
                by_line.setdefault((violation.code, violation.stmt_line), []).append((diagnostic, violation))
        actions = []
        for (code, _), group in by_line.items():
            violation = group[0][1]
            data = {"kind": "suppress", "uri": doc.uri, "version": doc.version, "code": code,
                    "span": [violation.span.line, violation.span.col, violation.span.end_line,
                             violation.span.end_col],
                    "stmtLine": violation.stmt_line}
            title = f"Suppress {code} on this line"
            reason = next((no_fix[id(v)] for _, v in group if id(v) in no_fix), None)
            if reason is not None and not self.session.client.features.disabled_actions:
                title = f"{title} ({NO_FIX_PREFIX}{reason})"
            action = types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix,
                                      diagnostics=[d for d, _ in group], data=data)
            actions.append(action if self.session.client.features.resolve_edits else self.resolve(action))
        return actions

    def _fix_all(self, doc: Document) -> types.CodeAction | None:
        analysis = doc.analysis
        if analysis is None or not any(not is_syntax_error(v) for v in analysis.violations):
            return None
        data = {"kind": "fixAll", "uri": doc.uri, "version": doc.version}
        if self.session.client.features.resolve_edits:
            return types.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL_KIND, data=data)
        # a client that cannot resolve edits gets a command: fixing a whole file takes seconds on a
        # big one, which no code-action answer may wait for; chosen, it computes and applies the edit
        return types.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL_KIND,
                                command=types.Command(title=FIX_ALL_TITLE, command=FIX_FILE, arguments=[data]))

    def _edit(self, doc: Document, edits: list[Edit], others: tuple[OtherEdit, ...] = ()) -> types.WorkspaceEdit:
        """One edit of the document (and, for a cross-file fix, of the other files, each open one
        with its version so that the client refuses the edit when it changed)."""
        client = self.session.client
        encoding = client.features.encoding
        changes = {doc.uri: (doc.version, text_edits(doc.lines, edits, encoding))}
        for path, version, text, other_edits in others:
            changes[path_to_uri(path)] = (version, text_edits(LineIndex(text), other_edits, encoding))
        return workspace_edit(changes, client.features.document_changes)

    async def fix_file(self, uri: str, version: int | None) -> bool:
        """``ssot.fixFile``: the file's safe fixes applied through ``workspace/applyEdit`` (the
        fix-all action of clients without resolveSupport); False when nothing was applied."""
        action = self.resolve(types.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL_KIND,
                                               data={"kind": "fixAll", "uri": uri, "version": version}))
        if action.edit is None:
            return False
        applied, reason = await self.session.client.apply_edit(action.edit, FIX_ALL_TITLE)
        if not applied:
            self.session.client.log(f"fix all of {uri} was not applied: {reason}", "warning")
        return applied

    # -- resolve ----------------------------------------------------------------------------------------
    def resolve(self, action: types.CodeAction) -> types.CodeAction:
        data: dict[str, Any] = action.data if isinstance(action.data, dict) else {}
        doc = self.session.documents.get(str(data.get("uri", "")))
        if doc is None or data.get("version") != doc.version:
            return action  # made for another version of the document: no edit
        new_text = None
        if data.get("kind") == "fixAll":
            folder = doc.folder
            if folder.config is not None:
                new_text = fixes_api().fix_all(doc.text, doc.path, folder.index, folder.config).new_text
        elif data.get("kind") == "suppress":
            new_text = self._suppressed_text(doc, str(data["code"]), Span(*data["span"]),
                                             int(data.get("stmtLine", 0)))
        if new_text is not None and new_text != doc.text:
            action.edit = self._edit(doc, minimal_edits(doc.text, new_text))
        return action

    def _suppressed_text(self, doc: Document, code: str, span: Span, stmt_line: int) -> str | None:
        """The text with a ``# ssot: ignore[CODE]`` that really suppresses the finding (verified)."""
        _share_parse(doc)
        for line in dict.fromkeys((stmt_line, span.line)):
            candidate = _with_comment(doc.lines, line, code)
            if candidate is not None and suppresses(candidate, doc.path, doc.place, line, code):
                return candidate
        return None


def _share_parse(doc: Document) -> None:
    """Hand the fixes what the analysis already parsed: the document's tree (a fix would parse the
    statements it looks at again: most of a file whose every function has a finding) and its
    statements (verification parses only the statements a candidate changed)."""
    from ssot_lsp.fixes.candidates import reuse_statements
    from ssot_lsp.fixes.document import cached_tree, remember_tree

    if cached_tree(doc.text) is None:
        tree = doc.statements.tree(doc.text)
        if tree is not None:
            remember_tree(doc.text, tree)
    reuse_statements(doc.statements)


def _without_fix(diagnostic: types.Diagnostic, violation: Violation, title: str, reason: str) -> types.CodeAction:
    """The fix that is not offered, disabled with the reason (the client shows it greyed out)."""
    return types.CodeAction(title=title or f"Fix {violation.code}", kind=types.CodeActionKind.QuickFix,
                            diagnostics=[diagnostic],
                            disabled=types.CodeActionDisabled(reason=f"{NO_FIX_PREFIX.capitalize()}{reason}"))


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


def _unique_titles(actions: list[types.CodeAction]) -> list[types.CodeAction]:
    """Titles within one answer are unique: repeated ones name the line (and column) of their finding."""
    counts: dict[str, int] = {}
    for action in actions:
        counts[action.title] = counts.get(action.title, 0) + 1
    seen: set[str] = set()
    for action in actions:
        if counts[action.title] > 1 and action.diagnostics:
            start = action.diagnostics[0].range.start
            action.title = f"{action.title} (line {start.line + 1})"
            if action.title in seen:
                action.title = f"{action.title[:-1]}, column {start.character + 1})"
        seen.add(action.title)
    return actions
