"""Measure a corpus on disk and compare it with the real monorepo's figures (``--stats``).

Everything is measured from the files, not from the generator's plan:

* sizes: ``.py`` files, lines, lines per file (mean, median, p90, p99, max);
* "SSOT"/"ssot" in comments, docstrings or string literals (log messages), and anywhere (what a
  substring prefilter on ``ssot``/``SSOT``/``Ssot`` sees);
* engine, supervisor or emitter names (``names.MENTION_TOKENS``), and the share of those files in
  which every occurrence is in a comment, docstring, string, annotation or import;
* backup copies (``backup/``, ``backups/`` folders at any depth, ``*.backup*`` names) by files and
  lines, archives apart; test files (the profile's test globs);
* files that do not parse with ``ast`` on this Python; of those, the ones libcst parses (3.12 f-strings).

Where an occurrence is (comment, docstring, string, annotation, import, code) is decided per line
by a heuristic: inside a triple-quoted span -> docstring; after an unquoted ``#`` -> comment; after
an odd number of quotes -> string; after ``:``, ``->``, ``[`` or ``|`` -> annotation.
"""

from __future__ import annotations

import ast
import json
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor

from .layout import is_archive_path, is_backup_path, is_test_path
from .names import MENTION_TOKENS

# (key, what, real figure, tolerance as an absolute difference) - the real figures of issue 10 §1
TARGETS = [
    ("files", ".py files", 25058, None),
    ("lines", "lines", 10_200_000, None),
    ("mean", "lines per file: mean", 408, 25),
    ("median", "lines per file: median", 342, 25),
    ("p90", "lines per file: p90", 794, 60),
    ("p99", "lines per file: p99", 1628, 150),
    ("max", "lines per file: max", 5207, 300),
    ("ssot_text_pct", "files with SSOT/ssot in comments, docstrings or strings (%)", 58.0, 3.0),
    ("mention_pct", "files with engine/supervisor/emitter names (%)", 16.0, 2.0),
    ("backup_files_pct", "files under backup(s)/ or named *.backup* (%)", 56.0, 2.0),
    ("backup_lines_pct", "lines in those files (%)", 59.0, 2.0),
    ("test_pct", "test files (profile test globs) (%)", 85.0, 2.0),
    ("newer_syntax_pct", "files with 3.12-only f-strings (%)", 0.2, 0.1),
    ("unparseable_pct", "files that do not parse (%)", 0.01, 0.01),
]

_TRIPLE = re.compile(r'"""|\'\'\'')
_WORD = re.compile(r"ssot", re.IGNORECASE)
_MENTION = re.compile("|".join(re.escape(t) for t in MENTION_TOKENS))
_ANNOT = re.compile(r"(:\s*|->\s*|\[\s*|\|\s*|Optional\[|,\s*)$")


def _spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], None
    for m in _TRIPLE.finditer(text):
        if start is None:
            start = m.start()
        else:
            spans.append((start, m.end()))
            start = None
    return spans


def where(text: str, pos: int, spans: list[tuple[int, int]]) -> str:
    """Where the occurrence at ``pos`` is: docstring, comment, string, import, annotation or code."""
    for a, b in spans:
        if a <= pos < b:
            return "docstring"
        if a > pos:
            break
    line_start = text.rfind("\n", 0, pos) + 1
    prefix = text[line_start:pos]
    quotes = 0
    for i, ch in enumerate(prefix):
        if ch in "\"'":
            quotes += 1
        elif ch == "#" and quotes % 2 == 0:
            return "comment"
    if quotes % 2:
        return "string"
    stripped = prefix.lstrip()
    if stripped.startswith(("from ", "import ")) or (not stripped and text.startswith(("from", "import"), pos)):
        return "import"
    if prefix.rstrip() and _ANNOT.search(prefix) and "(" not in prefix[-2:]:
        return "annotation"
    return "code"


