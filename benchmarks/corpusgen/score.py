"""Score ``ssot-lsp check --format json`` findings against a corpus's ground truth.

Each finding is matched with the sites labelled on its line (``ground_truth.json``):

* **matched**: a code the site expects (target behaviour), found; a wrong severity is counted apart;
* **missed**: a code the site expects, not found on that line;
* **allowed**: a code the site allows (test doubles: at most information) at an allowed severity;
* **too severe**: an allowed code reported above the allowed severity;
* **unexpected**: any other finding on a labelled live line — on a must-stay-clean site, a clean site
  violated;
* **unlabelled**: a finding on a live line no site describes (a false positive, or a labelling gap);
* **in backup**: any finding in a backup copy (the profile excludes them: the target is none).

Tables per rule and per shape (``shape.variant``); for backup copies the table also shows the codes
the same text has in the live tree (``if_included``), for comparing with today's behaviour while
backups are not excluded.  A missed and an unexpected finding of one code in one file are also
counted as "differ only in the line".  Sites marked ``python_below`` (3.12 f-strings) expect their
finding only when the tool runs on an older Python.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field

SEVERITY_RANK = {"hint": 0, "information": 1, "info": 1, "warning": 2, "error": 3}


@dataclass
class Finding:
    path: str
    line: int
    code: str
    severity: str = ""


@dataclass
class Score:
    per_rule: dict = field(default_factory=lambda: defaultdict(Counter))
    per_shape: dict = field(default_factory=lambda: defaultdict(Counter))
    samples: dict = field(default_factory=lambda: defaultdict(list))
    line_only: int = 0
    files_analysed: int | None = None
    stale_named: tuple[int, int] | None = None

    def total(self, key: str) -> int:
        return sum(c[key] for c in self.per_rule.values())


def sites_of(truth: dict) -> list[dict]:
    """Sites of a ground truth; the clear-cut corpus's ``findings`` list becomes sites too."""
    if "sites" in truth:
        return truth["sites"]
    return [{"path": p, "line": ln, "shape": "clearcut", "variant": code, "expect": [code], "text": "",
             "test": False, "backup": False} for p, ln, code in truth.get("findings", [])]


def score(findings: list[Finding], truth: dict, python: tuple[int, int], limit: int = 12) -> Score:
    s = Score()
    by_line: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for site in sites_of(truth):
        by_line[(site["path"], int(site["line"]))].append(site)
    found: dict[tuple[str, int], list[Finding]] = defaultdict(list)
    for f in findings:
        found[(f.path, f.line)].append(f)
    missing_fc: Counter = Counter()
    unexpected_fc: Counter = Counter()

    def sample(kind: str, text: str) -> None:
        if len(s.samples[kind]) < limit:
            s.samples[kind].append(text)

    for key, sites in by_line.items():
        here = found.pop(key, [])
        main = max(sites, key=lambda x: len(x["expect"]) + len(x.get("if_included", [])))
        shape = f"{main['shape']}.{main['variant']}"
        got = Counter(f.code for f in here)
        for f in here:
            s.per_rule[f.code]["found"] += 1
        if main["backup"]:  # excluded by the profile: every finding there is one too many
            row = s.per_shape[(shape, "backup")]
            row["sites"] += len(sites)
            row["if_included"] += len(main.get("if_included", []))
            row["found"] += len(here)
            for code, n in got.items():
                s.per_rule[code]["in_backup"] += n
            continue
        row = s.per_shape[(shape, "live")]
        expected: Counter = Counter()
        allowed: dict[str, str] = {}
        severity: dict[str, str] = {}
        for site in sites:
            below = site.get("python_below")
            if below and python >= tuple(int(x) for x in below.split(".")):
                continue
            expected.update(site["expect"])
            allowed.update(site.get("allow", {}))
            severity.update(site.get("severity", {}))
        row["sites"] += len(sites)
        row["expected"] += sum(expected.values())
        for code in expected:
            s.per_rule[code]["expected"] += expected[code]
        for code, n in (expected & got).items():
            s.per_rule[code]["matched"] += n
            row["matched"] += n
            want = severity.get(code)
            for f in here:
                if f.code == code and want and f.severity and SEVERITY_RANK.get(f.severity) != SEVERITY_RANK.get(want):
                    s.per_rule[code]["severity_mismatch"] += 1
                    row["severity_mismatch"] += 1
                    sample("severity", f"{code} {key[0]}:{key[1]} ({f.severity}, expected {want}; {shape})")
                    break
        for code, n in (expected - got).items():
            s.per_rule[code]["missed"] += n
            row["missed"] += n
            missing_fc[(key[0], code)] += n
            sample("missed", f"{code} {key[0]}:{key[1]} ({shape})")
        for code, n in (got - expected).items():
            f = next(x for x in here if x.code == code)
            if code in allowed and SEVERITY_RANK.get(f.severity, 3) <= SEVERITY_RANK[allowed[code]]:
                s.per_rule[code]["allowed"] += n
                row["allowed"] += n
            elif code in allowed:
                s.per_rule[code]["too_severe"] += n
                row["too_severe"] += n
                sample("too_severe", f"{code} {key[0]}:{key[1]} ({f.severity}, at most {allowed[code]}; {shape})")
            else:
                s.per_rule[code]["unexpected"] += n
                row["unexpected"] += n
                unexpected_fc[(key[0], code)] += n
                sample("unexpected", f"{code} {key[0]}:{key[1]} ({shape})")
    for rest in found.values():
        for f in rest:
            s.per_rule[f.code]["found"] += 1
            if _is_backup(f.path):
                s.per_rule[f.code]["in_backup"] += 1
                continue
            s.per_rule[f.code]["unlabelled"] += 1
            unexpected_fc[(f.path, f.code)] += 1
            sample("unlabelled", f"{f.code} {f.path}:{f.line}")
    s.line_only = sum((missing_fc & unexpected_fc).values())
    return s


