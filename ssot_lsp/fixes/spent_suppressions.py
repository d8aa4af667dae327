"""A fix that makes a suppression comment unused removes it (issue 15 §2).

A fix removes findings; a ``# ssot: ignore[...]`` or ``# noqa: SSOT...`` comment that suppressed one
of them would then suppress nothing, and SSOT010 would report it: verification would reject the fix
for a finding it introduced. Instead the fix takes the spent codes out of the comment (the whole
directive when none is left, the whole comment or line when nothing else is in it). Only the
suppressions the fix spent are touched: an unused suppression that was there before stays, it is
SSOT010's own finding.
"""

from __future__ import annotations

import re
from collections import Counter

from ssot_lsp.core.analysis import analyze_text
from ssot_lsp.core.rules.unused_suppression import ALL_CODES, UnusedSuppressionPayload
from ssot_lsp.core.suppressions import may_hold_suppressions
from ssot_lsp.core.text import split_lines
from ssot_lsp.core.violations import Violation
from ssot_lsp.fixes.document import Doc

UNUSED = "SSOT010"
_LIST = re.compile(r"(?P<head>#[ \t]*(?:ssot:[ \t]*ignore\[|noqa[ \t]*:[ \t]*))(?P<codes>[^\]#\r\n]*)", re.IGNORECASE)


def _key(v: Violation) -> tuple[str, str, str]:
    return (v.code, v.symbol, v.message)


def without_spent_suppressions(doc: Doc, new_text: str, baseline: list[Violation]) -> str:
    """``new_text`` with the suppressions the fix made unused taken out (unchanged when none)."""
    if not may_hold_suppressions(new_text):
        return new_text
    after = analyze_text(doc.index, doc.config, doc.path, new_text, doc.module, doc.is_package, keep=False)
    spent = Counter(_key(v) for v in after.violations if v.code == UNUSED) - \
        Counter(_key(v) for v in baseline if v.code == UNUSED)
    if not spent:
        return new_text
    lines = split_lines(new_text)
    removed: set[int] = set()
    for finding in sorted((v for v in after.violations if v.code == UNUSED), key=lambda v: -v.span.col):
        if spent[_key(finding)] <= 0 or not isinstance(finding.payload, UnusedSuppressionPayload):
            continue
        spent[_key(finding)] -= 1
        span = finding.span
        line = lines[span.line]
        edited = _without_codes(line, span.col, span.end_col, set(finding.payload.codes))
        if edited.strip():
            lines[span.line] = edited
        else:
            removed.add(span.line)
    return _join(new_text, lines, removed)


def _without_codes(line: str, col: int, end_col: int, unused: set[str]) -> str:
    """The line with ``unused`` codes taken out of the directive at ``col:end_col``."""
    directive = line[col:end_col]
    match = _LIST.match(directive)
    kept = []
    if match is not None and ALL_CODES not in unused:
        kept = [c for c in re.split(r"[\s,]+", match.group("codes").strip()) if c and c.upper() not in unused]
    if kept:
        codes = ", ".join(kept)
        closing = "]" if directive.rstrip().endswith("]") else ""
        return line[:col] + match.group("head") + codes + closing + line[end_col:] if match else line
    before, after = line[:col].rstrip(), line[end_col:].strip()
    if after and not after.startswith("#"):
        after = "# " + after
    if not before:
        return after and line[:len(line) - len(line.lstrip())] + after
    return before + ("  " + after if after else "")


def _join(text: str, lines: list[str], removed: set[int]) -> str:
    """The text with edited lines, each keeping its own line terminator; removed lines go whole."""
    out = []
    offset = 0
    for number, line in enumerate(split_lines(text)):
        terminator_start = offset + len(line)
        terminator = text[terminator_start:terminator_start + 2]
        terminator = "\r\n" if terminator == "\r\n" else terminator[:1] if terminator[:1] in ("\n", "\r") else ""
        offset = terminator_start + len(terminator)
        if number in removed:
            continue
        out.append(lines[number] + terminator)
    return "".join(out)