def _file_facts(path: str, rel: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    lines = text.count("\n") + (1 if text and not text.endswith("\n") else 0)
    facts = {"rel": rel, "lines": lines, "ssot_any": False, "ssot_text": False, "mention": False,
             "mention_harmless": False}
    if "ssot" in text or "SSOT" in text or "Ssot" in text:
        facts["ssot_any"] = True
        spans = _spans(text)
        facts["ssot_text"] = any(where(text, m.start(), spans) in ("docstring", "comment", "string")
                                 for m in _WORD.finditer(text))
    else:
        spans = None
    if any(tok in text for tok in MENTION_TOKENS):
        facts["mention"] = True
        spans = spans if spans is not None else _spans(text)
        kinds = {where(text, m.start(), spans) for m in _MENTION.finditer(text)}
        facts["mention_harmless"] = kinds <= {"docstring", "comment", "string", "annotation", "import"}
    return facts


def _parse(path: str) -> str:
    """"ok", "newer" (libcst parses it: newer syntax) or "error"."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    try:
        ast.parse(text)
        return "ok"
    except SyntaxError:
        pass
    try:
        import libcst
    except ImportError:
        return "error"
    try:
        libcst.parse_module(text, config=libcst.PartialParserConfig(python_version="3.12"))
        return "newer"
    except Exception:  # noqa: BLE001 - libcst raises several error types for bad input
        return "error"


def py_files(root: str) -> list[str]:
    out = []
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for f in sorted(files):
            if f.endswith(".py"):
                out.append(os.path.relpath(os.path.join(d, f), root).replace(os.sep, "/"))
    return out


def measure(root: str, parse: bool = True, jobs: int | None = None) -> dict:
    t0 = time.perf_counter()
    rels = py_files(root)
    facts = [_file_facts(os.path.join(root, rel), rel) for rel in rels]
    n = len(facts)
    sizes = sorted(f["lines"] for f in facts)
    total = sum(sizes)
    backup = [f for f in facts if is_backup_path(f["rel"])]
    archive = [f for f in facts if is_archive_path(f["rel"])]
    mention = [f for f in facts if f["mention"]]
    m = {
        "files": n, "lines": total,
        "mean": round(total / n, 1) if n else 0, "median": sizes[n // 2] if n else 0,
        "p90": sizes[min(n - 1, int(n * 0.9))] if n else 0, "p99": sizes[min(n - 1, int(n * 0.99))] if n else 0,
        "max": sizes[-1] if n else 0,
        "ssot_text_pct": _pct(sum(f["ssot_text"] for f in facts), n),
        "ssot_any_pct": _pct(sum(f["ssot_any"] for f in facts), n),
        "mention_pct": _pct(len(mention), n),
        "mention_harmless_pct": _pct(sum(f["mention_harmless"] for f in mention), len(mention)),
        "ssot_or_mention_pct": _pct(sum(f["ssot_any"] or f["mention"] for f in facts), n),
        "backup_files_pct": _pct(len(backup), n),
        "backup_lines_pct": _pct(sum(f["lines"] for f in backup), total),
        "archive_files_pct": _pct(len(archive), n),
        "test_pct": _pct(sum(is_test_path(f["rel"]) for f in facts), n),
    }
    if parse:
        with ProcessPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
            results = list(pool.map(_parse, [os.path.join(root, r) for r in rels], chunksize=64))
        m["newer_syntax_pct"] = _pct(results.count("newer"), n)
        m["unparseable_pct"] = _pct(results.count("error"), n)
        m["newer_syntax_files"] = results.count("newer")
        m["unparseable_files"] = [r for r, res in zip(rels, results) if res == "error"]
    m["seconds"] = round(time.perf_counter() - t0, 1)
    return m


def _pct(k: int, n: int) -> float:
    return round(100.0 * k / n, 2) if n else 0.0


def shape_figures(truth: dict) -> list[tuple[str, int | str, int]]:
    """Counts of the trial's shapes in the whole corpus (backups included, as the trial saw them)."""
    def count(shape: str, variant: str | None = None, code: str | None = None) -> int:
        k = 0
        for s in truth["sites"]:
            if s["shape"] != shape or (variant and s["variant"] != variant):
                continue
            codes = s["expect"] or s.get("if_included", [])
            k += 1 if code is None or code in codes else 0
        return k

    def files(shape: str, variant: str) -> int:
        return len({s["path"] for s in truth["sites"] if s["shape"] == shape and s["variant"] == variant})

    emitters = sum(1 for s in truth["sites"] if s["text"].startswith("class ") and
                   s["shape"] in ("test_double", "interface", "delegating", "migration_module") and
                   ("SSOT006" in (s["expect"] or s.get("if_included", [])) or "SSOT006" in s.get("allow", {}) or
                    s["shape"] in ("interface", "delegating")))
    return [
        ("canonical imported under a legacy name (SSOT008, harmless)", 637, count("renamed_import", "canonical_as_legacy_name")),
        ("calls through unbound canonical/legacy names (SSOT011a)", "~150",
         count("renamed_import", "unrenamed_call") + count("renamed_import", "unrenamed_legacy_call")),
        ("create_from_legacy calls after its removal (SSOT011c)", 44, count("create_from_legacy", "after_removal")),
        ("discovered-duplicate imports + constructions", "~60", count("discovered_duplicate", "import") +
         count("discovered_duplicate", "construction")),
        ("files with an ImportError fallback construction", 17, files("importerror_fallback", "construction")),
        ("classes with notify_agent_* methods (SSOT006 candidates)", 182, emitters),
        ("patch targets in legacy modules (SSOT007 patch sites)", "76 (backend)",
         sum(1 for s in truth["sites"] if s["shape"] == "patch_target" and "SSOT007" in (s["expect"] or s.get("if_included", [])))),
    ]


def report(m: dict, truth: dict | None = None) -> str:
    out = [f"{'property':<62} {'real tree':>12} {'corpus':>12}  ok"]
    for key, what, real, tol in TARGETS:
        if key not in m:
            continue
        val = m[key]
        ok = "" if tol is None else ("yes" if abs(val - real) <= tol else "NO")
        out.append(f"{what:<62} {real:>12,} {val:>12,}  {ok}" if isinstance(real, int) else
                   f"{what:<62} {real:>12} {val:>12}  {ok}")
    out.append("")
    out.append("informative (no target):")
    out.append(f"  files with ssot/SSOT/Ssot anywhere (what a substring prefilter sees): {m['ssot_any_pct']} %")
    out.append(f"  ... or an engine/supervisor/emitter name: {m['ssot_or_mention_pct']} % "
               "(the trial's check analysed 62.5 % with both needle sets)")
    out.append(f"  mentioning files whose names are all in comments/docstrings/strings/annotations/imports: "
               f"{m['mention_harmless_pct']} %")
    out.append(f"  archive/ and archived/ folders: {m['archive_files_pct']} % of the files")
    if "unparseable_files" in m:
        out.append(f"  files that do not parse: {', '.join(m['unparseable_files']) or 'none'}")
    if truth is not None:
        out.append("")
        out.append(f"{'shape (whole corpus, backups included)':<62} {'real tree':>12} {'corpus':>12}")
        for what, real, val in shape_figures(truth):
            out.append(f"{what:<62} {real!s:>12} {val:>12,}")
    out.append("")
    out.append(f"measured in {m['seconds']} s")
    return "\n".join(out)


def write_report(root: str, m: dict, text: str) -> None:
    with open(os.path.join(root, "corpus_stats.txt"), "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
    with open(os.path.join(root, "corpus_stats.json"), "w", encoding="utf-8") as fh:
        json.dump(m, fh, indent=1)
