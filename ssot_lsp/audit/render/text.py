"""The audit as text: the tables of one tree, and the table per commit of a history.

Reads the JSON document (``audit/document.py``), so every format shows the same figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ssot_lsp.audit.render.table import LEFT, RIGHT, TextStyle, render_table

TOP_SYMBOLS = 15  # symbols shown per group by default (``--top``); the JSON and HTML reports list all
SITES_LISTED = 20


def short_code(code: str) -> str:
    """``SSOT001`` -> ``001`` for column headers (the legend names the rules)."""
    return code[4:] if code.startswith("SSOT") and code[4:].isdigit() else code


def split_subject(subject: str) -> tuple[str, str]:
    """(name, module) of ``module:Name``; a module is its own name."""
    module, _, name = subject.partition(":")
    return (name, module) if name else (module.rpartition(".")[2], module)


def _legend(document: Mapping[str, Any], codes: list[str]) -> str:
    names = {r["code"]: r["name"] for r in document["rules"]}
    return "rules: " + ", ".join(f"{short_code(c)} {names.get(c, c)}" for c in codes)


def render_audit_text(document: Mapping[str, Any], style: TextStyle, top: int = TOP_SYMBOLS) -> str:
    out = _header(document, style)
    out += _symbols(document, style, top)
    out += _directories(document, style)
    out += _broken(document, style)
    out += _baseline(document, style)
    for error in document["errors"]:
        out.append(f"{error['path']}: skipped: {error['message']}")
    return "\n".join(out).rstrip() + "\n"


def _header(document: Mapping[str, Any], style: TextStyle) -> list[str]:
    totals, files = document["totals"], document["files"]
    lines = [style.bold(f"SSOT audit of {document['root']}") + f" (configuration: {document['configuration']})",
             (f"{totals['sites']:,} finding{'s' if totals['sites'] != 1 else ''} in {totals['files']:,} files "
             f"({files['analysed']:,} of {files['total']:,} files analysed): {totals['production']:,} in production "
             f"code, {totals['tests']:,} in tests")]
    if totals["by_group"]:
        lines.append("by group: " + ", ".join(f"{g} {n:,}" for g, n in totals["by_group"].items()))
    return lines


def _symbols(document: Mapping[str, Any], style: TextStyle, top: int) -> list[str]:
    codes = [c for c in document["codes"] if any(c in row["by_rule"] for row in document["symbols"])]
    lines = ["", style.bold("By group and symbol") + " (sites per rule; prod/tests: sites in production code and in tests)",
             "  " + _legend(document, codes)]
    if not document["symbols"]:
        return [*lines, "  no finding belongs to a group"]
    headers = ["group", "symbol", "role", *(short_code(c) for c in codes), "sites", "files", "prod", "tests", "module"]
    rows: list[list[object]] = []
    hidden: dict[str, tuple[int, int]] = {}
    shown: dict[str, int] = {}
    for row in document["symbols"]:
        group = row["group"]
        if top and shown.get(group, 0) >= top:
            count, sites = hidden.get(group, (0, 0))
            hidden[group] = (count + 1, sites + row["sites"])
            continue
        shown[group] = shown.get(group, 0) + 1
        name, module = split_subject(row["subject"])
        rows.append([group, name, row["role"], *(row["by_rule"].get(c, 0) for c in codes), row["sites"], row["files"],
                     row["production"], row["tests"], module])
    lines += render_table(headers, rows, LEFT * 3 + RIGHT * (len(codes) + 4) + LEFT, style)
    for group, (count, sites) in hidden.items():
        lines.append(style.dim(f"  … {group}: {count} more symbol{'s' if count != 1 else ''} with {sites:,} "
                               f"site{'s' if sites != 1 else ''} (--top 0 lists every symbol)"))
    return lines


def _directories(document: Mapping[str, Any], style: TextStyle) -> list[str]:
    table = document["directories"]
    groups = [g["name"] for g in document["groups"]]
    extra = sorted({g for row in table["rows"] for g in row["by_group"]} - set(groups))
    columns = groups + extra
    lines = ["", style.bold(f"By directory (depth {table['depth']})")]
    if not table["rows"]:
        return [*lines, "  no findings"]
    headers = ["directory", "prod sites", "prod files", "test sites", "test files", *columns]
    rows = [[row["directory"], row["production_sites"], row["production_files"], row["test_sites"], row["test_files"],
             *(row["by_group"].get(g, 0) for g in columns)] for row in table["rows"]]
    return lines + render_table(headers, rows, LEFT + RIGHT * (4 + len(columns)), style)


def _broken(document: Mapping[str, Any], style: TextStyle) -> list[str]:
    broken = document["broken"]
    title = style.bold(f"Broken by the migration ({broken['code']}"
                       + (f" {broken['rule']})" if broken["rule"] else ")"))
    if not broken["available"]:
        return ["", title, f"  {broken['code']} is not a rule of this version"]
    if not broken["count"]:
        return ["", title, "  nothing: no call or reference the migration left dangling"]
    lines = ["", title + f": {broken['count']:,} site{'s' if broken['count'] != 1 else ''}"]
    return lines + _site_lines(broken["sites"], broken["count"])


def _site_lines(sites: list[Mapping[str, Any]], count: int) -> list[str]:
    lines = [f"  {s['path']}:{s['line']}: {s['code']} {s['message']}" for s in sites[:SITES_LISTED]]
    if count > SITES_LISTED:
        lines.append(f"  … {count - SITES_LISTED:,} more (--format json lists them)")
    return lines


def _baseline(document: Mapping[str, Any], style: TextStyle) -> list[str]:
    baseline = document["baseline"]
    if baseline is None:
        return ["", style.bold("Against the baseline"), "  no baseline file (record one with `ssot-lsp baseline`)"]
    lines = ["", style.bold(f"Against the baseline {baseline['file']}") + f" ({baseline['recorded']:,} accepted)",
             f"  fixed {baseline['fixed']:,}, new {baseline['new']:,}, remaining {baseline['remaining']:,}"]
    if baseline["by_rule"]:
        rows = [[code, d["fixed"], d["new"], d["remaining"]] for code, d in baseline["by_rule"].items()]
        lines += render_table(["rule", "fixed", "new", "remaining"], rows, LEFT + RIGHT * 3, style)
    if baseline["new"]:
        lines += ["  new since the baseline:", *_site_lines(baseline["new_sites"], baseline["new"])]
    return lines
