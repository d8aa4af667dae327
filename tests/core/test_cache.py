"""The facts cache: an entry is trusted while the file's size and mtime are unchanged; when the
mtime moved, the content is hashed and compared before the entry is used again.

Every test scans once to fill the cache, changes a file, and scans again from the saved cache.
mtimes are set explicitly (``os.utime``): a sleep would depend on the file system's timestamp
granularity.
"""

from __future__ import annotations

import os
from pathlib import Path

from ssot_lsp.core.cache import FactsCache
from ssot_lsp.core.cache_dir import CACHE_DIR
from tests.environment import file_modes_enforced

CALLER = "netra_backend/app/services/runner.py"
LEGACY_IMPORT = "from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine\n"
CONSTRUCTION = "    return ExecutionEngine(registry, bridge, user_context=ctx)\n"
CALLER_TEXT = LEGACY_IMPORT + "\n\nasync def run(registry, bridge, ctx):\n" + CONSTRUCTION
# the same number of bytes, no longer a construction of the legacy class
CALLER_EDITED = CALLER_TEXT.replace("ExecutionEngine(registry", "ExecutionEngin_(registry")


def _cache(project) -> FactsCache:
    return FactsCache(project.root / CACHE_DIR, "test")


def _warm(project) -> FactsCache:
    cache = _cache(project)
    project.scan(cache=cache)
    cache.save()
    assert cache.entries, "precondition: the first scan filled the cache"
    return cache


def _rescan(project) -> FactsCache:
    cache = _cache(project)
    project.scan(cache=cache)
    return cache


def _move_mtime(path: Path, seconds: int = 5) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + seconds * 1_000_000_000))


def _write_keeping_mtime(path: Path, text: str) -> None:
    info = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def test_an_edit_that_keeps_the_size_is_seen_through_the_mtime(project):
    project.write({CALLER: CALLER_TEXT})
    _warm(project)
    assert project.codes(CALLER) == [(1, "SSOT001"), (5, "SSOT002")]
    path = project.root / CALLER
    assert len(CALLER_EDITED.encode()) == path.stat().st_size
    path.write_text(CALLER_EDITED, encoding="utf-8")
    _move_mtime(path)
    cache = _rescan(project)
    assert project.codes(CALLER) == [(1, "SSOT001")]
    assert cache.hits == project.result.files_total - 1  # every other file came from the cache


def test_a_touched_file_with_the_same_content_is_a_hit_after_hashing(project):
    project.write({CALLER: CALLER_TEXT})
    _warm(project)
    path = project.root / CALLER
    _move_mtime(path)
    cache = _rescan(project)
    assert project.codes(CALLER) == [(1, "SSOT001"), (5, "SSOT002")]
    assert cache.hits == project.result.files_total
    # the entry now carries the new mtime, so the next run does not hash the file again
    assert cache.entries[str(path)][1] == path.stat().st_mtime_ns and cache.dirty


def test_unchanged_size_and_mtime_are_trusted_without_opening_the_file(project):
    project.write({CALLER: CALLER_TEXT})
    _warm(project)
    path = project.root / CALLER
    path.chmod(0)  # any read of it now fails, for root too inside file_modes_enforced()
    try:
        with file_modes_enforced():
            cache = _rescan(project)
    finally:
        path.chmod(0o644)
    assert project.result.errors == []
    assert project.codes(CALLER) == [(1, "SSOT001"), (5, "SSOT002")]
    assert cache.hits == project.result.files_total


def test_an_edit_that_restores_size_and_mtime_is_not_noticed(project):
    """The price of trusting the stat (as make, git and ruff do): documented, and pinned here so
    that a change to it is deliberate."""
    project.write({CALLER: CALLER_TEXT})
    _warm(project)
    _write_keeping_mtime(project.root / CALLER, CALLER_EDITED)
    _rescan(project)
    assert project.codes(CALLER) == [(1, "SSOT001"), (5, "SSOT002")]


def test_a_file_the_prefilter_skipped_is_read_again_when_its_mtime_moves(project):
    """Skipped files are cached without a content hash: a moved mtime alone makes them a miss."""
    comment = "# " + "x" * (len(LEGACY_IMPORT) - 3) + "\n"
    assert len(comment) == len(LEGACY_IMPORT)
    project.write({CALLER: comment})
    path = project.root / CALLER
    assert _warm(project).entries[str(path)][2] is None, "precondition: skipped, so stored without a digest"
    assert project.codes(CALLER) == []
    path.write_text(LEGACY_IMPORT, encoding="utf-8")
    _move_mtime(path)
    _rescan(project)
    assert project.codes(CALLER) == [(1, "SSOT001")]


def test_a_size_change_is_a_miss_even_with_the_mtime_restored(project):
    project.write({CALLER: CALLER_TEXT})
    _warm(project)
    _write_keeping_mtime(project.root / CALLER, LEGACY_IMPORT)
    _rescan(project)
    assert project.codes(CALLER) == [(1, "SSOT001")]
