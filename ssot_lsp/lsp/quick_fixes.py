"""Verified fixes of single findings, as the editor's quick fixes may offer them.

The fixes come from ``ssot_lsp.fixes.api`` (imported on first use: it loads libcst). They are
computed only when the client asks for actions at a finding, for that finding only, once per
document version. A quick fix changes one finding: it may edit its own statement, the file's
imports and lines no other finding is on (the uses an import fix renames), never the statement
of another finding. A fix that would (an import fix that rewrites every construction of the
name, each a finding of its own) changes several sites, which only ``source.fixAll.ssot`` does;
it is withheld here, with the line it would also have changed as the reason.

The one quick fix that edits other files is the cross-file fix of a compatibility re-export
(``fixes/cross_file.py``): it removes the re-export and rewrites every importer, and travels as one
``WorkspaceEdit`` over all of them (open documents with their version: the client refuses it when
one changed). It depends on other files, so it is computed afresh on each request, never cached.
"""

from __future__ import annotations

import ast
import bisect
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from ssot_lsp.core.rules.syntax_error import is_syntax_error
from ssot_lsp.core.violations import Violation
from ssot_lsp.lsp.convert import read_text
from ssot_lsp.lsp.documents import Document, LineIndex

if TYPE_CHECKING:
    from ssot_lsp.fixes.transform import Plan, Target
    from ssot_lsp.lsp.folder import Folder

# plan targets that are expressions (``fixes.transform.Target.kind``): each within one statement's lines
_EXPRESSION_TARGETS = frozenset({"rename", "call", "await", "string"})
Edit = tuple[int, int, str]  # (start, end, replacement) in code-point offsets of the old text
# another file a fix edits: (path, version of its open document or None, the text edited, edits)
OtherEdit = tuple[str, "int | None", str, list[Edit]]
# an open document's (text, version), else None: where a cross-file fix reads other files
OpenText = Callable[[str], "tuple[str, int | None] | None"]


def fixes_api() -> ModuleType:
    from ssot_lsp.fixes import api

    return api


def minimal_edits(old: str, new: str) -> list[Edit]:
    edits: list[Edit] = fixes_api().minimal_edits(old, new)
    return edits


@dataclass(frozen=True)
class QuickFix:
    violation: Violation
    title: str
    safe: bool
    edits: list[Edit] | None  # None: no fix offered (``reason`` says why)
    reason: str | None = None
    others: tuple[OtherEdit, ...] = ()  # a cross-file fix: the edits of the other files
    cross_file: bool = False  # computed from other files too: never cached


class FixCache:
    """The quick fixes of one document version, computed on demand per finding."""

    def __init__(self, doc: Document, open_text: OpenText | None = None) -> None:
        self.open_text = open_text
        self.version = doc.version
        self.text = doc.text
        self.fixes: dict[tuple[object, ...], QuickFix] = {}
        self._scope: _Scope | None = None

    def is_for(self, doc: Document) -> bool:
        return self.version == doc.version and self.text is doc.text

    def fix(self, doc: Document, violation: Violation) -> QuickFix:
        key = (violation.code, violation.span, violation.symbol)
        cached = self.fixes.get(key)
        if cached is None:
            cached = self._compute(doc, violation)
            if not cached.cross_file:
                self.fixes[key] = cached
        return cached

    def _compute(self, doc: Document, violation: Violation) -> QuickFix:
        analysis = doc.analysis
        folder: Folder = doc.folder
        if analysis is None or not analysis.parsed or folder.config is None:
            return QuickFix(violation, "", False, None, "the file does not parse")
        findings = analysis.violations

        def withhold(violation: Violation, plan: Plan) -> str | None:
            return _stray_reason(self._scope_of(doc, findings).target_stray_line(violation, plan.targets))

        outcome = fixes_api().fixes_for(doc.text, doc.path, findings, folder.index, folder.config,
                                        targets=[violation], withhold=withhold)[0]
        if outcome.cross_file:
            return self._cross_file(doc, violation)
        if not outcome.new_text:
            return QuickFix(violation, outcome.title, outcome.safe, None, outcome.reason)
        edits = minimal_edits(doc.text, outcome.new_text)
        reason = _stray_reason(self._scope_of(doc, findings).stray_line(violation, edits))
        if reason is not None:
            return QuickFix(violation, outcome.title, outcome.safe, None, reason)
        return QuickFix(violation, outcome.title, outcome.safe, edits)

    def _scope_of(self, doc: Document, findings: list[Violation]) -> _Scope:
        if self._scope is None:
            self._scope = _Scope(doc.text, doc.lines, doc.statements.tree(doc.text), findings)
        return self._scope


    def _cross_file(self, doc: Document, violation: Violation) -> QuickFix:
        """The re-export's cross-file fix: this file's edits, and each other file's with its version."""
        from ssot_lsp.fixes.cross_file import Withheld, cross_file_fix

        folder: Folder = doc.folder
        assert folder.config is not None
        versions: dict[str, int | None] = {}

        def read(path: str) -> str | None:
            if not folder.may_write(path):
                raise Withheld(f"{path} resolves outside the workspace folder")
            opened = self.open_text(path) if self.open_text is not None else None
            if opened is not None:
                versions[path] = opened[1]
                return opened[0]
            versions[path] = None
            return read_text(path)

        fix = cross_file_fix(doc.path, doc.text, violation, folder.index, folder.config, read, str(folder.root))
        if fix.reason is not None:
            return QuickFix(violation, fix.title, False, None, fix.reason, cross_file=True)
        changed = fix.changed
        own = changed.pop(doc.path, None)
        edits = minimal_edits(doc.text, own.new_text) if own is not None else []
        others = tuple((path, versions.get(path), change.old_text, minimal_edits(change.old_text, change.new_text))
                       for path, change in sorted(changed.items()))
        return QuickFix(violation, fix.title, False, edits, None, others, cross_file=True)


