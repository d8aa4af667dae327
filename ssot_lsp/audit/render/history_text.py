"""``audit --history`` as text: the table per commit (per group, then per rule), then the newest
commit's tables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ssot_lsp.audit.render.table import LEFT, RIGHT, TextStyle, render_table
from ssot_lsp.audit.render.text import render_audit_text, short_code

NO_FIGURES = "—"


def _notes(point: Mapping[str, Any]) -> str:
    notes = []
    if point["status"] != "ok":
        notes.append(f"{point['status']}: {point['problem']}")
    elif point["problem"]:
        notes.append(point["problem"])
    if point["unparsable"]["count"]:
        count = point["unparsable"]["count"]
        notes.append(f"{count} file{'s' if count != 1 else ''} do{'es' if count == 1 else ''} not parse")
    if point["baseline_recorded"]:
        notes.append("baseline recorded")
    return "; ".join(notes)


def render_history_text(document: Mapping[str, Any], style: TextStyle) -> str:
    points = document["points"]
    groups = list(document["groups"])
    codes = [r["code"] for r in document["rules"]
             if any(p["totals"] and p["totals"]["by_rule"].get(r["code"]) for p in points)]
    out = [style.bold(f"SSOT audit history of {document['root']}")
           + f" ({document['range']}: {len(points)} of {document['commits_in_range']:,} commits, first parents; "
             f"baseline: {document['baseline_source']})", "", style.bold("Per commit, by group")]
    rows = []
    for p in points:
        totals = p["totals"]
        figures: list[object] = [NO_FIGURES] * (len(groups) + 3) if totals is None else [
            totals["sites"], *(totals["by_group"].get(g, 0) for g in groups), p["broken"],
            p["baseline"]["new"] if p["baseline"] else NO_FIGURES]
        rows.append([p["date"][:10], p["short"][:8], *figures, _notes(p)])
    out += render_table(["date", "commit", "findings", *groups, "broken", "new", "notes"], rows,
                        LEFT * 2 + RIGHT * (len(groups) + 3) + LEFT, style)
    out += ["", style.bold("Per commit, by rule")]
    names = {r["code"]: r["name"] for r in document["rules"]}
    out.append("  rules: " + ", ".join(f"{short_code(c)} {names[c]}" for c in codes))
    rows = [[p["date"][:10], p["short"][:8],
             *([p["totals"]["by_rule"].get(c, 0) for c in codes] if p["totals"] else [NO_FIGURES] * len(codes))]
            for p in points]
    out += render_table(["date", "commit", *(short_code(c) for c in codes)], rows, LEFT * 2 + RIGHT * len(codes),
                        style)
    latest = document["latest"]
    if latest is not None:
        newest = points[latest["point"]]
        out += ["", style.bold(f"Newest commit with figures: {newest['short'][:10]} {newest['date'][:10]} "
                               f"{newest['subject']}"), ""]
        single = {**latest, "root": document["root"], "configuration": newest["configuration"],
                  "files": newest["files"], "rules": document["rules"], "errors": newest["unreadable"]}
        out.append(render_audit_text(single, style).rstrip())
    timing = document["timing"]
    out += ["", style.dim(f"{timing['seconds']:.1f} s; {timing['files_read']:,} files read "
                          f"({timing.get('files_from_worktree', 0):,} from working-tree files holding the blob, "
                          f"the others from git), facts of {timing['files_reused']:,} reused")]
    return "\n".join(out) + "\n"
