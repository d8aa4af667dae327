"""The findings cache of `check`: an unchanged workspace is answered from it, any change is a miss.

Each test runs `check` once (which stores the findings and the report it printed), then plants a
marker in both — one invented finding — so that the next run shows whether it answered from the
cache (the marker appears) or analysed again (it does not). A change that must invalidate the cache
is made between the two runs; removing that part of the key turns the test red. mtimes are set
explicitly (``os.utime``): a sleep would depend on the file system's timestamp granularity.
What only the stored report depends on (options, current directory, baseline) is in
``test_replayed_report.py``.
"""

from __future__ import annotations

import json
import os
import pickle
import sys
from pathlib import Path

import pytest

from ssot_lsp.core.findings_cache import CachedFindings, Tree, read_stored, read_tree
from ssot_lsp.core.text import Span
from ssot_lsp.core.violations import Violation
from tests.cli.conftest import LEGACY_CALLER, SMALL_CONFIG
from tests.environment import file_modes_enforced_in_child

MARKER = "planted by the test"


def _check(ssot, root: Path, *args: str) -> dict:
    run = ssot("check", "--format", "json", "--exit-zero", *args, cwd=root)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def _findings_files(root: Path) -> list[Path]:
    return sorted((root / ".ssot-cache").glob("findings-*.pickle"))


def _report_files(root: Path) -> list[Path]:
    return sorted((root / ".ssot-cache").glob("findings-*.out-*"))


def plant_in_findings(root: Path) -> None:
    """Add one invented finding to the stored findings (same tree digest: still valid)."""
    [path] = _findings_files(root)
    stored = read_stored(path)
    assert stored is not None
    tree, findings = stored
    findings.violations.append(Violation("SSOT001", MARKER, str(root / "app" / "clean.py"), Span(0, 0, 0, 1),
                                         "warning"))
    path.write_bytes(pickle.dumps((tree, findings)))


def plant_in_reports(root: Path) -> None:
    """Add one invented finding to every stored JSON report (``cli/replay.py``), still valid."""
    reports = _report_files(root)
    assert reports
    for path in reports:
        header, body = path.read_text().split("\n", 1)
        report = json.loads(body)
        report["violations"].append({"code": "SSOT001", "message": MARKER, "path": "app/clean.py"})
        body = json.dumps(report)
        path.write_text(json.dumps({**json.loads(header), "bytes": len(body.encode())}) + "\n" + body)


def _plant(root: Path) -> None:
    plant_in_findings(root)
    plant_in_reports(root)


def _answered_from_cache(report: dict) -> bool:
    return any(v["message"] == MARKER for v in report["violations"])


def _move_mtime(path: Path, seconds: int = 5) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + seconds * 1_000_000_000))


@pytest.fixture
def workspace(small) -> Path:
    return small({"app/caller.py": LEGACY_CALLER})


def _filled(ssot, root: Path) -> dict:
    """Filled and settled: the second run stores the walk of the root as the first left it (with
    the cache directory), so the next run reuses the walk and only stamps the files again."""
    first = _check(ssot, root)
    _check(ssot, root)
    _plant(root)
    return first


def test_an_unchanged_workspace_is_answered_from_the_stored_report(ssot, workspace):
    first = _check(ssot, workspace)
    plant_in_reports(workspace)
    again = _check(ssot, workspace)
    assert _answered_from_cache(again)
    assert [v for v in again["violations"] if v["message"] != MARKER] == first["violations"]


def test_without_a_stored_report_an_unchanged_workspace_is_answered_from_the_findings(ssot, workspace):
    first = _check(ssot, workspace)
    plant_in_findings(workspace)
    for path in _report_files(workspace):
        path.unlink()
    again = _check(ssot, workspace)
    assert _answered_from_cache(again)
    assert [v for v in again["violations"] if v["message"] != MARKER] == first["violations"]


def test_another_format_is_rendered_from_the_stored_findings(ssot, workspace):
    _check(ssot, workspace)
    plant_in_findings(workspace)
    run = ssot("check", "--format", "text", "--exit-zero", cwd=workspace)
    assert MARKER in run.stdout


def test_the_findings_are_those_of_a_run_without_cache(ssot, workspace):
    _check(ssot, workspace)
    cached = _check(ssot, workspace)
    assert cached == _check(ssot, workspace, "--no-cache")


