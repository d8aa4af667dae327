"""The command line keeps freed C heap for reuse (``malloc_tuning``): fewer page faults per parsed file."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

GLIBC = sys.platform.startswith("linux") and (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")

CHURN = """
    import resource, sys
    {setup}
    def faults():
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    def churn():
        before = faults()
        blocks = [bytes(1000) for _ in range(8000)]  # 8 MB from the C heap (above pymalloc's 512 bytes)
        del blocks
        return faults() - before
    first = churn()
    print(first, max(churn() for _ in range(3)))
"""


def _faults(setup: str) -> tuple[int, int]:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(CHURN.format(setup=setup))], check=True,
                          capture_output=True, text=True, timeout=60)
    first, again = done.stdout.split()
    return int(first), int(again)


@pytest.mark.skipif(not GLIBC, reason="glibc's mallopt")
def test_memory_freed_at_the_top_of_the_heap_is_reused_without_page_faults():
    first, again = _faults("from ssot_lsp.malloc_tuning import keep_freed_heap; assert keep_freed_heap()")
    assert first > 1000, "the first allocation must touch fresh pages for the test to mean anything"
    assert again < first // 10


@pytest.mark.skipif(not GLIBC, reason="glibc's mallopt")
def test_without_it_the_same_memory_faults_in_again():
    first, again = _faults("")
    assert again > first // 2, "glibc's defaults return the freed top of the heap: the comparison above holds"


@pytest.mark.parametrize("command, tuned", [(["check", "--no-cache"], True), (["rule", "SSOT001"], False)])
def test_the_command_line_tunes_its_short_runs_only(tmp_path: Path, monkeypatch, capsys, command, tuned):
    import ssot_lsp.malloc_tuning
    from ssot_lsp.cli.main import main

    (tmp_path / "app.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    calls: list[bool] = []
    monkeypatch.setattr(ssot_lsp.malloc_tuning, "keep_freed_heap", lambda: calls.append(True) or True)
    main(command)
    capsys.readouterr()
    assert calls == ([True] if tuned else [])
