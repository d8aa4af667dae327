"""The workspace root of each client folder, as for `ssot-lsp check`: a folder below the root is
checked against the whole workspace and reports exactly what `check FOLDER` reports; client folders
of one root share one index; stale configuration is logged and shown once per configuration load."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from lsprotocol import types

from .helpers import (
    copy_demo,
    index_runs,
    initialize,
    open_doc,
    uri,
    wait_for_diagnostics,
    wait_for_index,
    wait_until,
)

SERVICES = "netra_backend/app/services"
STALE_SUMMARY = "naming what this workspace does not contain"


def cli_findings(root: Path, *paths: str) -> set[tuple[str, int, str]]:
    """(path relative to root, line, code) of `ssot-lsp check PATHS` run from the root."""
    run = subprocess.run([sys.executable, "-m", "ssot_lsp", "check", "--format", "json", "--no-cache", *paths],
                         cwd=root, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode in (0, 1), run.stderr
    return {(v["path"], v["line"], v["code"]) for v in json.loads(run.stdout)["violations"]}


async def listed(client, root: Path, scope: Path | None = None) -> set[tuple[str, int, str]]:
    arguments = [{"uri": uri(scope)}] if scope is not None else []
    items = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="ssot.listViolations", arguments=arguments))
    return {(Path(item["path"]).relative_to(root).as_posix(), item["range"]["start"]["line"] + 1, item["code"])
            for item in items}


def in_repository(tmp_path: Path) -> Path:
    demo = copy_demo(tmp_path)
    (demo / ".git").mkdir()
    return demo


async def test_a_folder_below_the_root_reports_what_check_reports_for_it(client, tmp_path: Path):
    demo = in_repository(tmp_path)
    await initialize(client, demo / SERVICES, options={"diagnosticMode": "workspace"})
    assert await listed(client, demo) == cli_findings(demo, SERVICES)
    # an open file of that folder knows what the rest of the workspace defines (re-exports in agents/)
    runner = demo / SERVICES / "pipeline_runner.py"
    diagnostics = await wait_for_diagnostics(client, open_doc(client, runner), lambda d: len(d) > 0)
    assert {(f"{SERVICES}/pipeline_runner.py", d.range.start.line + 1, d.code) for d in diagnostics} == \
        {f for f in cli_findings(demo, SERVICES) if f[0].endswith("pipeline_runner.py")}


async def test_a_folder_at_the_root_reports_everything(client, tmp_path: Path):
    demo = in_repository(tmp_path)
    await initialize(client, demo)
    assert await listed(client, demo) == cli_findings(demo)


async def test_folders_of_one_root_share_one_index(client, tmp_path: Path):
    demo = in_repository(tmp_path)
    await initialize(client, [demo / "netra_backend", demo / "tests"], wait_index=False)
    await wait_for_index(client, count=1)
    assert await listed(client, demo) == cli_findings(demo, "netra_backend", "tests")
    assert await listed(client, demo, demo / "tests") == cli_findings(demo, "tests")
    assert len(index_runs(client)) == 1
    assert any("shares the index of" in m.message for m in client.log_messages)


async def test_folders_of_two_projects_keep_their_own_index(client, tmp_path: Path):
    first, second = in_repository(tmp_path / "a"), in_repository(tmp_path / "b")
    await initialize(client, [first / "netra_backend", second / "netra_backend"], wait_index=False)
    await wait_for_index(client, count=2)
    assert len(index_runs(client)) == 2
    assert await listed(client, second, second / "netra_backend") == cli_findings(second, "netra_backend")


async def test_removing_one_of_two_folders_of_a_root_keeps_the_other(client, tmp_path: Path):
    demo = in_repository(tmp_path)
    backend, tests = demo / "netra_backend", demo / "tests"
    await initialize(client, [backend, tests], wait_index=False)
    await wait_for_index(client, count=1)
    client.workspace_did_change_workspace_folders(types.DidChangeWorkspaceFoldersParams(
        event=types.WorkspaceFoldersChangeEvent(added=[], removed=[types.WorkspaceFolder(uri=uri(backend), name="b")])))
    await wait_until(lambda: any("shares the index" in m.message for m in client.log_messages), 5)
    assert await listed(client, demo) == cli_findings(demo, "tests")
    assert len(index_runs(client)) == 1  # nothing to re-index


async def test_stale_configuration_is_logged_and_shown_once_per_load(client, tmp_path: Path):
    demo = in_repository(tmp_path)
    await initialize(client, demo)
    shown = await wait_until(lambda: [m for m in client.messages if STALE_SUMMARY in m.message], 10)
    assert len(shown) == 1 and shown[0].type == types.MessageType.Warning and "6 entries" in shown[0].message
    assert not [m for m in client.log_messages if "every configured entry" in m.message]
    (log,) = [m for m in client.log_messages if STALE_SUMMARY in m.message and "configuration of" in m.message]
    assert "groups[engine].legacy-symbols: netra_backend.app.core.managers.execution_engine_factory:" \
           "BaseExecutionEngine: its module does not exist (profile netra)" in log.message
    # a re-index with the same configuration shows nothing new
    await client.workspace_execute_command_async(types.ExecuteCommandParams(command="ssot.reindex", arguments=[]))
    await wait_for_index(client, count=2)
    # a new configuration load shows it again, with what changed
    (demo / "pyproject.toml").write_text(
        '[tool.ssot-lsp]\nprofile = "netra"\n\n[[tool.ssot-lsp.extend-groups]]\nname = "engine"\n'
        'legacy-symbols = ["netra_backend.app.agents.supervisor.execution_engine:RetiredEngine"]\n')
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=uri(demo / "pyproject.toml"), type=types.FileChangeType.Created)]))
    await wait_for_index(client, count=3)
    shown = await wait_until(lambda: [m for m in client.messages if STALE_SUMMARY in m.message][1:], 10)
    assert len(shown) == 1 and "7 entries" in shown[0].message
    assert len([m for m in client.messages if STALE_SUMMARY in m.message]) == 2


async def test_no_stale_message_when_everything_exists(client, tmp_path: Path):
    demo = in_repository(tmp_path)
    # name only what the demo contains: the engine group without the entries the demo lacks
    (demo / "pyproject.toml").write_text(
        '[tool.ssot-lsp]\n\n[[tool.ssot-lsp.groups]]\nname = "engine"\n'
        'canonical = "netra_backend.app.agents.supervisor.user_execution_engine:UserExecutionEngine"\n'
        'legacy-modules = ["netra_backend.app.agents.supervisor.execution_engine"]\n')
    await initialize(client, demo)
    await wait_until(lambda: [m for m in client.log_messages if "every configured entry is in the workspace" in m.message])
    assert not [m for m in client.messages if STALE_SUMMARY in m.message]