def test_an_edit_that_keeps_the_size_is_a_miss(ssot, workspace):
    _filled(ssot, workspace)
    caller = workspace / "app" / "caller.py"
    edited = LEGACY_CALLER.replace("OldEngine()", "OldEngin_()")
    assert len(edited) == len(LEGACY_CALLER)
    caller.write_text(edited)
    _move_mtime(caller)
    report = _check(ssot, workspace)
    assert not _answered_from_cache(report)
    assert [v["code"] for v in report["violations"]] == ["SSOT001"]  # the construction is gone


def test_a_touched_file_is_a_miss(ssot, workspace):
    _filled(ssot, workspace)
    _move_mtime(workspace / "app" / "clean.py")
    assert not _answered_from_cache(_check(ssot, workspace))


def test_a_file_made_readable_again_is_a_miss(ssot, workspace):
    # chmod changes the ctime only: the stored "permission denied" must not be reported again
    caller = workspace / "app" / "caller.py"
    caller.chmod(0)
    try:
        run = ssot("check", "--format", "json", "--exit-zero", cwd=workspace, preexec_fn=file_modes_enforced_in_child())
        assert [e["message"] for e in json.loads(run.stdout)["errors"]] == ["permission denied"]
    finally:
        caller.chmod(0o644)
    report = _check(ssot, workspace)
    assert report["errors"] == [] and {v["code"] for v in report["violations"]} == {"SSOT001", "SSOT002"}


def _an_added_caller_is_found(ssot, workspace) -> None:
    (workspace / "app" / "second_caller.py").write_text(LEGACY_CALLER)
    report = _check(ssot, workspace)
    assert not _answered_from_cache(report)
    assert {Path(v["path"]).name for v in report["violations"]} == {"caller.py", "second_caller.py"}


def test_an_added_file_is_a_miss(ssot, workspace):
    _filled(ssot, workspace)
    _an_added_caller_is_found(ssot, workspace)


def test_a_removed_file_is_a_miss(ssot, workspace):
    _filled(ssot, workspace)
    (workspace / "app" / "caller.py").unlink()
    report = _check(ssot, workspace)
    assert not _answered_from_cache(report) and report["violations"] == []


def test_a_renamed_file_is_a_miss(ssot, workspace):
    _filled(ssot, workspace)
    (workspace / "app" / "caller.py").rename(workspace / "app" / "renamed.py")
    report = _check(ssot, workspace)
    assert not _answered_from_cache(report)
    assert {Path(v["path"]).name for v in report["violations"]} == {"renamed.py"}


def test_a_file_added_in_a_new_subfolder_is_a_miss(ssot, workspace):
    _filled(ssot, workspace)
    (workspace / "app" / "sub").mkdir()
    (workspace / "app" / "sub" / "__init__.py").write_text("")
    (workspace / "app" / "sub" / "caller.py").write_text(LEGACY_CALLER)
    report = _check(ssot, workspace)
    assert not _answered_from_cache(report)
    assert {v["path"] for v in report["violations"]} >= {"app/sub/caller.py"}


def test_an_edited_gitignore_is_a_miss(ssot, workspace):
    gitignore = workspace / ".gitignore"
    gitignore.write_text("build/\n")
    _filled(ssot, workspace)
    gitignore.write_text("build/\napp/caller.py\n")  # the folder's entries stay the same
    report = _check(ssot, workspace)
    assert not _answered_from_cache(report) and report["violations"] == []


def test_a_file_newly_git_ignored_is_a_miss(ssot, workspace):
    _filled(ssot, workspace)
    (workspace / ".gitignore").write_text("app/caller.py\n")
    report = _check(ssot, workspace)
    assert not _answered_from_cache(report) and report["violations"] == []


def test_a_configuration_change_is_a_miss(ssot, small):
    workspace = small({"app/caller.py": LEGACY_CALLER}, config=SMALL_CONFIG + '\n[tool.ssot-lsp.severity]\nSSOT001 = "warning"\n')
    _filled(ssot, workspace)
    config = workspace / "pyproject.toml"
    config.write_text(config.read_text().replace('SSOT001 = "warning"', 'SSOT001 = "error"'))
    report = _check(ssot, workspace)
    assert not _answered_from_cache(report)
    assert {v["severity"] for v in report["violations"] if v["code"] == "SSOT001"} == {"error"}


def test_the_prefilter_switch_is_part_of_the_key(ssot, workspace):
    _filled(ssot, workspace)
    assert not _answered_from_cache(_check(ssot, workspace, "--no-prefilter"))


def test_explicit_paths_never_use_the_findings(ssot, workspace):
    _filled(ssot, workspace)
    report = _check(ssot, workspace, "app")
    assert not _answered_from_cache(report) and report["violations"]


