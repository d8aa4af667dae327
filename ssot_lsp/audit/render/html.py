"""The audit as one self-contained HTML page: charts (inline SVG) and tables, no script, no network.

For a history: the burndown per group and per rule (stacked, dated, the baseline marked, commits
without figures marked and explained), the table per commit, then the tables of the newest commit.
For one tree: bars per group and rule and per directory, then the tables. Reads the JSON document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from html import escape
from typing import Any

from ssot_lsp.audit.render.charts import (
    NOTE_COLOUR,
    PROBLEM_COLOUR,
    Marker,
    Series,
    TimeChart,
    colour,
    horizontal_bars,
    stacked_areas,
)
from ssot_lsp.audit.render.text import split_subject

Doc = Mapping[str, Any]

CSS = """
html,body{background:#fff}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1200px;color:#1d1d1f;
padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#555;margin:0 0 12px}.cards{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:120px}.card b{display:block;font-size:20px}
table{border-collapse:collapse;margin:6px 0 14px;font-size:13px}th,td{padding:3px 8px;border-bottom:1px solid #eee;
text-align:right;white-space:nowrap}th{background:#f5f5f7;position:sticky;top:0}td.l,th.l{text-align:left}
td.z{color:#bbb}td.l:last-child{white-space:normal;min-width:220px}tr.problem td{color:#c0392b}.muted{color:#777}code{font-size:12px}
.legend{display:flex;flex-wrap:wrap;gap:12px;margin:2px 0 10px}.legend span:before{content:"";display:inline-block;
width:11px;height:11px;margin-right:5px;vertical-align:-1px;background:var(--c)}
svg.chart{max-width:100%;height:auto;display:block}.chart-title{font-weight:600;font-size:13px}
.tick{font-size:11px;fill:#555}.grid{stroke:#eee}.axis{stroke:#999}.total{fill:none;stroke:#222;stroke-width:1.5}
.level{stroke:#444;stroke-dasharray:6 4;stroke-width:1.5}.level-label,.mark-label{font-size:11px;fill:#444}
.baseline-mark{stroke:#444;stroke-dasharray:2 3}.problem line{stroke:#c0392b;stroke-width:2.5}
.note{fill:#e67e22}.hover{fill:transparent}.hover:hover{fill:rgba(0,0,0,.05)}
"""


def render_html(document: Doc) -> str:
    title = "SSOT audit history" if document["kind"] == "audit-history" else "SSOT audit"
    body = _history_body(document) if document["kind"] == "audit-history" else _audit_body(document)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(title)} — {escape(document["root"])}</title><style>{CSS}</style></head>'
            f'<body>\n{body}\n<p class="muted">ssot-lsp {escape(document["version"])} · report schema '
            f'{document["schema_version"]}</p>\n</body></html>\n')


# -- one tree -------------------------------------------------------------------------------------

def _audit_body(document: Doc) -> str:
    totals = document["totals"]
    parts = [(f"<h1>SSOT audit</h1><p class=\"meta\">{escape(document['root'])} · configuration: "
             f"{escape(document['configuration'])} · {document['files']['analysed']:,} of "
             f"{document['files']['total']:,} files analysed</p>"),
             _cards([("findings", totals["sites"]), ("files", totals["files"]), ("production", totals["production"]),
                     ("tests", totals["tests"]), ("broken by the migration", document["broken"]["count"])]
                    + _baseline_cards(document["baseline"]))]
    parts.append(_group_rule_bars(document, document["totals"]["by_group_rule"]))
    parts.append(_directory_bars(document))
    parts.append(_tables(document))
    return "\n".join(parts)


def _cards(items: Sequence[tuple[str, int]]) -> str:
    return '<div class="cards">' + "".join(f'<div class="card"><b>{v:,}</b>{escape(k)}</div>' for k, v in items) + \
        "</div>"


def _baseline_cards(baseline: Doc | None) -> list[tuple[str, int]]:
    if baseline is None:
        return []
    return [("fixed since the baseline", baseline["fixed"]), ("new since the baseline", baseline["new"]),
            ("remaining in the baseline", baseline["remaining"])]


def _rule_colours(document: Doc) -> dict[str, str]:
    return {rule["code"]: colour(i) for i, rule in enumerate(document["rules"])}


def _group_rule_bars(document: Doc, by_group_rule: Mapping[str, Mapping[str, int]]) -> str:
    colours = _rule_colours(document)
    rows = [(group, [(code, n, colours.get(code, "#999")) for code, n in counts.items()])
            for group, counts in by_group_rule.items()]
    if not rows:
        return ""
    return horizontal_bars("Findings per group, by rule", rows) + _legend(
        [(code, colours[code]) for code in document["codes"] if code in colours], document)


def _directory_bars(document: Doc) -> str:
    rows = [(row["directory"], [("production", row["production_sites"], colour(0)),
                                ("tests", row["test_sites"], colour(1))])
            for row in document["directories"]["rows"][:25]]
    if not rows:
        return ""
    return horizontal_bars(f"Findings per directory (depth {document['directories']['depth']}), "
                           "production and tests", rows) + _legend([("production", colour(0)), ("tests", colour(1))])


def _legend(items: Sequence[tuple[str, str]], document: Doc | None = None) -> str:
    names = {r["code"]: r["name"] for r in document["rules"]} if document is not None else {}
    return '<div class="legend">' + "".join(
        f'<span style="--c:{c}">{escape(label)}{" " + escape(names[label]) if label in names else ""}</span>'
        for label, c in items) + "</div>"


# -- tables ---------------------------------------------------------------------------------------

def _table(headers: Sequence[str], rows: Sequence[Sequence[object]], aligns: str, classes: Sequence[str] = ()) -> str:
    """``aligns``: one ``<`` (left) or ``>`` (right) per column; zeros are greyed."""
    head = "".join(f'<th class="{"l" if aligns[i] == "<" else ""}">{escape(h)}</th>' for i, h in enumerate(headers))
    body = []
    for k, row in enumerate(rows):
        cells = []
        for i, value in enumerate(row):
            text = f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)
            css = "l" if aligns[i] == "<" else ("z" if value == 0 else "")
            cells.append(f'<td class="{css}">{escape(text)}</td>')
        css = classes[k] if k < len(classes) else ""
        body.append(f'<tr class="{css}">' + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _tables(document: Doc) -> str:
    codes = [c for c in document["codes"] if any(c in row["by_rule"] for row in document["symbols"])]
    symbol_rows = []
    for row in document["symbols"]:
        name, module = split_subject(row["subject"])
        symbol_rows.append([row["group"], name, row["role"], *(row["by_rule"].get(c, 0) for c in codes), row["sites"],
                            row["files"], row["production"], row["tests"], module])
    parts = ["<h2>By group and symbol</h2>",
             _table(["group", "symbol", "role", *codes, "sites", "files", "production", "tests", "module"],
                    symbol_rows, "<<<" + ">" * (len(codes) + 4) + "<") if symbol_rows else "<p>No finding belongs to a group.</p>"]
    groups = [g["name"] for g in document["groups"]]
    extra = sorted({g for r in document["directories"]["rows"] for g in r["by_group"]} - set(groups))
    dir_rows = [[r["directory"], r["production_sites"], r["production_files"], r["test_sites"], r["test_files"],
                 *(r["by_group"].get(g, 0) for g in groups + extra)] for r in document["directories"]["rows"]]
    parts += [f"<h2>By directory (depth {document['directories']['depth']})</h2>",
              _table(["directory", "production sites", "production files", "test sites", "test files",
                      *groups, *extra], dir_rows, "<" + ">" * (4 + len(groups) + len(extra)))]
    parts.append(_broken_section(document["broken"]))
    parts.append(_baseline_section(document["baseline"]))
    return "\n".join(parts)


def _site_rows(sites: Sequence[Doc]) -> list[list[object]]:
    return [[f"{s['path']}:{s['line']}", s["code"], s["group"] or "", s["message"]] for s in sites]


def _broken_section(broken: Doc) -> str:
    head = f"<h2>Broken by the migration ({escape(broken['code'])})</h2>"
    if not broken["available"]:
        return head + f"<p class=\"muted\">{escape(broken['code'])} is not a rule of this version.</p>"
    if not broken["count"]:
        return head + "<p>Nothing: no call or reference the migration left dangling.</p>"
    more = f"<p class=\"muted\">{broken['count'] - len(broken['sites']):,} more in the JSON report.</p>" \
        if broken["count"] > len(broken["sites"]) else ""
    return head + f"<p>{broken['count']:,} sites.</p>" + _table(["site", "rule", "group", "message"],
                                                              _site_rows(broken["sites"]), "<<<<") + more


def _baseline_section(baseline: Doc | None) -> str:
    head = "<h2>Against the baseline</h2>"
    if baseline is None:
        return head + "<p class=\"muted\">No baseline file (record one with <code>ssot-lsp baseline</code>).</p>"
    parts = [head, (f"<p>{escape(baseline['file'])}: {baseline['recorded']:,} accepted occurrences — fixed "
                   f"<b>{baseline['fixed']:,}</b>, new <b>{baseline['new']:,}</b>, remaining "
                   f"<b>{baseline['remaining']:,}</b>.</p>")]
    rows = [[code, d["fixed"], d["new"], d["remaining"]] for code, d in baseline["by_rule"].items()]
    if rows:
        parts.append(_table(["rule", "fixed", "new", "remaining"], rows, "<>>>"))
    if baseline["new_sites"]:
        parts += ["<p>New since the baseline:</p>",
                  _table(["site", "rule", "group", "message"], _site_rows(baseline["new_sites"]), "<<<<")]
    return "\n".join(parts)


# -- a history ------------------------------------------------------------------------------------

def _timestamp(date: str) -> int:
    return int(datetime.fromisoformat(date).timestamp())


def _history_body(document: Doc) -> str:
    points = document["points"]
    latest = document["latest"]
    newest = points[latest["point"]] if latest else None
    parts = [(f"<h1>SSOT audit history</h1><p class=\"meta\">{escape(document['root'])} · range "
             f"<code>{escape(document['range'])}</code> · {len(points)} of {document['commits_in_range']:,} commits "
             f"(first parents) · baseline: {escape(document['baseline_source'])}</p>")]
    if newest is not None and newest["totals"] is not None:
        first = next(p for p in points if p["totals"] is not None)
        parts.append(_cards([("findings at the oldest commit", first["totals"]["sites"]),
                             ("findings now", newest["totals"]["sites"]),
                             ("broken by the migration now", newest["broken"])]
                            + ([("new since the baseline", newest["baseline"]["new"])] if newest["baseline"] else [])))
    parts.append(_burndown(document, "group"))
    parts.append(_burndown(document, "rule"))
    parts.append("<h2>Per commit</h2>" + _commit_table(document))
    if latest is not None and newest is not None:
        parts.append(f"<h2>The newest commit with figures: {escape(newest['short'])} ({escape(newest['date'][:10])})"
                     f"</h2>")
        parts.append(_tables({**document, **latest}))
    return "\n".join(parts)


def _burndown(document: Doc, by: str) -> str:
    points = document["points"]
    if by == "group":
        keys = list(document["groups"]) + sorted({g for p in points if p["totals"] for g in p["totals"]["by_group"]}
                                                 - set(document["groups"]))
        colours = {k: colour(i) for i, k in enumerate(keys)}
        values = {k: [p["totals"]["by_group"].get(k, 0) if p["totals"] else None for p in points] for k in keys}
    else:
        rule_colours = _rule_colours(document)
        keys = [r["code"] for r in document["rules"] if any(p["totals"] and p["totals"]["by_rule"].get(r["code"])
                                                            for p in points)]
        colours = {k: rule_colours[k] for k in keys}
        values = {k: [p["totals"]["by_rule"].get(k, 0) if p["totals"] else None for p in points] for k in keys}
    keys = [k for k in keys if any(values[k])]
    if not keys:
        return f"<p class=\"muted\">No findings at any commit: nothing to draw per {by}.</p>"
    chart = TimeChart(title=f"Findings per {by}, stacked", times=[_timestamp(p["date"]) for p in points],
                      labels=[f"{p['date'][:10]} {p['short']} {p['subject'][:60]}" for p in points],
                      series=[Series(k, values[k], colours[k]) for k in keys], markers=_marks(points),
                      levels=_levels(points))
    return stacked_areas(chart) + _legend([(k, colours[k]) for k in reversed(keys)],
                                          document if by == "rule" else None) + _mark_legend(points)


def _marks(points: Sequence[Doc]) -> list[Marker]:
    marks = []
    for i, p in enumerate(points):
        if p["baseline_recorded"]:
            marks.append(Marker(i, "baseline", f"{p['short']}: baseline recorded"
                                + (f" ({p['baseline']['recorded']:,} accepted)" if p["baseline"] else "")))
        if p["status"] != "ok":
            marks.append(Marker(i, "problem", f"{p['short']} {p['date'][:10]}: {p['status']}: {p['problem']}"))
        elif p["unparsable"]["count"]:
            marks.append(Marker(i, "note", f"{p['short']}: {p['unparsable']['count']} file(s) do not parse: "
                                + ", ".join(p["unparsable"]["paths"][:5])))
    return marks


def _levels(points: Sequence[Doc]) -> list[tuple[int, int]]:
    levels: list[tuple[int, int]] = []
    for i, p in enumerate(points):
        if p["baseline"] is not None and (not levels or levels[-1][1] != p["baseline"]["recorded"]):
            levels.append((i, p["baseline"]["recorded"]))
    return levels


def _mark_legend(points: Sequence[Doc]) -> str:
    notes = [('<span class="muted">dashed line: the baseline (accepted occurrences); dotted: where it was recorded'
             '</span>')]
    if any(p["status"] != "ok" for p in points):
        notes.append(f'<span style="--c:{PROBLEM_COLOUR}">× commit without figures (see the table)</span>')
    if any(p["unparsable"]["count"] for p in points):
        notes.append(f'<span style="--c:{NOTE_COLOUR}">▲ files that do not parse</span>')
    return '<div class="legend">' + "".join(notes) + "</div>"


def _commit_table(document: Doc) -> str:
    groups = list(document["groups"])
    rows, classes = [], []
    for p in reversed(document["points"]):
        totals = p["totals"]
        notes = []
        if p["status"] != "ok":
            notes.append(f"{p['status']}: {p['problem']}")
        if p["unparsable"]["count"]:
            notes.append(f"{p['unparsable']['count']} file(s) do not parse")
        if p["baseline_recorded"]:
            notes.append("baseline recorded")
        row: list[object] = [p["date"][:10], p["short"], p["subject"][:70]]
        if totals is None:
            row += ["—"] * (len(groups) + 3)
        else:
            row += [totals["sites"], *(totals["by_group"].get(g, 0) for g in groups), p["broken"],
                    p["baseline"]["new"] if p["baseline"] else "—"]
        rows.append([*row, "; ".join(notes)])
        classes.append("problem" if p["status"] != "ok" else "")
    return _table(["date", "commit", "subject", "findings", *groups, "broken", "new vs baseline", "notes"], rows,
                  "<<<" + ">" * (len(groups) + 3) + "<", classes=classes)
