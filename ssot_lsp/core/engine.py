"""Run the rules on one file's facts: severities, select/ignore, suppressions, unused suppressions.

Pure: no I/O. The CLI, the server and fix verification all call ``analyze``.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from ssot_lsp.config.model import Config
from ssot_lsp.core.classify import Classifier
from ssot_lsp.core.codes import RULES
from ssot_lsp.core.facts import FileFacts
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.rules import ALL_RULES
from ssot_lsp.core.rules.base import RuleContext
from ssot_lsp.core.violations import Violation

UNUSED = "SSOT010"


@lru_cache(maxsize=512)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """Gitignore-like globs over '/'-separated relative paths: ``**`` spans directories, ``*`` does not."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def matches_any(relpath: str, patterns) -> bool:
    if not patterns:
        return False
    return _combined(tuple(patterns)).match(relpath) is not None


@lru_cache(maxsize=128)
def _combined(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regular expression for a set of globs: a scan matches every file against them."""
    return re.compile("|".join(f"(?:{glob_regex(p).pattern})" for p in patterns))


def relpath_of(config: Config, path: str) -> str:
    """``path`` relative to the configuration root, '/'-separated (string arithmetic first:
    resolving every path costs a system call per component)."""
    root = str(config.root).rstrip(os.sep) + os.sep
    if path.startswith(root):
        return path[len(root):].replace(os.sep, "/")
    try:
        return Path(path).resolve().relative_to(config.root).as_posix()
    except (ValueError, OSError, RuntimeError):
        return Path(path).as_posix()


def rule_enabled(config: Config, code: str, relpath: str = "") -> bool:
    if config.select and code not in config.select and not any(code.startswith(s) for s in config.select):
        return False
    if code in config.ignore:
        return False
    for override in config.per_path:
        if code in override.ignore and matches_any(relpath, override.patterns):
            return False
    return True


def severity_for(config: Config, code: str, group_name: str | None, relpath: str,
                 overrides: dict[str, str] | None = None, default: str | None = None) -> str:
    severity = default or RULES[code].default_severity
    group = config.group(group_name) if group_name else None
    if group is not None and code in group.severity:
        severity = group.severity[code]
    severity = config.severity.get(code, severity)
    for override in config.per_path:
        if matches_any(relpath, override.patterns):
            severity = override.severity.get(code, override.severity.get("*", severity))
    if overrides:
        severity = overrides.get(code, severity)
    return severity


def analyze(facts: FileFacts, index: WorkspaceIndex, config: Config, classifier: Classifier | None = None,
            severity_overrides: dict[str, str] | None = None) -> list[Violation]:
    """All violations of one file, suppressions applied, sorted by position."""
    if facts.ignore_file:
        return []
    classifier = classifier or Classifier(config, index)
    relpath = relpath_of(config, facts.path)
    ctx = RuleContext(facts, index, config, classifier)
    for rule in ALL_RULES:
        if rule_enabled(config, rule.CODE, relpath):
            rule.check(ctx)
    kept: list[Violation] = []
    used: set[tuple[int, str | None]] = set()
    by_line = {}
    for suppression in facts.suppressions:
        by_line.setdefault(suppression.line, []).append(suppression)
    for violation in ctx.found:
        severity = severity_for(config, violation.code, violation.group, relpath, severity_overrides,
                                default=_default_severity(violation))
        if severity == "off":
            continue
        violation.severity = severity
        if _suppressed(violation, by_line, used):
            continue
        kept.append(violation)
    if rule_enabled(config, UNUSED, relpath):
        kept.extend(_unused_suppressions(facts, used, config, relpath, severity_overrides))
    kept.sort(key=Violation.sort_key)
    return kept


def _default_severity(violation: Violation) -> str | None:
    """A file that only needs a newer Python was analysed completely: that is information, not an error."""
    if violation.code == "SSOT009" and violation.data.get("newerSyntax"):
        return "information"
    return None


def _suppressed(violation: Violation, by_line, used) -> bool:
    for line in {violation.stmt_line, violation.span.line}:
        for suppression in by_line.get(line, ()):
            if suppression.codes is None or violation.code in suppression.codes:
                used.add((suppression.line, None if suppression.codes is None else violation.code))
                return True
    return False


def _runs(config: Config, code: str, relpath: str, overrides) -> bool:
    """Whether a rule can report here at all: suppressing a disabled or 'off' rule is not an unused suppression."""
    return rule_enabled(config, code, relpath) and severity_for(config, code, None, relpath, overrides) != "off"


def _unused_suppressions(facts, used, config, relpath, overrides) -> list[Violation]:
    severity = severity_for(config, UNUSED, None, relpath, overrides)
    if severity == "off":
        return []
    out = []
    for suppression in facts.suppressions:
        if suppression.codes is None:
            if (suppression.line, None) not in used:
                unused = ["all codes"]
            else:
                continue
        else:
            unused = sorted(c for c in suppression.codes
                            if (suppression.line, c) not in used and (c not in RULES or _runs(config, c, relpath,
                                                                                               overrides)))
        if not unused:
            continue
        unknown = [c for c in unused if c != "all codes" and c not in RULES]
        detail = f"unknown code {', '.join(unknown)}" if unknown else f"nothing to suppress ({', '.join(unused)})"
        out.append(Violation(
            code=UNUSED, message=f"unused suppression: {detail}", path=facts.path, span=suppression.span,
            severity=severity, stmt_line=suppression.line, symbol=",".join(unused),
            data={"kind": "unused-suppression", "codes": unused}))
    return out
