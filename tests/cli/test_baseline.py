"""`ssot-lsp baseline` and the baseline in `ssot-lsp check`: only new violations, shrinking, partial runs."""

from __future__ import annotations

import json

import pytest

from ssot_lsp.core import baseline as core
from ssot_lsp.core.text import Span
from ssot_lsp.core.violations import Violation
from tests.cli.conftest import LEGACY_CALLER

SYNC_RUNNER = "netra_backend/app/services/sync_runner.py"
CONSTRUCTION = "    engine = ExecutionEngine(registry, websocket_bridge, user_context=ctx)\n"


def codes(run) -> list[str]:
    return [v["code"] for v in json.loads(run.stdout)["violations"]]


def test_demo_round_trip(ssot, demo):
    # 1. record the baseline
    run = ssot("baseline", cwd=demo)
    assert run.returncode == 0, run.stderr
    baseline_file = demo / ".ssot-baseline.json"
    document = json.loads(baseline_file.read_text())
    assert document["version"] == 1
    total = sum(e["count"] for entries in document["files"].values() for e in entries)
    assert f"recorded {total} violations" in run.stdout
    assert all(not p.startswith("/") for p in document["files"])
    assert all(set(e) >= {"code", "fingerprint", "count"} for es in document["files"].values() for e in es)
    # 2. check is clean, and says how many were baselined
    run = ssot("check", cwd=demo)
    assert run.returncode == 0, run.stdout
    assert run.stdout.splitlines()[-1].endswith(f"; {total} baselined.")
    # 3. edits elsewhere in a file (lines moved) do not make baselined violations new
    runner = demo / SYNC_RUNNER
    original = runner.read_text()
    runner.write_text('"""Moved down."""\n\n\n' + original)
    assert ssot("check", cwd=demo).returncode == 0
    # 4. a new violation (a second identical construction) is reported, and only it
    moved = runner.read_text()
    runner.write_text(moved + "\n\ndef another(registry, websocket_bridge, ctx):\n" + CONSTRUCTION
                      + "    return engine\n")
    run = ssot("check", "--format", "json", cwd=demo)
    assert run.returncode == 1
    (new,) = json.loads(run.stdout)["violations"]
    assert new["code"] == "SSOT002" and new["path"] == SYNC_RUNNER
    assert new["line"] == len(moved.splitlines()) + 4
    # --no-baseline shows everything
    assert len(codes(ssot("check", "--format", "json", "--no-baseline", cwd=demo))) == total + 1
    # 5. fix one baselined violation (and drop the new one): --update-baseline shrinks the file
    fixed = original.replace("ExecutionEngine.create_for_request(registry, websocket_bridge, ctx)", "None")
    assert fixed != original
    runner.write_text(fixed)
    run = ssot("check", "--update-baseline", "--format", "json", cwd=demo)
    assert run.returncode == 0
    assert "removed 1 entry (1 fixed occurrence)" in run.stderr, run.stderr
    after = json.loads(baseline_file.read_text())
    assert sum(e["count"] for es in after["files"].values() for e in es) == total - 1
    assert [e["code"] for e in after["files"][SYNC_RUNNER]].count("SSOT002") == 1
    # 6. --update-baseline never adds: a new violation stays new and the file does not grow
    runner.write_text(fixed + "\n\ndef another(registry, websocket_bridge, ctx):\n" + CONSTRUCTION)
    run = ssot("check", "--update-baseline", cwd=demo)
    assert run.returncode == 1
    assert "1 new violation is not added" in run.stderr
    assert json.loads(baseline_file.read_text()) == after


