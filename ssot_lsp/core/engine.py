"""Run the rules on one file's facts: severities, select/ignore, suppressions, unused suppressions.

Pure: no I/O. ``ssot_lsp.core.analysis.analyze_text`` (one text as a file of a workspace) and the
workspace scan call ``analyze``.
"""

from __future__ import annotations

from ssot_lsp.config.model import Config
from ssot_lsp.core.classify import Classifier
from ssot_lsp.core.facts import FileFacts, Suppression
from ssot_lsp.core.globs import relpath_of
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.rules import unused_suppression
from ssot_lsp.core.rules.context import RuleContext
from ssot_lsp.core.rules.registry import ALL
from ssot_lsp.core.severity import SEVERITY_RANK, rule_enabled, severity_for
from ssot_lsp.core.violations import Violation

Used = set[tuple[int, str | None]]  # (line, code) of suppressions that suppressed; code None: all codes


def analyze(facts: FileFacts, index: WorkspaceIndex, config: Config, classifier: Classifier | None = None,
            severity_overrides: dict[str, str] | None = None) -> list[Violation]:
    """All violations of one file, suppressions applied, sorted by position."""
    if facts.ignore_file:
        return []
    classifier = classifier or Classifier(config, index)
    relpath = relpath_of(config, facts.path)
    ctx = RuleContext(facts, index, config, classifier)
    for rule in ALL:
        if rule.check is not None and rule_enabled(config, rule.code, relpath):
            rule.check(ctx)
    kept: list[Violation] = []
    used: Used = set()
    by_line: dict[int, list[Suppression]] = {}
    for suppression in facts.suppressions:
        by_line.setdefault(suppression.line, []).append(suppression)
    for violation in ctx.found:
        severity = severity_for(config, violation.code, violation.group, relpath, severity_overrides,
                                default=violation.payload.default_severity())
        if severity == "off":
            continue
        ceiling = violation.payload.max_severity()
        if ceiling is not None and SEVERITY_RANK[severity] > SEVERITY_RANK[ceiling]:
            severity = ceiling
        violation.severity = severity
        if _suppressed(violation, by_line, used):
            continue
        kept.append(violation)
    if facts.parsed and rule_enabled(config, unused_suppression.RULE.code, relpath):
        kept.extend(unused_suppression.report_unused(facts, used, config, relpath, severity_overrides))
    kept.sort(key=Violation.sort_key)
    return kept


def _suppressed(violation: Violation, by_line: dict[int, list[Suppression]], used: Used) -> bool:
    for line in {violation.stmt_line, violation.span.line}:
        for suppression in by_line.get(line, ()):
            if suppression.codes is None or violation.code in suppression.codes:
                used.add((suppression.line, None if suppression.codes is None else violation.code))
                return True
    return False
