"""The background index: progress, early file-local results, and keeping it current."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from .helpers import (
    INDEX_TITLE,
    change_doc,
    codes,
    copy_demo,
    expected_count,
    index_runs,
    initialize,
    open_doc,
    until_noticed,
    uri,
    wait_for_diagnostics,
    wait_for_index,
    wait_until,
)

PIPELINE = "netra_backend/app/services/pipeline_runner.py"
COMPAT = "netra_backend/app/compat.py"


async def test_indexing_reports_progress_begin_report_end(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root)
    run = index_runs(client)[0]
    assert isinstance(run[0], types.WorkDoneProgressBegin) and run[0].title == INDEX_TITLE
    assert any(isinstance(r, types.WorkDoneProgressReport) and r.percentage is not None for r in run)
    assert isinstance(run[-1], types.WorkDoneProgressEnd)


async def test_without_a_workspace_folder_indexing_begins_and_ends_at_once(client):
    await initialize(client, None)
    await wait_for_index(client)
    (run,) = index_runs(client)
    assert isinstance(run[0], types.WorkDoneProgressBegin) and isinstance(run[-1], types.WorkDoneProgressEnd)
    assert run[-1].message == "no workspace folder to index"


async def test_a_folder_that_is_not_a_local_directory_still_ends_indexing(client, tmp_path: Path):
    await initialize(client, tmp_path / "gone", wait_index=False)
    await wait_for_index(client)
    assert index_runs(client)[-1][-1].message == "no workspace folder to index"


async def test_file_local_diagnostics_come_before_the_index_and_refresh_after(slow_index_client, tmp_path: Path):
    client = slow_index_client
    root = copy_demo(tmp_path)
    await initialize(client, root, wait_index=False)
    doc = open_doc(client, root / PIPELINE)
    early = await wait_for_diagnostics(client, doc, timeout=1.0)
    assert not any(isinstance(r[-1], types.WorkDoneProgressEnd) for r in index_runs(client))
    assert "SSOT001" in codes(early)  # the legacy module import needs no index
    await wait_for_index(client)
    full = await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    assert len(full) > len(early)  # aliases through compat.py need the index


async def test_alias_removed_in_one_file_clears_diagnostics_in_another(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, options={"debounceMs": 0})
    runner = open_doc(client, root / PIPELINE)
    await wait_for_diagnostics(client, runner, lambda d: len(d) == 6)
    compat = open_doc(client, root / COMPAT)
    await wait_for_diagnostics(client, compat)
    line = (root / COMPAT).read_text().split("\n").index("LegacyEngine = ExecutionEngine")
    change_doc(client, compat, 2, [(line, 0, line + 1, 0, "")])
    diags = await wait_for_diagnostics(client, runner, lambda d: len(d) == 2)
    assert codes(diags) == ["SSOT001", "SSOT002"]  # only the direct `ee.ExecutionEngine` use is left


async def test_deleting_duplicate_supervisor_clears_subclass_diagnostic(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, options={"debounceMs": 0})
    orchestrator = open_doc(client, root / "netra_backend/app/agents/chat_orchestrator.py")
    await wait_for_diagnostics(client, orchestrator, lambda d: "SSOT005" in codes(d))
    path = root / "netra_backend/app/agents/supervisor_consolidated.py"
    consolidated = open_doc(client, path)
    await wait_for_diagnostics(client, consolidated, lambda d: codes(d) == ["SSOT005"])
    text = path.read_text()
    start = text[:text.index("class SupervisorAgent")].count("\n")
    end = text.count("\n") if text.endswith("\n") else text.count("\n") + 1
    change_doc(client, consolidated, 2, [(start, 0, end, 0, "")])
    await wait_for_diagnostics(client, consolidated, lambda d: d == [])
    diags = await wait_for_diagnostics(client, orchestrator, lambda d: "SSOT005" not in codes(d))
    # the legacy module no longer binds SupervisorAgent: the import fails when it runs (SSOT011)
    assert codes(diags) == ["SSOT011"]


async def test_watched_files_are_registered_and_disk_changes_apply(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, profile="vscode")
    await wait_until(lambda: client.registrations, 5)
    registration = client.registrations[0]
    assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    globs = {w["globPattern"] for w in registration.register_options["watchers"]}
    assert {"**/*.py", "**/pyproject.toml", "**/ssot-lsp.toml"} <= globs
    runner = open_doc(client, root / PIPELINE)
    await wait_for_diagnostics(client, runner, lambda d: len(d) == 6)
    compat = root / COMPAT
    compat.write_text(compat.read_text().replace("LegacyEngine = ExecutionEngine\n", ""))
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=uri(compat), type=types.FileChangeType.Changed)]))
    await wait_for_diagnostics(client, runner, lambda d: len(d) == 2)


async def test_clients_without_file_watching_are_polled(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, profile="neovim-0.7")
    runner = open_doc(client, root / PIPELINE)
    await wait_for_diagnostics(client, runner, lambda d: len(d) == 6)
    assert client.registrations == []
    compat = root / COMPAT
    without_alias = compat.read_text().replace("LegacyEngine = ExecutionEngine\n", "")
    await until_noticed(lambda: compat.write_text(without_alias),
                        lambda: len(client.diagnostics.get(runner, ())) == 2)


async def test_reindex_command_rebuilds_the_index(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root)
    result = await client.workspace_execute_command_async(types.ExecuteCommandParams(command="ssot.reindex"))
    assert result["files"] >= 30
    assert len(index_runs(client)) == 2


async def test_large_workspace_is_indexed_by_worker_processes(parallel_client, tmp_path: Path):
    """Above the core's parallel threshold (400 files) the index is built by a process pool started
    from the server's scan thread (forkserver); it must complete and agree with `ssot-lsp check`."""
    client = parallel_client
    root = copy_demo(tmp_path)
    filler = root / "netra_backend" / "app" / "filler"
    filler.mkdir()
    (filler / "__init__.py").write_text("")
    for n in range(450):
        body = f"def job_{n}(value):\n    return value * {n}\n"
        if n % 90 == 0:
            body = "from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine\n\n" + body
        (filler / f"mod_{n}.py").write_text(body)
    await initialize(client, root)
    listed = await client.workspace_execute_command_async(types.ExecuteCommandParams(command="ssot.listViolations"))
    assert len(listed) == expected_count(root)
    assert sum(1 for item in listed if "/filler/" in item["path"]) == 5


async def test_indexing_progress_keeps_reporting_while_no_file_is_done(slow_index_client, tmp_path: Path):
    # the scan starts 1.5 s late: a client must still see the progress move on at least every 2 s
    # (issue 10), not only when files are done
    client = slow_index_client
    await initialize(client, copy_demo(tmp_path))
    run = index_runs(client)[0]
    early = [r for r in run if isinstance(r, types.WorkDoneProgressReport) and r.percentage == 0]
    assert early and early[0].message == "listing files"