def _is_backup(rel: str) -> bool:
    parts = rel.split("/")
    return any(p in ("backup", "backups", "archive", "archived") for p in parts[:-1]) or ".backup" in parts[-1]


def _is_test(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return rel.startswith("tests/") or "/tests/" in rel or name.startswith("test_") or name == "conftest.py"


def stale_named(truth: dict, raw_output: str) -> tuple[int, int]:
    """How many of the stale configuration names (issue 13 §4) the tool's output mentions anywhere
    outside its findings (a crude check until the warning has a fixed place in the JSON)."""
    stale = truth.get("stale_configuration") or {}
    names = [n for group in stale.values() for n in group]
    return sum(1 for n in names if n in raw_output), len(names)


def render(s: Score, corpus: str | None = None, show_samples: bool = True) -> str:
    out = []
    cols = ("expected", "found", "matched", "missed", "unexpected", "unlabelled", "in_backup", "allowed",
            "too_severe", "severity_mismatch")
    heads = ("expected", "found", "matched", "missed", "unexp", "unlabel", "backup", "allowed", ">allowed", "sev!=")
    out.append("Per rule, against the target behaviour (default profile; backups are excluded, so every finding "
               "there counts in 'backup')")
    out.append(f"  {'code':<8}" + "".join(f"{h:>9}" for h in heads) + f"{'recall':>8}{'precision':>10}")
    tot: Counter = Counter()
    rows = sorted(s.per_rule.items()) + [("total", None)]
    for code, c in rows:
        if c is None:
            c = tot
        else:
            tot.update(c)
        rec = c["matched"] / c["expected"] if c["expected"] else None
        prec = (c["matched"] + c["allowed"]) / c["found"] if c["found"] else None
        out.append(f"  {code:<8}" + "".join(f"{c[k]:>9}" for k in cols) + f"{_fmt(rec):>8}{_fmt(prec):>10}")
    out.append("  unexp: on a labelled live line (a must-stay-clean site, or a code the site does not expect); "
               "unlabel: on a live line no site describes;")
    out.append("  allowed / >allowed: test doubles reported at most at / above the allowed severity; sev!=: matched with "
               f"another severity; {s.line_only} missed/unexpected pairs differ only in the line")
    out.append("")
    out.append("Per shape: live sites against the target; backup copies: findings there (the target is none) and what "
               "the same text gives in the live tree (if_incl)")
    out.append(f"  {'shape.variant':<52}{'sites':>6}{'expect':>7}{'match':>6}{'miss':>6}{'unexp':>6}{'allow':>6}"
               f"{'>allow':>7}{'sev!=':>6} |{'copies':>7}{'found':>6}{'if_incl':>8}")
    for shape in sorted({k[0] for k in s.per_shape}):
        c = s.per_shape.get((shape, "live"), Counter())
        b = s.per_shape.get((shape, "backup"), Counter())
        out.append(f"  {shape:<52}{c['sites']:>6}{c['expected']:>7}{c['matched']:>6}{c['missed']:>6}"
                   f"{c['unexpected']:>6}{c['allowed']:>6}{c['too_severe']:>7}{c['severity_mismatch']:>6} |"
                   f"{b['sites']:>7}{b['found']:>6}{b['if_included']:>8}")
    if s.stale_named is not None:
        out.append("")
        out.append(f"stale configuration names (issue 13 section 4) mentioned in the output: "
                   f"{s.stale_named[0]} of {s.stale_named[1]}")
    if show_samples:
        for kind in ("missed", "unexpected", "unlabelled", "too_severe", "severity"):
            items = s.samples.get(kind)
            if not items:
                continue
            out.append("")
            out.append(f"  {kind} (first {len(items)}):")
            for item in items:
                loc = item.split(" ", 2)[1]
                path, _, line = loc.rpartition(":")
                src = _source_line(corpus, path, int(line)) if corpus else ""
                out.append(f"    {item}" + (f"\n        {src}" if src else ""))
    return "\n".join(out)


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _source_line(corpus: str, rel: str, line: int) -> str:
    try:
        with open(os.path.join(corpus, rel), encoding="utf-8") as fh:
            for i, text in enumerate(fh, 1):
                if i == line:
                    return text.strip()[:110]
    except (OSError, ValueError):
        pass
    return ""


def as_json(s: Score) -> dict:
    return {
        "per_rule": {code: dict(c) for code, c in s.per_rule.items()},
        "per_shape": [{"shape": shape, "side": side, **dict(c)} for (shape, side), c in sorted(s.per_shape.items())],
        "line_only": s.line_only,
        "stale_named": s.stale_named,
    }
