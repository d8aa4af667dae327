"""Reading while the walk goes on (``core/streaming.py``): forked children read the first files
while this process walks on; every file is read once, the outcomes come back in the walk's order,
whatever happens to a child or to the walk — and a scan finds what a single process finds."""

from __future__ import annotations

import os
import select
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from ssot_lsp.core import pool, reading, scan, streaming
from ssot_lsp.core.cache import FactsCache
from ssot_lsp.core.facts import FileFacts
from ssot_lsp.core.project import open_workspace
from tests.environment import another_thread_running

FILES = 2 * pool.PARALLEL_THRESHOLD + 3 * streaming.STREAM_CHUNK  # published while walking, and after
PARENT = os.getpid()
pytestmark = pytest.mark.timeout(90)  # a process waiting for ever (a child for a wake-up, this one for a child) fails
FORKING_IS_SAFE = pool._forking_is_safe


@pytest.fixture(autouse=True)
def _fork_despite_the_test_runners_threads(monkeypatch):
    """A thread an earlier test left in this process must not keep these tests off the forked path
    (the test about threads puts the real check back)."""
    monkeypatch.setattr(pool, "_forking_is_safe", lambda: True)


def _tree(root: Path, files: int = FILES) -> list[tuple[str, str, bool]]:
    items = []
    for number in range(files):
        path = root / f"module_{number}.py"
        # every third file names the needle and is analysed; the others are skipped with their imports
        body = "from app.engines import LegacyEngine\n" if number % 3 == 0 else "import os\n"
        path.write_text(f"{body}VALUE = {number}\n")
        items.append((str(path), f"module_{number}", False))
    return items


def _read(walk: Iterator[tuple[str, str, bool]], jobs: int, progress: list[int] | None = None):
    return streaming.read_while_walking(walk, {"LegacyEngine"}, {"LegacyEngine"}, 1 << 20, jobs,
                                        advance=None if progress is None else progress.append)


def _summary(outcomes) -> list[tuple[str, str]]:
    return [(path, outcome.module if isinstance(outcome, FileFacts) else repr(outcome)) for path, outcome in outcomes]


class ChildRead:
    """A child says which file it read, this process waits for it (``reading.read_facts`` replaced)."""

    def __init__(self, monkeypatch) -> None:
        self._read_end, self._write_end = os.pipe()
        original = reading.read_facts

        def read_facts(path, *args, **kwargs):
            if os.getpid() != PARENT:
                line = f"{os.getpid()} {path}\n".encode()
                os.write(self._write_end, len(line).to_bytes(2, "little") + line)
            return original(path, *args, **kwargs)

        monkeypatch.setattr(reading, "read_facts", read_facts)

    def until(self, path: str) -> int:
        """Waits until a child has read ``path``; returns its pid."""
        while True:
            ready, _, _ = select.select([self._read_end], [], [], 20)
            assert ready, f"no child read {path} within 20 s"
            size = int.from_bytes(os.read(self._read_end, 2), "little")
            pid, _, read = os.read(self._read_end, size).decode().rstrip("\n").partition(" ")
            if read == path:
                return int(pid)

    def close(self) -> None:
        os.close(self._read_end)
        os.close(self._write_end)


def _until_waiting_for_a_batch(pid: int) -> None:
    """Until the child sleeps reading the wake-up pipe (it has read every batch published)."""
    for _ in range(2000):
        with open(f"/proc/{pid}/wchan") as wchan:
            if wchan.read().endswith("pipe_read"):
                return
        select.select([], [], [], 0.01)
    raise AssertionError(f"child {pid} never waited for a batch")