def test_no_cache_neither_reads_nor_writes_findings(ssot, workspace):
    _check(ssot, workspace, "--no-cache")
    assert _findings_files(workspace) == []
    _filled(ssot, workspace)
    assert not _answered_from_cache(_check(ssot, workspace, "--no-cache"))


@pytest.mark.parametrize("content", [b"", b"garbage", pickle.dumps(("x", "y"))[:-3],
                                     pickle.dumps(("tree", CachedFindings([], [], 0, 0, [], [], False))),
                                     b"cos\nsystem\n(S'echo planted'\ntR."])
def test_a_corrupt_or_foreign_findings_file_is_a_miss(ssot, workspace, content):
    first = _check(ssot, workspace)
    [path] = _findings_files(workspace)
    path.write_bytes(content)
    for report in _report_files(workspace):
        report.unlink()
    run = ssot("check", "--format", "json", "--exit-zero", cwd=workspace)
    assert run.returncode == 0 and "Traceback" not in run.stderr and "planted" not in run.stdout
    assert json.loads(run.stdout) == first


def _tree_file(root: Path) -> Path:
    [path] = (root / ".ssot-cache").glob("findings-*.tree")
    return path


def _stored_tree(root: Path) -> Tree:
    tree = read_tree(_tree_file(root), str(root.resolve()))
    assert tree is not None
    return tree


def _header(data: bytes) -> dict:
    return json.loads(data.split(b"\n", 1)[0])


def _with_header(data: bytes, **changes) -> bytes:
    header, rest = data.split(b"\n", 1)
    return json.dumps({**json.loads(header), **changes}).encode() + b"\n" + rest


def _outside(data: bytes) -> bytes:
    header, rest = data.split(b"\n", 1)
    count, size = json.loads(header)["files"], json.loads(header)["paths"]
    paths = "\0".join(["/etc/passwd"] * count).encode()
    return _with_header(header + b"\n", paths=len(paths)) + paths + rest[size:]


@pytest.mark.parametrize("change", [
    lambda tree: b"",
    lambda tree: b"[]\n",
    lambda tree: tree[:-10],
    lambda tree: _with_header(tree, files=_header(tree)["files"] + 1),
    lambda tree: _with_header(tree, byteorder="big" if sys.byteorder == "little" else "little"),
    _outside,
], ids=["empty", "not-a-tree", "cut", "wrong-count", "other-byte-order", "outside-paths"])
def test_a_corrupt_or_foreign_tree_file_is_walked_again_and_replaced(ssot, workspace, change):
    first = _check(ssot, workspace)
    _check(ssot, workspace)  # settled: the stored walk is reused (``_filled``)
    before = _stored_tree(workspace)
    tree = _tree_file(workspace)
    tree.write_bytes(change(tree.read_bytes()))
    run = ssot("check", "--format", "json", "--exit-zero", cwd=workspace)
    assert run.returncode == 0 and "Traceback" not in run.stderr
    assert json.loads(run.stdout) == first
    replaced = _stored_tree(workspace)
    assert (replaced.walked, list(replaced.stamps), replaced.digest()) == (before.walked, list(before.stamps),
                                                                            before.digest())


def test_a_tree_file_recording_a_walk_of_another_directory_is_not_trusted(ssot, workspace):
    # its directories are all unchanged, but a walk of "/" says nothing about the workspace's folders
    _filled(ssot, workspace)
    tree = _tree_file(workspace)
    info = os.stat("/")
    tree.write_bytes(_with_header(tree.read_bytes(), directories=[["/", info.st_mtime_ns, info.st_ctime_ns]]))
    _an_added_caller_is_found(ssot, workspace)


def test_the_second_run_stores_the_walk_it_made_after_creating_the_cache(ssot, workspace):
    # the first run creates .ssot-cache in the root after listing it: the root's stamp moved
    _check(ssot, workspace)
    first = _stored_tree(workspace)
    _check(ssot, workspace)
    second = _stored_tree(workspace)
    root = str(workspace.resolve())
    assert first.record.directories[0][0] == root and second.record.directories[0][1] == os.stat(root).st_mtime_ns


@pytest.mark.parametrize("content", [b"", b"{}", b'{"tree": "x", "bytes": 2}\n{}', b"\xff\xfe\n", b"[]\n{}"])
def test_a_corrupt_stored_report_is_rendered_again(ssot, workspace, content):
    first = _check(ssot, workspace)
    [report] = _report_files(workspace)
    report.write_bytes(content)
    run = ssot("check", "--format", "json", "--exit-zero", cwd=workspace)
    assert run.returncode == 0 and "Traceback" not in run.stderr
    assert json.loads(run.stdout) == first
