"""File-system faults during indexing: files deleted, renamed or unreadable mid-scan, a symlink
loop, 100,000 empty files, a 50 MB generated file (skipped above the configured size)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from ssot_reliability_support import DEMO
from tests.environment import file_modes_enforced, isolated_ssot_lsp

from ssot_lsp.core.project import open_workspace
from ssot_lsp.core import reading as workspace_module


def _copy(tmp_path) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(DEMO, ws, ignore=shutil.ignore_patterns(".ssot-cache", "__pycache__"))
    return ws


def _cli(ws: Path, *args, timeout=600):
    return subprocess.run(isolated_ssot_lsp("check", "--no-cache", "--exit-zero", *args),
                          cwd=ws, capture_output=True, text=True, timeout=timeout, env={**os.environ, "CI": "true"})


@pytest.mark.parametrize("fault", ["delete", "rename", "unreadable", "replace-with-dir"])
def test_files_changing_during_indexing(tmp_path, monkeypatch, fault):
    ws = _copy(tmp_path)
    workspace = open_workspace([ws])
    victims = sorted(ws.rglob("*.py"))[::3]
    original = workspace_module.read_facts
    calls = {"n": 0}

    def flaky(path, *args, **kwargs):  # the fault strikes between discovery and reading
        calls["n"] += 1
        if Path(path) in victims and Path(path).exists():
            if fault == "delete":
                Path(path).unlink()
            elif fault == "rename":
                Path(path).rename(str(path) + ".moved")
            elif fault == "unreadable":
                Path(path).chmod(0)
            else:
                Path(path).unlink()
                Path(path).mkdir()
        return original(path, *args, **kwargs)

    monkeypatch.setattr(workspace_module, "read_facts", flaky)
    try:
        with file_modes_enforced():  # chmod 0 stops root too
            result = workspace.scan(jobs=1, cache=None)
    finally:
        for victim in victims:
            if victim.exists() and not victim.is_dir():
                victim.chmod(0o644)
    assert calls["n"] > 0
    assert {Path(e.path) for e in result.errors} >= set(victims), "faults must be reported as file errors"
    for error in result.errors:
        assert error.message and "Traceback" not in error.message
    if fault == "unreadable":
        assert {e.message for e in result.errors if Path(e.path) in victims} == {"permission denied"}


def test_symlink_loop_and_dangling_links(tmp_path):
    ws = _copy(tmp_path)
    (ws / "loop").symlink_to(ws, target_is_directory=True)
    (ws / "netra_backend" / "again").symlink_to(ws / "netra_backend", target_is_directory=True)
    (ws / "a.py").symlink_to(ws / "b.py")
    (ws / "b.py").symlink_to(ws / "a.py")
    (ws / "dangling.py").symlink_to(ws / "nowhere.py")
    start = time.monotonic()
    proc = _cli(ws, timeout=120)
    assert time.monotonic() - start < 60
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "SSOT001" in proc.stdout


def test_large_generated_file_is_skipped_with_a_message(tmp_path):
    ws = _copy(tmp_path)
    big = ws / "netra_backend" / "generated_big.py"
    line = "from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine  # generated\n"
    with open(big, "w") as handle:
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            handle.write(line)
    assert big.stat().st_size >= 50 * 1024 * 1024
    start = time.monotonic()
    proc = _cli(ws, timeout=300)
    elapsed = time.monotonic() - start
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "generated_big.py: skipped: larger than 1024 KB" in proc.stderr, proc.stderr  # said once, not "skipped: skipped:"
    assert "generated_big.py" not in proc.stdout
    assert elapsed < 60, elapsed
    # the limit is configurable
    (ws / "ssot-lsp.toml").write_text("max-file-size-kb = 1\n", encoding="utf-8")
    workspace = open_workspace([ws])
    assert workspace.max_bytes == 1024


@pytest.mark.slow
def test_hundred_thousand_empty_files(tmp_path, capsys):
    ws = _copy(tmp_path)
    base = ws / "generated"
    for d in range(100):
        folder = base / f"pkg{d}"
        folder.mkdir(parents=True)
        for f in range(1000):
            (folder / f"m{f}.py").touch()
    start = time.monotonic()
    proc = _cli(ws, timeout=900)
    elapsed = time.monotonic() - start
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    with capsys.disabled():
        print(f"\n100,000 empty files + demo: `ssot-lsp check --no-cache` took {elapsed:.1f}s")
    assert elapsed < 300
