"""Scan progress follows the files as they are read, not the end of a round (issue 10: the server's
`$/progress` stayed at 0 % for most of the indexing, then jumped to 90 %)."""

from __future__ import annotations

from pathlib import Path

from ssot_lsp.config.loader import load_config
from ssot_lsp.core.pool import SERIAL_CHUNK
from ssot_lsp.core.workspace import Workspace


def _workspace(root: Path, files: int) -> Workspace:
    for number in range(files):
        (root / f"module_{number}.py").write_text(f"VALUE = {number}\n")
    return Workspace(load_config(root))


def test_progress_is_reported_as_files_are_read(tmp_path: Path):
    total = 3 * SERIAL_CHUNK + 5
    seen: list[tuple[int, int]] = []
    _workspace(tmp_path, total).scan(jobs=1, progress=lambda done, of: seen.append((done, of)))
    assert [done for done, _ in seen] == [SERIAL_CHUNK, 2 * SERIAL_CHUNK, 3 * SERIAL_CHUNK, total]
    assert {of for _, of in seen} == {total}


def test_parallel_progress_is_reported_chunk_by_chunk(tmp_path: Path, monkeypatch):
    """This process reports after each batch it reads. The forked reader is slowed down, so that this
    process reads most batches whatever the machine's load: with both at full speed, a busy machine
    let the child read two thirds of them and the reports fell to 10 (the test failed under load)."""
    import os
    import time

    from ssot_lsp.core import streaming

    parent, read = os.getpid(), streaming._read_batch
    here: list[int] = []

    def slow_in_children(batch):
        if os.getpid() != parent:
            time.sleep(0.02)
        else:
            here.append(len(batch))
        return read(batch)

    monkeypatch.setattr(streaming, "_read_batch", slow_in_children)
    total = 900  # above the pool's parallel threshold
    seen: list[int] = []
    _workspace(tmp_path, total).scan(jobs=2, progress=lambda done, of: seen.append(done))
    assert len(here) > 10, "this process read the batches the slow child did not"
    assert len(seen) > 10 and seen == sorted(seen) and seen[-1] == total


def test_a_command_line_scan_pauses_the_cyclic_collector_and_resumes_it_after(tmp_path: Path):
    import gc

    seen: list[bool] = []
    assert gc.isenabled()
    _workspace(tmp_path, 10).scan(jobs=1, progress=lambda done, of: seen.append(gc.isenabled()))
    assert seen and not any(seen), "no collection while the scan builds its facts"
    assert gc.isenabled(), "the collector runs again after the scan"


def test_a_scan_in_another_thread_leaves_the_collector_to_its_process(tmp_path: Path):
    import gc
    import threading

    seen: list[bool] = []
    workspace = _workspace(tmp_path, 10)
    scanning = threading.Thread(target=lambda: workspace.scan(jobs=1, progress=lambda d, o: seen.append(gc.isenabled())))
    scanning.start()
    scanning.join(60)
    assert seen and all(seen), "a language server's scan must not switch its collector off"


def test_a_file_over_the_size_limit_is_listed_as_skipped_for_its_size(tmp_path: Path):
    # the language server logs each of these ("skipped PATH: larger than N KB")
    (tmp_path / "generated.py").write_text("VALUE = 1\n" * 200_000)  # ~2 MB, over the default 1,024 KB
    result = _workspace(tmp_path, 3).scan(jobs=1)
    assert [Path(path).name for path in result.skipped_large] == ["generated.py"]
    assert [Path(error.path).name for error in result.errors] == ["generated.py"]
