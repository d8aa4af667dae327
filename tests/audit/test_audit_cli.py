"""`ssot-lsp audit`: the workspace as `check` opens it, the formats, the baseline, bad input for --history."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.audit.conftest import History, git
from tests.audit.test_history_matches_check import build
from tests.cli.conftest import LEGACY_CALLER, SMALL_CONFIG, base_env, run_on_terminal, run_ssot

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "audit-report.schema.json").read_text(encoding="utf-8"))
WITH_TESTS = SMALL_CONFIG.replace("[tool.ssot-lsp]\n", '[tool.ssot-lsp]\ntest-paths = ["tests/**"]\n')
LEGACY_TEST = "from app.old_engine import OldEngine\n\n\ndef test_it():\n    assert OldEngine()\n"


def audit_json(root: Path, *args: str) -> dict:
    run = run_ssot("audit", "--format", "json", *args, cwd=root)
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)
    jsonschema.validate(document, SCHEMA)
    return document


def test_the_json_report_follows_the_documented_schema(small):
    root = small({"app/caller.py": LEGACY_CALLER, "tests/test_x.py": LEGACY_TEST}, config=WITH_TESTS)
    document = audit_json(root)
    assert document["kind"] == "audit" and document["totals"]["sites"] == 4


def test_a_schema_violation_is_caught():
    """The schema is strict enough to reject a report with a wrong shape."""
    broken = {"kind": "audit", "schema_version": 1, "totals": {"sites": -1}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA)


def test_production_and_tests_are_counted_apart_by_test_paths(small):
    root = small({"app/caller.py": LEGACY_CALLER, "tests/test_x.py": LEGACY_TEST}, config=WITH_TESTS)
    document = audit_json(root)
    assert (document["totals"]["production"], document["totals"]["tests"]) == (2, 2)
    rows = {r["directory"]: r for r in document["directories"]["rows"]}
    assert (rows["app"]["production_sites"], rows["app"]["test_sites"]) == (2, 0)
    assert (rows["tests"]["production_sites"], rows["tests"]["test_sites"]) == (0, 2)
    (symbol,) = [r for r in document["symbols"] if r["subject"] == "app.old_engine:OldEngine"]
    assert (symbol["production"], symbol["tests"], symbol["files"]) == (2, 2, 2)


def test_depth_chooses_the_directory_level(small):
    root = small({"app/sub/caller.py": LEGACY_CALLER})
    assert [r["directory"] for r in audit_json(root, "--depth", "2")["directories"]["rows"]] == ["app/sub"]
    assert run_ssot("audit", "--depth", "0", cwd=root).returncode == 2


def test_the_audit_counts_what_check_reports_baselined_or_not(small):
    root = small({"app/caller.py": LEGACY_CALLER, "app/other.py": LEGACY_CALLER})
    assert run_ssot("baseline", cwd=root).returncode == 0
    (root / "app" / "other.py").unlink()  # fixed
    (root / "app" / "third.py").write_text(LEGACY_CALLER)  # new
    document = audit_json(root)
    check = json.loads(run_ssot("check", "--format", "json", cwd=root).stdout)
    baseline = document["baseline"]
    assert (baseline["recorded"], baseline["remaining"], baseline["new"], baseline["fixed"]) == (4, 2, 2, 2)
    assert baseline["new"] == len(check["violations"])
    assert {s["path"] for s in baseline["new_sites"]} == {"app/third.py"}
    assert {e["path"] for e in baseline["fixed_entries"]} == {"app/other.py"}
    assert document["totals"]["sites"] == 4
    assert audit_json(root, "--no-baseline")["baseline"] is None


def test_a_path_is_audited_within_its_workspace_like_check(small):
    root = small({"app/caller.py": LEGACY_CALLER, "tests/test_x.py": LEGACY_TEST})
    document = audit_json(root, "app")
    assert document["root"] == str(root.resolve())
    assert {s for r in document["symbols"] for s in [r["subject"]]} == {"app.old_engine:OldEngine"}
    assert document["totals"]["files"] == 1  # only app/caller.py: the tests folder was not asked for


def test_text_piped_is_plain(small):
    root = small({"app/caller.py": LEGACY_CALLER})
    run = run_ssot("audit", cwd=root)
    assert run.returncode == 0
    assert "\x1b[" not in run.stdout and "│" not in run.stdout
    for heading in ("By group and symbol", "By directory (depth 1)", "Broken by the migration", "Against the baseline"):
        assert heading in run.stdout
    assert "OldEngine" in run.stdout


def test_html_is_one_page_with_nothing_to_fetch(small, tmp_path):
    root = small({"app/caller.py": LEGACY_CALLER})
    page = tmp_path / "report.html"
    assert run_ssot("audit", "--format", "html", "-o", str(page), cwd=root).returncode == 0
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<svg" in text and "<table>" in text
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in text
    assert "<script" not in text and "<link" not in text


# -- --history: bad input -------------------------------------------------------------------------

def test_history_outside_a_git_repository_is_one_clear_error(small):
    root = small({"app/caller.py": LEGACY_CALLER})
    run = run_ssot("audit", "--history", "HEAD", cwd=root)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [(f"ssot-lsp: error: {root.resolve()} is not in a git repository: "
                                               "--history needs one")]


@pytest.mark.parametrize("revision_range", ["no-such-branch", "main..no-such-branch", "--all"])
def test_a_range_that_does_not_exist_is_one_clear_error(history: History, tmp_path: Path, revision_range: str):
    build(history, tmp_path)
    run = run_ssot("audit", f"--history={revision_range}", cwd=history.repo)
    assert run.returncode == 2
    (line,) = run.stderr.strip().splitlines()
    assert line.startswith("ssot-lsp: error: ") and revision_range in line


def test_an_empty_range_is_one_clear_error(history: History, tmp_path: Path):
    build(history, tmp_path)
    run = run_ssot("audit", "--history", "main..main", cwd=history.repo)
    assert run.returncode == 2
    assert run.stderr.strip() == "ssot-lsp: error: the range 'main..main' holds no commits"


def test_a_shallow_clone_is_one_clear_error(history: History, tmp_path: Path):
    build(history, tmp_path)
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{history.repo}", str(clone)], check=True)
    run = run_ssot("audit", "--history", "HEAD", cwd=clone)
    assert run.returncode == 2
    (line,) = run.stderr.strip().splitlines()
    assert "shallow clone" in line and "git fetch --unshallow" in line
    inside = run_ssot("audit", "--history", "HEAD~1..HEAD", "--format", "json", cwd=clone)
    assert inside.returncode == 0, inside.stderr  # a range inside the fetched history is fine
    beyond = run_ssot("audit", "--history", "HEAD~4..HEAD", cwd=clone)
    assert beyond.returncode == 2 and "shallow clone" in beyond.stderr


def test_the_history_json_follows_the_documented_schema(history: History, tmp_path: Path):
    build(history, tmp_path)
    for extra in ((), ("--sites",)):
        run = run_ssot("audit", "--history", "main", "--format", "json", *extra, cwd=history.repo)
        jsonschema.validate(json.loads(run.stdout), SCHEMA)


def test_a_blob_git_cannot_read_marks_its_file_and_the_rest_is_drawn(history: History, tmp_path: Path):
    build(history, tmp_path)
    blob = git(history.repo, "rev-parse", f"{history.commits[1]}:tests/test_engine.py").strip()
    (history.repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    # edited, not committed: the working tree no longer holds the blob either (it would be read from there)
    (history.repo / "tests" / "test_engine.py").write_text("# edited\n", encoding="utf-8")
    run = run_ssot("audit", "--history", "main", "--format", "json", cwd=history.repo)
    assert run.returncode == 0, run.stderr
    points = json.loads(run.stdout)["points"]
    later = [p for p in points[1:] if p["status"] == "ok"]
    assert later and all([u["path"] for u in p["unreadable"]] == ["tests/test_engine.py"] for p in later)
    assert "missing" in later[0]["unreadable"][0]["message"]
    assert points[0]["unreadable"] == [] and points[0]["totals"]["sites"] > 0


FAILING_CAT_FILE = """\
import os, subprocess, sys
REAL, LIMIT = {real!r}, {limit}
if "cat-file" not in sys.argv[1:]:
    os.execv(REAL, [REAL, *sys.argv[1:]])