def test_children_read_the_first_files_while_the_walk_goes_on(tmp_path: Path, monkeypatch):
    chunk = streaming.STREAM_CHUNK
    items = _tree(tmp_path, (2 * pool.PARALLEL_THRESHOLD // chunk + 1) * chunk)
    expected = _summary(_read(iter(items), jobs=1))
    child_read = ChildRead(monkeypatch)
    published_at_fork = pool.PARALLEL_THRESHOLD // chunk * chunk

    def walk() -> Iterator[tuple[str, str, bool]]:
        for number, item in enumerate(items):
            if number == pool.PARALLEL_THRESHOLD:  # forked: the walk goes on once a child has read every
                # batch published so far, and waits for more (woken by the next batch)
                _until_waiting_for_a_batch(child_read.until(items[published_at_fork - 1][0]))
            yield item
        # the walk ends (a last full batch) while a child waits for more: woken by the end
        _until_waiting_for_a_batch(child_read.until(items[-1][0]))

    try:
        assert _summary(_read(walk(), jobs=2)) == expected
    finally:
        child_read.close()


def test_every_file_is_read_once_in_the_walks_order_and_counted(tmp_path: Path):
    items = _tree(tmp_path)
    progress: list[int] = []
    streamed = _read(iter(items), jobs=3, progress=progress)
    assert _summary(streamed) == _summary(_read(iter(items), jobs=1))
    assert sum(isinstance(outcome, FileFacts) for _, outcome in streamed) == len(items) // 3 + 1
    assert sum(progress) == len(items)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # every child was reaped


def test_a_short_walk_is_read_without_forking(tmp_path: Path, monkeypatch):
    items = _tree(tmp_path, pool.PARALLEL_THRESHOLD - 1)
    expected = _summary(_read(iter(items), jobs=1))

    def no_fork() -> int:
        raise AssertionError("forked for a walk shorter than PARALLEL_THRESHOLD")

    monkeypatch.setattr(pool.os, "fork", no_fork)
    assert _summary(_read(iter(items), jobs=2)) == expected


def test_files_of_a_child_killed_mid_batch_are_read_by_this_process(tmp_path: Path, monkeypatch):
    items = _tree(tmp_path)
    expected = _summary(_read(iter(items), jobs=1))
    original = reading.read_facts

    def read_facts(path, *args, **kwargs):
        if os.getpid() != PARENT and path == items[0][0]:  # children take batches from the front
            os.kill(os.getpid(), signal.SIGKILL)
        return original(path, *args, **kwargs)

    monkeypatch.setattr(reading, "read_facts", read_facts)
    assert _summary(_read(iter(items), jobs=2)) == expected


def test_an_error_in_a_child_is_raised_here(tmp_path: Path, monkeypatch):
    items = _tree(tmp_path)
    original = reading.read_facts

    def read_facts(path, *args, **kwargs):
        if os.getpid() != PARENT:
            raise LookupError("a bug in a child must not pass for a file read")
        return original(path, *args, **kwargs)

    monkeypatch.setattr(reading, "read_facts", read_facts)
    with pytest.raises(LookupError, match="a bug in a child"):
        _read(iter(items), jobs=2)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # and the child was reaped


def test_a_walk_that_fails_takes_its_children_with_it(tmp_path: Path):
    items = _tree(tmp_path)

    def walk() -> Iterator[tuple[str, str, bool]]:
        yield from items[:pool.PARALLEL_THRESHOLD + 1]
        raise PermissionError("a directory went away")

    with pytest.raises(PermissionError):
        _read(walk(), jobs=2)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@pytest.mark.parametrize("failing_file", [1, 2, 3])  # the batches' file, the claims' lock, a child's results
def test_without_temporary_files_everything_is_read_all_the_same(tmp_path: Path, monkeypatch, failing_file):
    items = _tree(tmp_path)
    expected = _summary(_read(iter(items), jobs=1))
    real, made = pool.tempfile.TemporaryFile, []

    def temporary_file(*args, **kwargs):
        made.append(1)
        if len(made) == failing_file:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(pool.tempfile, "TemporaryFile", temporary_file)  # the same module as streaming's
    progress: list[int] = []
    assert _summary(_read(iter(items), jobs=2, progress=progress)) == expected
    assert len(made) >= failing_file
    assert sum(progress) == len(items)


# -- a scan ------------------------------------------------------------------------------------
def _scan_tree(root: Path) -> None:
    engine = root / "netra_backend/app/agents/supervisor"
    engine.mkdir(parents=True)
    for package in (root / "netra_backend", root / "netra_backend/app", root / "netra_backend/app/agents", engine):
        (package / "__init__.py").write_text("")
    (engine / "execution_engine.py").write_text("class ExecutionEngine:\n    pass\n")
    (engine / "user_execution_engine.py").write_text("class UserExecutionEngine:\n    pass\n")
    app = root / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "compat.py").write_text("from netra_backend.app.agents.supervisor.execution_engine import "
                                   "ExecutionEngine as Runner\n")
    for number in range(60):
        if number % 3 == 0:  # only the re-export names it: found by the second round's discovery
            (app / f"user_{number}.py").write_text("from app.compat import Runner\n\n\ndef run():\n    return Runner()\n")
        elif number % 3 == 1:
            (app / f"direct_{number}.py").write_text(
                "from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine\n\n\n"
                "def run():\n    return ExecutionEngine()\n")
        else:
            (app / f"plain_{number}.py").write_text(f"def helper():\n    return {number}\n")


def _findings(root: Path, jobs: int, cache: FactsCache | None = None) -> list[tuple[str, int, str]]:
    state = scan.Scan(open_workspace([root]), cache, jobs, None)
    result = state.run(None, True, None)
    assert result.files_total == 68
    return [(Path(v.path).relative_to(root).as_posix(), v.span.line, v.code) for v in result.violations]


def test_a_scan_that_reads_while_walking_finds_what_one_process_finds(tmp_path: Path, monkeypatch):
    _scan_tree(tmp_path)
    serial = _findings(tmp_path, jobs=1)
    monkeypatch.setattr(pool, "PARALLEL_THRESHOLD", 8)
    monkeypatch.setattr(streaming, "STREAM_CHUNK", 4)
    walked = []
    real = streaming.read_while_walking

    def reading_while_walking(walk, *args, **kwargs):
        walked.append(True)
        return real(walk, *args, **kwargs)

    monkeypatch.setattr(scan, "read_while_walking", reading_while_walking)
    assert _findings(tmp_path, jobs=2) == serial
    assert walked
    assert {path.partition("_")[0] for path, _, _ in serial} >= {"app/user", "app/direct"}, "direct, and re-exported"


def test_a_scan_beside_another_thread_walks_first(tmp_path: Path, monkeypatch):
    _scan_tree(tmp_path)
    serial = _findings(tmp_path, jobs=1)
    monkeypatch.setattr(pool, "_forking_is_safe", FORKING_IS_SAFE)
    monkeypatch.setattr(pool, "PARALLEL_THRESHOLD", 8)

    def forked(*args, **kwargs):
        raise AssertionError("read while walking beside another thread")

    monkeypatch.setattr(scan, "read_while_walking", forked)
    with another_thread_running():
        assert _findings(tmp_path, jobs=2) == serial
