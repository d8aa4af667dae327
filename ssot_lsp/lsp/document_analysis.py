"""Analysing an open document: its text as a file of its folder's workspace.

Per keystroke the work is one ``extract_facts`` of the buffer (only edited top-level statements
are parsed again), an index update and the rules for that file; libcst and jedi are never involved.
A buffer that does not parse keeps its last good findings, moved through the edits, next to its
syntax error, and never replaces the file's facts in the index.
"""

from __future__ import annotations

from dataclasses import dataclass

from ssot_lsp.core.facts import FileFacts
from ssot_lsp.core.rules.syntax_error import is_syntax_error
from ssot_lsp.core.violations import Violation
from ssot_lsp.lsp.documents import Document, DocumentAnalysis


@dataclass(frozen=True)
class Outcome:
    cross_file_changed: bool = False  # facts other files can see changed: re-evaluate them
    too_large: bool = False  # over maxFileSizeKb: not analysed


def analyse(doc: Document, reuse_facts: bool = False) -> Outcome:
    """Give ``doc`` an analysis of its current text. ``reuse_facts``: the text did not change but
    the index did (another file changed), so only the rules run again."""
    folder = doc.folder
    limit = folder.settings.max_file_size_kb * 1024
    if len(doc.text) > limit // 4 and len(doc.text.encode("utf-8", "surrogatepass")) > limit:
        doc.analysis = DocumentAnalysis(doc.version, doc.text, [], [], None, parsed=False)
        doc.last_good = []
        return Outcome(too_large=True)
    previous = doc.analysis
    if reuse_facts and previous is not None and previous.text is doc.text and previous.parsed \
            and previous.facts is not None:
        violations = folder.analyze_facts(previous.facts)
        _install(doc, violations, previous.facts, parsed=True)
        return Outcome()
    result = folder.analyze_text(doc.path, doc.text, doc.place, statements=doc.statements)
    if result.parsed:
        _install(doc, result.violations, result.facts, parsed=True)
    else:
        # the last good results (moved through the edits) plus the syntax error
        kept = [v for v in doc.last_good if not is_syntax_error(v)]
        violations = sorted([*kept, *result.violations], key=Violation.sort_key)
        _install(doc, violations, previous.facts if previous is not None else None, parsed=False)
    return Outcome(cross_file_changed=result.cross_file_changed)


def _install(doc: Document, violations: list[Violation], facts: FileFacts | None, parsed: bool) -> None:
    visible = doc.folder.visible(doc.path, violations, doc.lines)
    doc.analysis = DocumentAnalysis(doc.version, doc.text, violations, visible, facts, parsed)
    if parsed:
        doc.last_good = list(violations)