def test_occurrence_counts(ssot, small):
    body = "from app.old_engine import OldEngine\n\n\ndef a():\n    return OldEngine()\n\n\ndef b():\n    return OldEngine()\n"
    root = small({"app/user.py": body})
    assert ssot("baseline", cwd=root).returncode == 0
    entries = json.loads((root / ".ssot-baseline.json").read_text())["files"]["app/user.py"]
    assert sorted((e["code"], e["count"]) for e in entries) == [("SSOT001", 1), ("SSOT002", 2)]
    assert ssot("check", cwd=root).returncode == 0
    (root / "app" / "user.py").write_text(body + "\n\ndef c():\n    return OldEngine()\n")
    run = ssot("check", "--no-summary", cwd=root)
    assert run.returncode == 1
    assert run.lines[0].startswith("app/user.py:13:12: error SSOT002"), run.stdout  # the extra (last) one is new
    assert len(run.lines) == 2
    # removing one of two occurrences shrinks the count
    (root / "app" / "user.py").write_text(body.replace("    return OldEngine()\n", "    return None\n", 1))
    run = ssot("check", "--update-baseline", cwd=root)
    assert run.returncode == 0
    assert "removed 0 entries (1 fixed occurrence)" in run.stderr
    entries = json.loads((root / ".ssot-baseline.json").read_text())["files"]["app/user.py"]
    assert sorted((e["code"], e["count"]) for e in entries) == [("SSOT001", 1), ("SSOT002", 1)]


def test_partial_runs_keep_other_files_entries(ssot, small):
    root = small({"app/user.py": LEGACY_CALLER, "app/other.py": LEGACY_CALLER})
    assert ssot("baseline", cwd=root).returncode == 0
    before = json.loads((root / ".ssot-baseline.json").read_text())
    assert set(before["files"]) == {"app/user.py", "app/other.py"}
    # fix user.py, then update with only user.py on the command line
    (root / "app" / "user.py").write_text("x = 1\n")
    run = ssot("check", "--update-baseline", "app/user.py", cwd=root)
    assert run.returncode == 0, run.stderr
    after = json.loads((root / ".ssot-baseline.json").read_text())
    assert set(after["files"]) == {"app/other.py"}
    assert after["files"]["app/other.py"] == before["files"]["app/other.py"]
    # re-recording only other.py keeps nothing of user.py (already gone) and does not touch the rest
    (root / "app" / "user.py").write_text(LEGACY_CALLER)
    assert ssot("baseline", "app/other.py", cwd=root).returncode == 0
    assert json.loads((root / ".ssot-baseline.json").read_text()) == after
    assert ssot("check", "app/other.py", cwd=root).returncode == 0
    assert ssot("check", "app/user.py", cwd=root).returncode == 1


def test_select_does_not_drop_entries_of_rules_not_run(ssot, small):
    root = small({"app/user.py": LEGACY_CALLER})
    assert ssot("baseline", cwd=root).returncode == 0
    before = json.loads((root / ".ssot-baseline.json").read_text())
    run = ssot("check", "--select", "SSOT001", "--update-baseline", cwd=root)
    assert run.returncode == 0
    assert json.loads((root / ".ssot-baseline.json").read_text()) == before


def test_baseline_locations(ssot, small, tmp_path):
    root = small({"app/user.py": LEGACY_CALLER})
    # --output, and check --baseline FILE
    target = tmp_path / "elsewhere.json"
    assert ssot("baseline", "--output", str(target), cwd=root).returncode == 0
    assert not (root / ".ssot-baseline.json").exists()
    assert ssot("check", cwd=root).returncode == 1
    assert ssot("check", "--baseline", str(target), cwd=root).returncode == 0
    # the configuration key `baseline`, relative to the root
    pyproject = (root / "pyproject.toml").read_text().replace(
        "[tool.ssot-lsp]\n", '[tool.ssot-lsp]\nbaseline = "ci/ssot-baseline.json"\n', 1)
    (root / "pyproject.toml").write_text(pyproject)
    assert ssot("baseline", cwd=root).returncode == 0
    assert (root / "ci" / "ssot-baseline.json").is_file()
    assert ssot("check", cwd=root).returncode == 0
    assert ssot("check", "--no-baseline", cwd=root).returncode == 1
    settings = json.loads(ssot("check", "--show-settings", "--format", "json", cwd=root).stdout)
    assert settings["baseline"] == "ci/ssot-baseline.json"
    assert settings["resolved-baseline"] == {"path": str(root.resolve() / "ci" / "ssot-baseline.json"), "exists": True}


