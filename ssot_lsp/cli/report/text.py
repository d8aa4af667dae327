"""Text report for people: one short line per site, the audit summary per group (the seed's audit
table), the totals by severity and what `ssot-lsp fix` is expected to fix."""

from __future__ import annotations

import os
from collections import Counter, defaultdict

from ssot_lsp.cli.report.style import SEVERITY_WORDS, Style
from ssot_lsp.core import fixable
from ssot_lsp.core.fixable import SAFE, expected_fixes
from ssot_lsp.core.rules.registry import ALL, RULES
from ssot_lsp.core.rules.rule import Rule
from ssot_lsp.core.violations import Violation
from ssot_lsp.core.workspace import ScanResult, Workspace

# the order of the summary's lines, by bucket style (see ``Bucket``)
STYLE_ORDER = ("list", "files", "parts", "count")


def display_path(path: str) -> str:
    """``path`` relative to the current directory when it lies under it, else as given.

    An absolute, normal path (as the walk makes them) is cut at the current directory: what
    ``os.path.relpath`` returns, without its splitting and comparing of every component, a
    third of rendering a report of a thousand findings."""
    cwd = os.getcwd()
    if path.startswith(os.sep) and not path.startswith("//") and os.path.normpath(path) == path \
            and not cwd.startswith("//"):
        if path == cwd:
            return os.curdir
        prefix = cwd if cwd.endswith(os.sep) else cwd + os.sep
        if not path.startswith(prefix):
            return path
        rel = path[len(prefix):]
    else:
        try:
            rel = os.path.relpath(path)
        except ValueError:
            return path
    return path if rel.startswith("..") else rel


def render_text(violations: list[Violation], result: ScanResult, workspace: Workspace, statistics: bool,
                summary: bool, baselined: int = 0, style: Style | None = None) -> str:
    """One short line per site — ``path:line:col: severity CODE [*] finding`` (``[*]``: `ssot-lsp fix`
    is expected to fix it) — or counts per rule, then the audit summary and the totals."""
    style = style or Style()
    expected = expected_fixes(violations)
    lines = []
    if statistics:
        counts = Counter(v.code for v in violations)
        safe = Counter(v.code for v, fix in zip(violations, expected) if fix == SAFE)
        for code, count in sorted(counts.items()):
            mark = style.fixable("[*]") if safe[code] else "   "
            lines.append(f"{count:6d}  {style.code(code)}  {mark} {RULES[code].name}")
    else:
        lines.extend(site_line(v, fix, style) for v, fix in zip(violations, expected))
    if summary and not statistics:
        lines.extend(audit_summary(violations, workspace))
    lines.append(_totals(violations, result, baselined))
    fixes = fixable.count(expected)
    if fixes.safe or fixes.unsafe:
        lines.append(style.fixable("[*]") + f" Up to {fixes.safe} fixable with `ssot-lsp fix` "
                     f"(up to {fixes.safe + fixes.unsafe} with `--unsafe-fixes`); `ssot-lsp fix --dry-run` says which.")
    return "\n".join(lines) + "\n"


def site_line(v: Violation, fix: str | None, style: Style) -> str:
    mark = " " + style.fixable("[*]") if fix == SAFE else ""
    return (f"{style.path(display_path(v.path))}:{v.span.line + 1}:{v.span.col + 1}: "
            f"{style.severity(v.severity)} {style.code(v.code)}{mark} {v.headline}")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 or word == "info" else f"{n} {word}s"


def _totals(violations: list[Violation], result: ScanResult, baselined: int) -> str:
    by_severity = Counter(v.severity for v in violations)
    severities = ", ".join(_plural(by_severity[s], SEVERITY_WORDS[s]) for s in SEVERITY_WORDS if by_severity[s])
    files = len({v.path for v in violations})
    tail = f"Found {len(violations)} violation{'s' if len(violations) != 1 else ''}"
    tail += f" ({severities})" if severities else ""
    tail += (f" in {files} file{'s' if files != 1 else ''} ({result.files_analysed} of {result.files_total} "
             f"files analysed)")
    if baselined:
        tail += f"; {baselined} baselined"
    return tail + "."


def _buckets(style: str) -> dict[str, list[Rule]]:
    """Bucket label -> its rules (registry order), for the buckets of one style."""
    out: dict[str, list[Rule]] = {}
    for rule in ALL:
        if rule.bucket is not None and rule.bucket.style == style:
            out.setdefault(rule.bucket.label, []).append(rule)
    return out


def audit_summary(violations: list[Violation], workspace: Workspace) -> list[str]:
    by_group: dict[str | None, list[Violation]] = defaultdict(list)
    for v in violations:
        by_group[v.group].append(v)
    out = ["", "SSOT audit summary"]
    for group in workspace.config.groups:
        items = by_group.get(group.name, [])
        out.append(f"  [{group.name}] canonical {group.canonical_name} ({group.canonical_module})")
        for style in STYLE_ORDER:
            for label, rules in _buckets(style).items():
                out.extend(_bucket_lines(style, label, rules, items))
    without_group = by_group.get(None, [])
    for label, rules in _buckets("files-without-group").items():
        codes = {rule.code for rule in rules}
        count = sum(v.code in codes for v in without_group)
        if count:
            out.append(f"  {label}: {count}")
    out.append("")
    return out


def _bucket_lines(style: str, label: str, rules: list[Rule], items: list[Violation]) -> list[str]:
    codes = {rule.code for rule in rules}
    sites = [v for v in items if v.code in codes]
    if style == "files":
        return [f"    {label}: {len({v.path for v in sites})}"]
    if style == "parts":
        parts = ", ".join(f"{rule.bucket.part if rule.bucket else rule.name} "
                          f"{sum(v.code == rule.code for v in sites)}" for rule in rules)
        return [f"    {label}: {len(sites)} ({parts})"]
    if not sites:
        return []
    lines = [f"    {label}: {len(sites)}"]
    if style == "list":
        lines += [f"      {v.symbol.rpartition(':')[2]:40s} {display_path(v.path)}:{v.span.line + 1}" for v in sites]
    return lines
