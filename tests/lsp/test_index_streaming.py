"""Indexing a workspace large enough for worker processes, read while the walk goes on
(``core/pooled_streaming.py``), as a user of the server sees it: the findings `ssot-lsp check`
reports, progress that follows the files read, and a rescan or a file changed while the scan runs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from lsprotocol import types

from .helpers import index_runs, initialize, uri, wait_for_index, wait_until

ROOT = Path(__file__).resolve().parents[2]
Finding = tuple[str, int, int, str]  # path relative to the root, line and column (0-based), code


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A small realistic corpus (``benchmarks/generate_corpus.py``): ~700 files outside its backups,
    above the core's parallel threshold (400), ~120 of them analysed."""
    out = tmp_path_factory.mktemp("realistic") / "tree"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate_corpus.py"), "--out", str(out),
                    "--files", "1500", "--seed", "3"], check=True, capture_output=True)
    return out


@pytest.fixture
def corpus(generated: Path, tmp_path: Path) -> Path:
    """A copy of its own: the server writes its facts cache there (a warm cache reads nothing)."""
    return Path(shutil.copytree(generated, tmp_path / "corpus"))


def _checked(root: Path) -> Counter[Finding]:
    out = subprocess.run([sys.executable, "-m", "ssot_lsp", "check", "--format", "json", "--no-cache",
                          "--exit-zero", str(root)], capture_output=True, text=True, check=True, cwd=root)
    return Counter((Path(v["path"]).as_posix(), v["line"] - 1, v["column"] - 1, v["code"])
                   for v in json.loads(out.stdout)["violations"])


async def _listed(client, root: Path) -> Counter[Finding]:
    listed = await client.workspace_execute_command_async(types.ExecuteCommandParams(command="ssot.listViolations"))
    return Counter((Path(item["path"]).relative_to(root).as_posix(), item["range"]["start"]["line"],
                    item["range"]["start"]["character"], item["code"]) for item in listed)


def _reading(client) -> bool:
    """The first scan has begun counting files (the walk is over, worker processes read)."""
    runs = index_runs(client)
    return bool(runs) and any(isinstance(r, types.WorkDoneProgressReport) and r.percentage for r in runs[0])


async def test_indexing_a_realistic_corpus_finds_what_check_finds(parallel_client, corpus: Path):
    await initialize(parallel_client, corpus)
    checked = _checked(corpus)
    assert sum(checked.values()) >= 100
    assert await _listed(parallel_client, corpus) == checked


async def test_indexing_progress_follows_the_files_read(parallel_client, corpus: Path):
    await initialize(parallel_client, corpus)
    reports = [r for r in index_runs(parallel_client)[0] if isinstance(r, types.WorkDoneProgressReport)]
    counted = [(r.percentage, re.fullmatch(r"(\d+)/(\d+) files", r.message or "")) for r in reports if r.percentage]
    # batches of 64 of ~700 files: a report at least for every 10 % read, as the batches are done
    assert len(counted) >= 4, [r.message for r in reports]
    totals = {int(match.group(2)) for _, match in counted if match}
    assert len(totals) == 1 and totals.pop() >= 700  # the walk's total, known before the first report
    done = [int(match.group(1)) for _, match in counted if match]
    assert done == sorted(done) and [p for p, _ in counted] == sorted(p for p, _ in counted)


async def test_a_rescan_requested_while_the_scan_reads_installs_the_newer_index(parallel_client, corpus: Path):
    client = parallel_client
    await initialize(client, corpus, wait_index=False)
    await wait_until(lambda: _reading(client), 30, "the first scan never counted a file")
    result = await client.workspace_execute_command_async(types.ExecuteCommandParams(command="ssot.reindex"))
    assert result["files"] >= 100
    first, second = index_runs(client)
    assert isinstance(second[-1], types.WorkDoneProgressEnd) and "files indexed" in (second[-1].message or "")
    # the first scan stopped reading: it had files left when the newer one began
    assert first[-1].message == "superseded"
    stopped = await wait_until(lambda: [m.message for m in client.log_messages if "superseded after" in m.message],
                               10, "the superseded scan read on")
    done, total = map(int, re.search(r"after (\d+) of (\d+) files", stopped[0]).groups())
    assert done < total
    assert await _listed(client, corpus) == _checked(corpus)


async def test_a_file_changed_while_the_scan_reads_is_indexed_as_changed(parallel_client, corpus: Path):
    client = parallel_client
    plain = sorted(p for p in (corpus / "dev_launcher").rglob("*.py") if "ExecutionEngine" not in p.read_text())[0]
    await initialize(client, corpus, wait_index=False)
    await wait_until(lambda: _reading(client), 30, "the first scan never counted a file")
    plain.write_text("from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine\n\n\n"
                     "def run(registry):\n    return ExecutionEngine(registry)\n" + plain.read_text())
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=uri(plain), type=types.FileChangeType.Changed)]))
    await wait_for_index(client)
    checked = _checked(corpus)
    relative = plain.relative_to(corpus).as_posix()
    assert any(path == relative for path, _, _, _ in checked)
    assert await _listed(client, corpus) == checked