@pytest.mark.parametrize("content, problem", [
    ("{not json", "invalid JSON"),
    ('{"version": 99, "files": {}}', "unsupported baseline version"),
    ('{"version": 1, "files": {"a.py": [{"code": "SSOT001"}]}}', "'code' and 'fingerprint' must be strings"),
    ('{"version": 1, "files": {"a.py": [{"code": "SSOT001", "fingerprint": "x", "count": 0}]}}', "'count'"),
])
def test_broken_baseline_file_exits_2(ssot, small, content, problem):
    root = small({"app/user.py": LEGACY_CALLER})
    (root / ".ssot-baseline.json").write_text(content)
    run = ssot("check", cwd=root)
    assert run.returncode == 2
    assert ".ssot-baseline.json" in run.stderr and problem in run.stderr, run.stderr


def test_baseline_usage_errors(ssot, small):
    root = small({"app/user.py": LEGACY_CALLER})
    run = ssot("check", "--baseline", "missing.json", cwd=root)
    assert run.returncode == 2 and "missing.json" in run.stderr
    run = ssot("check", "--update-baseline", cwd=root)
    assert run.returncode == 2 and "baseline file not found" in run.stderr
    assert ssot("baseline", cwd=root).returncode == 0
    run = ssot("check", "--update-baseline", "--no-baseline", cwd=root)
    assert run.returncode == 2 and "--no-baseline" in run.stderr


def test_stdin_honours_the_baseline(ssot, small):
    root = small({"app/user.py": LEGACY_CALLER})
    assert ssot("baseline", cwd=root).returncode == 0
    run = ssot("check", "--stdin-filename", "app/user.py", cwd=root, input="# edited\n" + LEGACY_CALLER)
    assert run.returncode == 0, run.stdout
    run = ssot("check", "--stdin-filename", "app/user.py", cwd=root,
               input=LEGACY_CALLER + "\n\ndef again():\n    return OldEngine()\n")
    assert run.returncode == 1
    assert run.stdout.startswith("app/user.py:9:12: error SSOT002 ")


# -- the pure logic ---------------------------------------------------------------------------

def _v(code: str, line: int, symbol: str = "m:X") -> Violation:
    return Violation(code, "msg", "/r/a.py", Span(line, 0, line, 1), "warning", symbol=symbol)


def test_core_filter_and_shrink():
    items = [core.Keyed(_v("SSOT002", n), ("a.py", "SSOT002", "f1")) for n in (3, 7, 9)]
    baseline = core.build(items[:2])
    assert baseline.counts == {("a.py", "SSOT002", "f1"): 2}
    new, baselined = core.filter_new(baseline, items)
    assert baselined == 2 and [v.span.line for v in new] == [9]
    outcome = core.shrink(baseline, items[:1], covered=lambda path, code: True)
    assert outcome.baseline.counts == {("a.py", "SSOT002", "f1"): 1}
    assert (outcome.removed_entries, outcome.removed_occurrences) == (0, 1)
    outcome = core.shrink(baseline, [], covered=lambda path, code: path != "a.py")
    assert outcome.baseline.counts == baseline.counts
    assert core.shrink(baseline, items, covered=lambda p, c: True).baseline.counts == baseline.counts  # never adds
    assert core.from_document(json.loads(core.dumps(baseline))).counts == baseline.counts


def test_fingerprint_has_no_line_numbers():
    a, b = _v("SSOT001", 3), _v("SSOT001", 40)
    assert a.fingerprint("import  x ") == b.fingerprint("import x")
    assert a.fingerprint("import x") != _v("SSOT001", 3, symbol="m:Y").fingerprint("import x")
