"""How bench_check scores findings against a ground truth (``benchmarks/corpusgen/score.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpusgen.score import Finding, score

PY311 = (3, 11)


def site(line, expect=(), **kw):
    return {"path": "a.py", "line": line, "shape": kw.pop("shape", "s"), "variant": kw.pop("variant", "v"),
            "expect": list(expect), "text": "", "test": False, "backup": False, **kw}


def run(sites, findings):
    return score([Finding("a.py", ln, code, sev) for ln, code, sev in findings], {"sites": sites}, PY311)


def test_an_expected_finding_on_its_line_is_matched_and_elsewhere_is_missed_and_line_only():
    s = run([site(3, ["SSOT002"], severity={"SSOT002": "error"})], [(4, "SSOT002", "error")])
    assert s.per_rule["SSOT002"]["missed"] == 1 and s.per_rule["SSOT002"]["unlabelled"] == 1
    assert s.line_only == 1
    s = run([site(3, ["SSOT002"], severity={"SSOT002": "error"})], [(3, "SSOT002", "error")])
    assert s.per_rule["SSOT002"]["matched"] == 1 and not s.per_rule["SSOT002"]["severity_mismatch"]


def test_a_finding_on_a_site_that_must_stay_clean_is_unexpected():
    s = run([site(7, shape="delegating", variant="all_methods_delegate")], [(7, "SSOT006", "information")])
    assert s.per_rule["SSOT006"]["unexpected"] == 1
    assert s.per_shape[("delegating.all_methods_delegate", "live")]["unexpected"] == 1


def test_a_test_double_may_be_reported_up_to_the_allowed_severity_only():
    sites = [site(1, allow={"SSOT004": "information"})]
    assert run(sites, [(1, "SSOT004", "information")]).per_rule["SSOT004"]["allowed"] == 1
    assert run(sites, [(1, "SSOT004", "warning")]).per_rule["SSOT004"]["too_severe"] == 1


def test_a_matched_code_with_another_severity_is_counted_apart():
    s = run([site(2, ["SSOT008"], severity={"SSOT008": "information"})], [(2, "SSOT008", "warning")])
    assert s.per_rule["SSOT008"]["matched"] == 1 and s.per_rule["SSOT008"]["severity_mismatch"] == 1


def test_findings_in_backup_copies_count_against_the_target_and_show_the_live_codes():
    sites = [{**site(5, backup=True, if_included=["SSOT001"]), "path": "backups/x/a.py"}]
    s = score([Finding("backups/x/a.py", 5, "SSOT001", "warning"), Finding("backups/x/a.py", 9, "SSOT010", "warning")],
              {"sites": sites}, PY311)
    assert s.per_rule["SSOT001"]["in_backup"] == 1 and s.per_rule["SSOT010"]["in_backup"] == 1
    assert s.per_shape[("s.v", "backup")]["if_included"] == 1 and not s.per_rule["SSOT010"]["unlabelled"]


def test_newer_syntax_is_expected_only_before_python_3_12():
    sites = [site(1, ["SSOT009"], python_below="3.12")]
    assert score([], {"sites": sites}, (3, 11)).per_rule["SSOT009"]["missed"] == 1
    assert score([], {"sites": sites}, (3, 12)).per_rule["SSOT009"]["missed"] == 0
