"""Text report: one line per site, then the audit summary per group (the seed's audit table)."""

from __future__ import annotations

import os
from collections import Counter, defaultdict

from ssot_lsp.core.codes import RULES


def display_path(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def render_text(violations, result, workspace, statistics: bool, summary: bool, baselined: int = 0) -> str:
    lines = []
    if statistics:
        counts = Counter(v.code for v in violations)
        for code, count in sorted(counts.items()):
            lines.append(f"{count:6d}  {code}  {RULES[code].name}")
    else:
        for v in violations:
            lines.append(f"{display_path(v.path)}:{v.span.line + 1}:{v.span.col + 1}: {v.code} {v.message}")
    if summary and not statistics:
        lines.extend(audit_summary(violations, result, workspace))
    tail = f"Found {len(violations)} violation{'s' if len(violations) != 1 else ''}"
    tail += f" in {len({v.path for v in violations})} files ({result.files_analysed} of {result.files_total} files analysed)"
    if baselined:
        tail += f"; {baselined} baselined"
    lines.append(tail + ".")
    return "\n".join(lines) + "\n"


def audit_summary(violations, result, workspace) -> list[str]:
    by_group = defaultdict(list)
    for v in violations:
        by_group[v.group or "(files)"].append(v)
    out = ["", "SSOT audit summary"]
    for group in workspace.config.groups:
        items = by_group.get(group.name, [])
        definitions = [v for v in items if v.code in ("SSOT004", "SSOT005", "SSOT006")]
        imports = {v.path for v in items if v.code == "SSOT001"}
        constructions = [v for v in items if v.code in ("SSOT002", "SSOT003")]
        strings = [v for v in items if v.code == "SSOT007"]
        out.append(f"  [{group.name}] canonical {group.canonical_name} ({group.canonical_module})")
        label = {"SSOT004": "duplicate definitions", "SSOT005": "duplicate names", "SSOT006": "duplicate event paths"}
        for code in ("SSOT004", "SSOT005", "SSOT006"):
            sites = [v for v in definitions if v.code == code]
            if sites:
                out.append(f"    {label[code]}: {len(sites)}")
                for v in sites:
                    out.append(f"      {v.symbol.rpartition(':')[2]:40s} {display_path(v.path)}:{v.span.line + 1}")
        out.append(f"    files with legacy imports: {len(imports)}")
        out.append(f"    construction sites: {len(constructions)} "
                   f"(legacy {sum(v.code == 'SSOT002' for v in constructions)}, "
                   f"factory bypass {sum(v.code == 'SSOT003' for v in constructions)})")
        if strings:
            out.append(f"    string references (patch/import_module): {len(strings)}")
    syntax = by_group.get("(files)", [])
    if syntax:
        out.append(f"  files that do not parse or need newer syntax: {sum(v.code == 'SSOT009' for v in syntax)}")
    out.append("")
    return out
