"""Text report: one line per site, then the audit summary per group (the seed's audit table)."""

from __future__ import annotations

import os
from collections import Counter, defaultdict

from ssot_lsp.core.rules.registry import ALL, RULES
from ssot_lsp.core.rules.rule import Rule
from ssot_lsp.core.violations import Violation
from ssot_lsp.core.workspace import ScanResult, Workspace

# the order of the summary's lines, by bucket style (see ``Bucket``)
STYLE_ORDER = ("list", "files", "parts", "count")


def display_path(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def render_text(violations: list[Violation], result: ScanResult, workspace: Workspace, statistics: bool,
                summary: bool, baselined: int = 0) -> str:
    lines = []
    if statistics:
        counts = Counter(v.code for v in violations)
        for code, count in sorted(counts.items()):
            lines.append(f"{count:6d}  {code}  {RULES[code].name}")
    else:
        for v in violations:
            lines.append(f"{display_path(v.path)}:{v.span.line + 1}:{v.span.col + 1}: {v.code} {v.message}")
    if summary and not statistics:
        lines.extend(audit_summary(violations, workspace))
    tail = f"Found {len(violations)} violation{'s' if len(violations) != 1 else ''}"
    tail += f" in {len({v.path for v in violations})} files ({result.files_analysed} of {result.files_total} files analysed)"
    if baselined:
        tail += f"; {baselined} baselined"
    lines.append(tail + ".")
    return "\n".join(lines) + "\n"


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
