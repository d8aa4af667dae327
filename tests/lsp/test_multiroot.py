"""Multi-root workspaces: one configuration and index per folder; folders added and removed."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from .helpers import (
    copy_demo,
    initialize,
    open_doc,
    uri,
    wait_for_diagnostics,
    wait_for_index,
)

PIPELINE = "netra_backend/app/services/pipeline_runner.py"


WIDGET_CONFIG = """
[[groups]]
name = "widget"
canonical = "pkg.new:Widget"
legacy-modules = ["pkg.old"]
"""


async def test_each_folder_uses_its_own_configuration_file(client, tmp_path: Path):
    demo = copy_demo(tmp_path)
    custom = tmp_path / "custom"
    (custom / "pkg").mkdir(parents=True)
    (custom / "ssot-lsp.toml").write_text(WIDGET_CONFIG)
    (custom / "pkg/__init__.py").write_text("")
    (custom / "pkg/new.py").write_text("class Widget:\n    pass\n")
    (custom / "pkg/old.py").write_text("class Widget:\n    pass\n")
    use = "from pkg.old import Widget\n"
    await initialize(client, [demo, custom])
    in_custom = await wait_for_diagnostics(client, open_doc(client, custom / "use.py", text=use), lambda d: len(d) == 1)
    assert in_custom[0].code == "SSOT001" and "Widget" in in_custom[0].message
    in_demo = await wait_for_diagnostics(client, open_doc(client, demo / "use.py", text=use))
    assert in_demo == []  # the demo folder uses the built-in profile, which knows nothing of widgets


async def test_added_workspace_folder_is_indexed(client, tmp_path: Path):
    first, second = copy_demo(tmp_path / "a"), copy_demo(tmp_path / "b")
    await initialize(client, first)
    client.workspace_did_change_workspace_folders(types.DidChangeWorkspaceFoldersParams(
        event=types.WorkspaceFoldersChangeEvent(added=[types.WorkspaceFolder(uri=uri(second), name="b")], removed=[])))
    await wait_for_index(client, count=2)
    result = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="ssot.listViolations", arguments=[{"uri": uri(second)}]))
    assert len(result) > 40
    client.workspace_did_change_workspace_folders(types.DidChangeWorkspaceFoldersParams(
        event=types.WorkspaceFoldersChangeEvent(added=[], removed=[types.WorkspaceFolder(uri=uri(second), name="b")])))
    result = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="ssot.listViolations", arguments=[{"uri": uri(second)}]))
    assert result == []