class _Scope:
    """Which lines a quick fix may edit: anything but the statements of the document's other
    findings, except where those are imports (a fix may add, change or drop an import that another
    finding also points at; changing another finding's own statement is fixing it, fix-all's job)."""

    def __init__(self, text: str, lines: LineIndex, tree: ast.Module | None, findings: list[Violation]) -> None:
        self.lines = lines
        try:
            self.tree: ast.Module | None = tree if tree is not None else ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            self.tree = None
        self.findings = findings
        self.sites: dict[int, tuple[int, int]] = {}  # id(finding) -> its statement's lines
        self.import_lines: set[int] = set()
        statements = list(self.tree.body) if self.tree is not None else []
        while statements:  # imports are statements: the expressions need no walk
            node = statements.pop()
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                self.import_lines.update(range(node.lineno - 1, (node.end_lineno or node.lineno)))
            else:
                statements += _blocks(node)

    def target_stray_line(self, violation: Violation, targets: list[Target]) -> int | None:
        """The first line of another finding's statement that a planned target lies on (None: none).

        Asked before the plan is applied, so that a fix the quick fix would withhold is not computed
        (an import fix rewriting 500 constructions takes a second on a 5,000-line file, on every
        version). A target is rewritten, and an expression lies within the lines of its statement
        (or compound statement's header), so the applied fix would change that statement:
        ``stray_line`` of its edits would say so. Statement-sized targets are left to ``stray_line``
        (replacing a compound statement need not touch the statements nested in it)."""
        own = self._site(violation)
        lines = sorted({line for target in targets if target.kind in _EXPRESSION_TARGETS
                        for line in range(target.start[0], target.end[0] + 1)})
        for line in lines:
            if own[0] <= line <= own[1] or line in self.import_lines:
                continue
            if self._other_site_at(violation, line):
                return line
        return None

    def stray_line(self, violation: Violation, edits: list[Edit]) -> int | None:
        """The first line an edit touches in another finding's statement (None: none)."""
        own = self._site(violation)
        for start, end, replacement in edits:
            l1, _ = self.lines.cp_position(start)
            l2, c2 = self.lines.cp_position(end)
            if l2 > l1 and c2 == 0:
                l2 -= 1  # ends at the start of a line: that line is not touched
            if start == end and _only_imports(replacement):
                continue  # a new import inserted between statements
            for line in range(l1, l2 + 1):
                if own[0] <= line <= own[1] or line in self.import_lines:
                    continue
                if self._other_site_at(violation, line):
                    return line
        return None

    def _other_site_at(self, violation: Violation, line: int) -> bool:
        for other in self.findings:
            if other.stmt_line > line or is_syntax_error(other) or (other.code, other.span) == (
                    violation.code, violation.span):
                continue
            first, last = self._site(other)
            if first <= line <= last:
                return True
        return False

    def _site(self, violation: Violation) -> tuple[int, int]:
        """(first, last) line of the innermost statement around the finding (a compound
        statement's header only)."""
        cached = self.sites.get(id(violation))
        if cached is None:
            cached = self.sites[id(violation)] = self._statement_lines(violation)
        return cached

    def _statement_lines(self, violation: Violation) -> tuple[int, int]:
        line = violation.span.line
        first, last = min(violation.stmt_line, line), violation.span.end_line
        body: list[ast.stmt] = self.tree.body if self.tree is not None else []
        while body:
            index = bisect.bisect_right([s.lineno - 1 for s in body], line) - 1
            node = body[index] if index >= 0 else None
            if node is None or line > (node.end_lineno or node.lineno) - 1:
                break
            inner = _blocks(node)
            header_end = inner[0].lineno - 2 if inner else (node.end_lineno or node.lineno) - 1
            if line <= header_end or not inner:
                return min(first, node.lineno - 1), max(last, header_end)
            body = inner
        return first, last


def _stray_reason(line: int | None) -> str | None:
    return None if line is None else f"the fix also changes the finding on line {line + 1}; fix all applies it"


def _blocks(node: ast.stmt) -> list[ast.stmt]:
    """The statements nested in a compound statement (its bodies, handlers and cases)."""
    out: list[ast.stmt] = []
    for name in ("body", "orelse", "finalbody"):
        out += [s for s in getattr(node, name, None) or () if isinstance(s, ast.stmt)]
    for holder in [*(getattr(node, "handlers", None) or ()), *(getattr(node, "cases", None) or ())]:
        out += list(holder.body)
    return sorted(out, key=lambda s: s.lineno)


def _only_imports(text: str) -> bool:
    """Whether inserted text is nothing but import statements (and blank lines)."""
    if not text.strip():
        return True
    try:
        tree = ast.parse(text.strip("\n"))
    except (SyntaxError, ValueError):
        return False
    return all(isinstance(node, (ast.Import, ast.ImportFrom)) for node in tree.body)