git = subprocess.Popen([REAL, *sys.argv[1:]], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
out = sys.stdout.buffer
for answered, request in enumerate(sys.stdin.buffer):
    if answered == LIMIT:
        sys.stderr.write("fatal: packed object is corrupt (as a damaged pack would say)\\n")
        sys.exit(128)
    git.stdin.write(request)
    git.stdin.flush()
    header = git.stdout.readline()
    out.write(header)
    if len(header.split()) == 3:
        out.write(git.stdout.read(int(header.split()[2]) + 1))
    out.flush()
"""


def test_git_stopping_mid_way_is_one_clear_error_and_no_report(history: History, tmp_path: Path):
    """Every `git cat-file` on the PATH answers a few blobs, then stops as git does on a corrupt pack."""
    build(history, tmp_path)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "git"
    fake.write_text(f"#!{sys.executable}\n" + FAILING_CAT_FILE.format(real=shutil.which("git"), limit=3))
    fake.chmod(0o755)
    env = base_env(PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    run = run_ssot("audit", "--history", "main", "--format", "json", "-o", "report.json", cwd=history.repo, env=env)
    assert run.returncode == 2, run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("ssot-lsp: error: git cat-file stopped") and "while reading commit" in last, run.stderr
    assert last.endswith("commits done; no report written"), last
    assert "Traceback" not in run.stderr
    assert not (history.repo / "report.json").exists()


def test_the_text_report_has_a_row_per_commit_and_marks_those_without_figures(history: History, tmp_path: Path):
    build(history, tmp_path)
    run = run_ssot("audit", "--history", "main", cwd=history.repo)
    assert run.returncode == 0
    rows = [line for line in run.stdout.splitlines() if line.strip().startswith("2025-03-")]
    assert len(rows) == 14  # seven commits, in the table by group and in the table by rule
    assert "invalid-configuration" in run.stdout and "1 file does not parse" in run.stdout
    assert "baseline recorded" in run.stdout
    assert "has no figures: invalid-configuration" in run.stderr


def test_a_terminal_shows_a_progress_bar_with_the_time_left(history: History, tmp_path: Path):
    build(history, tmp_path)
    env = {k: v for k, v in base_env().items() if k != "CI"}
    returncode, terminal, stdout = run_on_terminal("audit", "--history", "main", "--format", "json", cwd=history.repo,
                                                   env=env, stream="stderr")
    assert returncode == 0
    bar = terminal.decode()
    assert "1/7 commits" in bar and "6/7 commits" in bar
    assert "left" in bar and "\r" in bar
    assert json.loads(stdout)["points"]  # the report on stdout carries none of it


def test_no_progress_bar_when_stderr_is_piped(history: History, tmp_path: Path):
    build(history, tmp_path)
    run = run_ssot("audit", "--history", "main", "--format", "json", cwd=history.repo, env=base_env(CI=""))
    assert "commits" not in run.stderr and "\r" not in run.stderr
