"""Reading a large batch of files in this process and forked children (``core/pool.py``): every file
is read exactly once, in order, whatever happens to a child."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from ssot_lsp.core import pool, reading
from ssot_lsp.core.facts import FileFacts
from tests.environment import another_thread_running

FILES = 2 * pool.PARALLEL_THRESHOLD  # enough for the shared path
FORKING_IS_SAFE = pool._forking_is_safe


@pytest.fixture(autouse=True)
def _fork_despite_the_test_runners_threads(monkeypatch):
    """These tests are about the forked children: a thread an earlier test left in this process must
    not send them to the process pool (the one test about threads puts the real check back)."""
    monkeypatch.setattr(pool, "_forking_is_safe", lambda: True)


def _tree(root: Path) -> tuple[list[str], dict[str, tuple[str, bool]]]:
    paths, modules = [], {}
    for number in range(FILES):
        path = root / f"module_{number}.py"
        # every third file names the needle and is analysed; the others are skipped with their imports
        body = "from app.engines import LegacyEngine\n" if number % 3 == 0 else "import os\n"
        path.write_text(f"{body}VALUE = {number}\n")
        paths.append(str(path))
        modules[str(path)] = (f"module_{number}", False)
    return paths, modules


def _read(paths: list[str], modules: dict[str, tuple[str, bool]], jobs: int, progress: list[int] | None = None):
    return pool.read_files(paths, modules, {"LegacyEngine"}, {"LegacyEngine"}, 1 << 20, jobs, None,
                           advance=None if progress is None else progress.append)


def _summary(outcomes) -> list[tuple[str, str]]:
    return [(path, outcome.module if isinstance(outcome, FileFacts) else repr(outcome)) for path, outcome in outcomes]


def test_children_and_this_process_read_every_file_once_in_order(tmp_path: Path):
    paths, modules = _tree(tmp_path)
    progress: list[int] = []
    parallel = _read(paths, modules, jobs=3, progress=progress)
    assert _summary(parallel) == _summary(_read(paths, modules, jobs=1))
    assert sum(isinstance(outcome, FileFacts) for _, outcome in parallel) == FILES // 3 + 1
    assert sum(progress) == FILES  # how often depends on how the processes are scheduled


def _in_a_child(parent: int, victim: str, act):
    original = reading.read_facts

    def read_facts(path, *args, **kwargs):
        if os.getpid() != parent and str(path) == victim:
            act()
        return original(path, *args, **kwargs)

    return read_facts


def test_files_of_a_child_killed_mid_batch_are_read_by_this_process(tmp_path: Path, monkeypatch):
    paths, modules = _tree(tmp_path)
    # children take batches from the end: the last file is one of theirs
    monkeypatch.setattr(reading, "read_facts",
                        _in_a_child(os.getpid(), paths[-1], lambda: os.kill(os.getpid(), signal.SIGKILL)))
    assert _summary(_read(paths, modules, jobs=2)) == _summary(_read(paths, modules, jobs=1))


def _after_a_child_started(parent: int, marker: Path, read_facts):
    """``read_facts`` that, in this process, waits until a child has begun reading: children take
    batches from the end, so the last file is then a child's whatever the load (on a busy machine
    this process could otherwise read every batch before a child was scheduled)."""

    def waiting(path, *args, **kwargs):
        if os.getpid() == parent:
            deadline = time.monotonic() + 30
            while not marker.exists():
                assert time.monotonic() < deadline, "no child began reading within 30 s"
                time.sleep(0.005)
        else:
            marker.touch()
        return read_facts(path, *args, **kwargs)

    return waiting


def test_an_error_in_a_child_is_raised_here(tmp_path: Path, monkeypatch):
    paths, modules = _tree(tmp_path)

    def fail() -> None:
        raise LookupError("a bug in a child must not pass for a file read")

    read_facts = _in_a_child(os.getpid(), paths[-1], fail)
    monkeypatch.setattr(reading, "read_facts", _after_a_child_started(os.getpid(), tmp_path / "began", read_facts))
    with pytest.raises(LookupError, match="a bug in a child"):
        _read(paths, modules, jobs=2)


def test_no_child_is_left_behind(tmp_path: Path):
    paths, modules = _tree(tmp_path)
    _read(paths, modules, jobs=3)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # every child was reaped


def test_when_no_process_can_be_forked_this_one_reads_everything(tmp_path: Path, monkeypatch):
    paths, modules = _tree(tmp_path)

    def no_fork() -> int:
        raise BlockingIOError("Resource temporarily unavailable")

    monkeypatch.setattr(pool.os, "fork", no_fork)
    assert _summary(_read(paths, modules, jobs=2)) == _summary(_read(paths, modules, jobs=1))


def test_a_result_is_taken_only_once_its_record_is_complete():
    import pickle

    results = pool._Results()
    parts: list = [None, None]
    results.append(0, ["first"])
    blob = pickle.dumps((1, ["second"]))
    record = len(blob).to_bytes(8, "little") + blob
    descriptor = results._file.fileno()
    os.write(descriptor, record[:5])  # a child still writing (or killed while it wrote)
    results.read_complete(parts)
    os.write(descriptor, record[5:-3])
    results.read_complete(parts)
    assert parts == [["first"], None]
    os.write(descriptor, record[-3:])
    results.read_complete(parts)
    assert parts == [["first"], ["second"]]
    results.close()


@pytest.mark.parametrize("failing_file", [1, 2])  # the claims' lock file, or a child's results file
def test_without_temporary_files_the_processes_that_could_start_read_everything(tmp_path: Path, monkeypatch,
                                                                                failing_file):
    paths, modules = _tree(tmp_path)
    expected = _summary(_read(paths, modules, jobs=1))
    real, made = pool.tempfile.TemporaryFile, []

    def temporary_file(*args, **kwargs):
        made.append(1)
        if len(made) >= failing_file:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(pool.tempfile, "TemporaryFile", temporary_file)
    progress: list[int] = []
    assert _summary(_read(paths, modules, jobs=3, progress=progress)) == expected
    assert sum(progress) == FILES


def test_a_process_with_another_thread_reads_through_the_pool_without_forking(tmp_path: Path, monkeypatch):
    paths, modules = _tree(tmp_path)
    expected = _summary(_read(paths, modules, jobs=1))
    monkeypatch.setattr(pool, "_forking_is_safe", FORKING_IS_SAFE)

    def shared(*args, **kwargs):
        raise AssertionError("forked children beside another thread")

    monkeypatch.setattr(pool, "shared_map", shared)
    with another_thread_running():
        assert _summary(_read(paths, modules, jobs=2)) == expected
