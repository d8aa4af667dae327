"""`audit --history` against `check`: every point equals what `check` reports on a checkout of its commit.

The repository's commits introduce and fix violations, break and repair the configuration, add a
file that does not parse, record a baseline, and ignore a folder through .gitignore; each commit is
then written out separately (``git archive``) and checked there.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.audit.conftest import History, checkout, git
from tests.cli.conftest import LEGACY_CALLER, SMALL_CONFIG, SMALL_FILES, run_ssot

LEGACY_TEST = """\
from app.old_engine import OldEngine


def test_old_engine_still_runs():
    assert OldEngine() is not None
"""
MIGRATED_CALLER = "from app.factory import make\n\n\ndef run():\n    return make()\n"
STRING_PATCH = 'from unittest.mock import patch\n\n\ndef test_patch():\n    with patch("app.old_engine.OldEngine"):\n        pass\n'


def build(history: History, tmp_path: Path) -> None:
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES, "app/caller.py": LEGACY_CALLER},
                   "Start: one legacy caller")
    history.commit({"tests/test_engine.py": LEGACY_TEST, "app/second.py": LEGACY_CALLER}, "More legacy uses")
    history.commit({"app/caller.py": MIGRATED_CALLER}, "Migrate the caller to the factory")
    history.commit({"pyproject.toml": SMALL_CONFIG + 'exclude = "generated"\n'}, "Configure exclude (wrong type)")
    history.commit({"pyproject.toml": SMALL_CONFIG, "app/broken.py": "from app.old_engine import OldEngine\n\n\ndef broken(:\n    pass\n"},
                   "Fix the configuration; a file that does not parse")
    recorded = run_ssot("baseline", cwd=history.repo)
    assert recorded.returncode == 0, recorded.stderr
    history.commit({}, "Record a baseline")
    history.commit({"app/third.py": LEGACY_CALLER, "app/broken.py": None, ".gitignore": "generated/\n",
                    "generated/legacy.py": LEGACY_CALLER, "tests/test_patch.py": STRING_PATCH},
                   "A new legacy caller after the baseline; generated code ignored")


def sites(report: dict) -> set[tuple[str, int, str]]:
    return {(v["path"], v["line"], v["code"]) for v in report["violations"]}


def test_every_point_equals_check_on_a_checkout_of_its_commit(history: History, tmp_path: Path):
    build(history, tmp_path)
    audit = run_ssot("audit", "--history", "main", "--format", "json", "--sites", cwd=history.repo)
    assert audit.returncode == 0, audit.stderr
    points = json.loads(audit.stdout)["points"]
    assert [p["commit"] for p in points] == history.commits
    for number, (commit, point) in enumerate(zip(history.commits, points)):
        tree = checkout(history.repo, commit, tmp_path / f"commit-{number}")
        full = run_ssot("check", "--no-cache", "--no-baseline", "--format", "json", cwd=tree)
        if full.returncode == 2:
            assert point["status"] == "invalid-configuration", (number, full.stderr)
            assert "exclude" in point["problem"]
            continue
        assert point["status"] == "ok", (number, point["problem"])
        report = json.loads(full.stdout)
        assert {tuple(s) for s in point["sites"]} == sites(report), number
        assert point["totals"]["by_rule"] == report["counts"], number
        unparsable = {v["path"] for v in report["violations"] if v["code"] == "SSOT009"}
        assert point["unparsable"]["paths"] == sorted(unparsable), number
        with_baseline = run_ssot("check", "--no-cache", "--format", "json", cwd=tree)
        if (tree / ".ssot-baseline.json").exists():
            assert point["baseline"]["new"] == len(json.loads(with_baseline.stdout)["violations"]), number
            assert point["baseline"]["remaining"] + point["baseline"]["new"] == point["totals"]["sites"]
        else:
            assert point["baseline"] is None


def test_the_history_moves_as_the_commits_did(history: History, tmp_path: Path):
    build(history, tmp_path)
    audit = run_ssot("audit", "--history", "main", "--format", "json", cwd=history.repo)
    points = json.loads(audit.stdout)["points"]
    totals = [p["totals"]["sites"] if p["totals"] else None for p in points]
    assert totals[0] < totals[1]  # more legacy uses
    assert totals[2] < totals[1]  # the caller migrated
    assert totals[3] is None  # invalid configuration: no figures, not zero
    assert points[4]["unparsable"]["count"] == 1
    assert [p["baseline_recorded"] for p in points] == [False] * 5 + [True, False]
    # new: third.py imports and constructs, a test patches the legacy class; fixed: broken.py is gone
    assert (points[6]["baseline"]["new"], points[6]["baseline"]["fixed"]) == (3, 1)


@pytest.mark.parametrize("max_points, expected", [(3, [0, 3, 6]), (1, [6]), (7, list(range(7)))])
def test_max_points_samples_evenly_and_keeps_the_newest(history: History, tmp_path: Path, max_points, expected):
    build(history, tmp_path)
    audit = run_ssot("audit", "--history", "main", "--max-points", str(max_points), "--format", "json",
                     cwd=history.repo)
    points = json.loads(audit.stdout)["points"]
    assert [p["commit"] for p in points] == [history.commits[i] for i in expected]


def test_a_range_takes_the_commits_after_its_start(history: History, tmp_path: Path):
    build(history, tmp_path)
    audit = run_ssot("audit", "--history", f"{history.commits[3]}..main", "--format", "json", cwd=history.repo)
    assert [p["commit"] for p in json.loads(audit.stdout)["points"]] == history.commits[4:]
    assert git(history.repo, "status", "--porcelain") == ""  # nothing written into the working tree


def test_paths_restrict_every_point_as_they_restrict_check(history: History, tmp_path: Path):
    build(history, tmp_path)
    audit = run_ssot("audit", "--history", "main", "--format", "json", "--sites", "tests", cwd=history.repo)
    assert audit.returncode == 0, audit.stderr
    points = json.loads(audit.stdout)["points"]
    compared = 0
    for number, (commit, point) in enumerate(zip(history.commits, points)):
        tree = checkout(history.repo, commit, tmp_path / f"commit-{number}")
        if not (tree / "tests").is_dir() or point["status"] != "ok":
            continue
        check = run_ssot("check", "--no-cache", "--no-baseline", "--format", "json", "tests", cwd=tree)
        expected = sites(json.loads(check.stdout))
        assert expected and all(path.startswith("tests/") for path, _, _ in expected), number
        assert {tuple(s) for s in point["sites"]} == expected, number
        compared += 1
    assert compared >= 3


def baselined_caller_edited(history: History, tmp_path: Path, edited: str) -> tuple[dict, dict]:
    """A legacy caller, a baseline recorded, then the caller ``edited``: the last point of
    `audit --history`, and `check` (with the baseline) on a checkout of the last commit."""
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES, "app/caller.py": LEGACY_CALLER}, "A legacy caller")
    recorded = run_ssot("baseline", cwd=history.repo)
    assert recorded.returncode == 0, recorded.stderr
    history.commit({}, "Record a baseline")
    history.commit({"app/caller.py": edited}, "Edit the caller")
    audit = run_ssot("audit", "--history", "main", "--format", "json", cwd=history.repo)
    assert audit.returncode == 0, audit.stderr
    tree = checkout(history.repo, history.commits[-1], tmp_path / "last")
    return (json.loads(audit.stdout)["points"][-1],
            json.loads(run_ssot("check", "--no-cache", "--format", "json", cwd=tree).stdout))


def test_a_baselined_finding_that_an_edit_moved_stays_remaining_as_check_says(history: History, tmp_path: Path):
    """The baseline keys of a re-read file come from the lines of its new blob (read once, for the
    scan and the keys alike): the edit moves the baselined findings down and adds one."""
    edited = '"""Runs the engine."""\n\n' + LEGACY_CALLER + "\n\ndef again():\n    return OldEngine()\n"
    last, with_baseline = baselined_caller_edited(history, tmp_path, edited)
    assert last["baseline"]["new"] == len(with_baseline["violations"]) == 1
    assert last["baseline"]["remaining"] == last["totals"]["sites"] - 1 >= 2
    assert last["baseline"]["fixed"] == 0


def test_a_baselined_finding_whose_line_gained_a_comment_is_new_as_check_says(history: History, tmp_path: Path):
    """A comment on the flagged line leaves the caller's facts equal, so its findings carry over
    from the commit before (``BlobFacts.store``); but the line's text is part of the baseline
    fingerprint, so `check` counts that finding new (and the recorded one fixed)."""
    commented = LEGACY_CALLER.replace("return OldEngine()", "return OldEngine()  # until the factory lands")
    last, with_baseline = baselined_caller_edited(history, tmp_path, commented)
    assert last["baseline"]["new"] == len(with_baseline["violations"]) == 1
    assert last["baseline"]["fixed"] == 1
    assert last["baseline"]["remaining"] == last["totals"]["sites"] - 1
