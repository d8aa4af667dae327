"""The cross-file fix of a compatibility re-export as the editor gets it (issue 15 §4): the quick
fix on the re-export is one WorkspaceEdit over the shim and its importers, open ones versioned."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from .helpers import apply_text_edits, change_doc, copy_demo, initialize, open_doc, uri, wait_for_diagnostics

SHIM = "netra_backend/app/services/engine_compat.py"
OPEN_IMPORTER = "netra_backend/app/services/engine_users.py"
DISK_IMPORTER = "netra_backend/app/services/engine_reports.py"

FILES = {
    SHIM: ('"""Old import path of the engine, kept for callers that have not moved yet."""\n'
           "from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine\n\n"
           '__all__ = ["ExecutionEngine"]\n'),
    OPEN_IMPORTER: ("from netra_backend.app.services.engine_compat import ExecutionEngine\n\n\n"
                    "async def run_for(ctx, registry, bridge):\n"
                    "    engine = ExecutionEngine(registry, bridge, user_context=ctx)\n"
                    "    return await engine.execute_agent('triage', {})\n"),
    DISK_IMPORTER: ("from netra_backend.app.services.engine_compat import ExecutionEngine\n\n\n"
                    "def describe(engine: ExecutionEngine) -> str:\n"
                    "    return type(engine).__name__\n"),
}


def _workspace(tmp_path: Path) -> Path:
    root = copy_demo(tmp_path)
    for name, text in FILES.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


async def _actions_at_reexport(client, shim_uri: str) -> list[types.CodeAction]:
    diagnostics = await wait_for_diagnostics(client, shim_uri, lambda d: any(x.code == "SSOT001" for x in d))
    reexport = [d for d in diagnostics if d.code == "SSOT001"]
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=shim_uri), range=reexport[0].range,
        context=types.CodeActionContext(diagnostics=reexport, only=[types.CodeActionKind.QuickFix])))


async def _reexport_fix(client, shim_uri: str) -> types.CodeAction:
    actions = await _actions_at_reexport(client, shim_uri)
    return next(a for a in actions if a.title.startswith("Unsafe: drop the re-export ExecutionEngine"))


async def test_quick_fix_on_a_reexport_is_one_edit_over_the_shim_and_its_importers(client, tmp_path: Path):
    root = _workspace(tmp_path)
    await initialize(client, root)
    shim, user = open_doc(client, root / SHIM), open_doc(client, root / OPEN_IMPORTER, version=3)
    action = await _reexport_fix(client, shim)
    assert action.edit is not None and action.disabled is None and not action.edit.changes
    changes = {c.text_document.uri: c for c in action.edit.document_changes}
    assert set(changes) == {shim, user, uri(root / DISK_IMPORTER)}
    assert changes[shim].text_document.version == 1 and changes[user].text_document.version == 3
    assert changes[uri(root / DISK_IMPORTER)].text_document.version is None  # not open: the disk text

    # apply it as the client would: the open buffers change, the other file is opened with its new text
    new = {name: apply_text_edits(text, changes[uri(root / name)].edits, "utf-16") for name, text in FILES.items()}
    assert "ExecutionEngine" not in new[SHIM].replace("UserExecutionEngine", "")
    assert "create_for_user(ctx)" in new[OPEN_IMPORTER]
    assert "def describe(engine: UserExecutionEngine) -> str:" in new[DISK_IMPORTER]
    change_doc(client, shim, 2, new[SHIM])
    change_doc(client, user, 4, new[OPEN_IMPORTER])
    reports = open_doc(client, root / DISK_IMPORTER, text=new[DISK_IMPORTER])
    for doc in (shim, user, reports):
        left = await wait_for_diagnostics(client, doc, lambda d: not any(x.code in ("SSOT001", "SSOT002", "SSOT011")
                                                                         for x in d))
        assert not [d.message for d in left if d.code in ("SSOT001", "SSOT002", "SSOT011")]


async def test_a_reexport_whose_importer_cannot_be_rewritten_has_no_fix_and_names_the_importer(client, tmp_path):
    root = _workspace(tmp_path)
    (root / DISK_IMPORTER).write_text("from netra_backend.app.services.engine_compat import ExecutionEngine\n\n"
                                      "ENGINES = {'default': ExecutionEngine}\n", encoding="utf-8")
    await initialize(client, root)
    shim = open_doc(client, root / SHIM)
    actions = await _actions_at_reexport(client, shim)
    disabled = [a for a in actions if a.disabled is not None]
    assert not [a for a in actions if a.edit is not None and a.title.startswith("Unsafe: drop")]
    assert any(f"{DISK_IMPORTER}:1: `ExecutionEngine` at line 3 is used as a value" in a.disabled.reason
               for a in disabled), [a.disabled.reason for a in disabled]


async def test_a_client_without_versioned_edits_gets_no_multi_file_quick_fix_and_is_told_why(client, tmp_path):
    root = _workspace(tmp_path)
    await initialize(client, root, profile="neovim-0.7")  # no workspace.workspaceEdit.documentChanges
    shim = open_doc(client, root / SHIM)
    actions = await _actions_at_reexport(client, shim)
    assert not [a for a in actions if a.edit is not None and a.title.startswith("Unsafe: drop")]
    told = [a.title for a in actions if "applies versioned edits" in a.title or (
        a.disabled is not None and "applies versioned edits" in a.disabled.reason)]
    assert told, [a.title for a in actions]


async def test_unsafe_fix_all_carries_the_cross_file_fix_in_its_one_edit(client, tmp_path: Path):
    root = _workspace(tmp_path)
    await initialize(client, root)
    user = open_doc(client, root / OPEN_IMPORTER, version=5)
    await wait_for_diagnostics(client, user)
    summary = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="ssot.fixAll", arguments=[{"unsafe": True}]))
    assert not [s for s in summary["notFixed"] if s["location"].startswith(SHIM)]  # the re-export was fixed
    (applied,) = client.applied_edits
    changes = {c.text_document.uri: c for c in applied.edit.document_changes}
    assert {uri(root / name) for name in FILES} <= set(changes)
    assert changes[user].text_document.version == 5
    shim = apply_text_edits(FILES[SHIM], changes[uri(root / SHIM)].edits, "utf-16")
    assert "import ExecutionEngine" not in shim and '__all__ = []' in shim


def test_fix_all_drops_every_file_of_a_cross_file_fix_when_one_of_them_changed_meanwhile():
    """The check right before the edit is sent (``_unchanged``) drops a file that changed since its
    fix was computed; for the files of a cross-file fix that must drop them all (the shim would
    lose the name while that importer keeps importing it). Other files' fixes stay."""
    from ssot_lsp.lsp.fix_all import Summary, WorkspaceFixAll, _FileFix, _key

    fix_all = WorkspaceFixAll.__new__(WorkspaceFixAll)
    fix_all.groups = [{_key("/ws/shim.py"), _key("/ws/a.py"), _key("/ws/b.py")}]

    def file_fix(path: str) -> _FileFix:
        return _FileFix(path, f"file://{path}", None, None, "old", "new", 1)

    summary = Summary()
    still_unchanged = [file_fix("/ws/shim.py"), file_fix("/ws/a.py"), file_fix("/ws/other.py")]  # b.py changed
    kept = fix_all._all_or_nothing(still_unchanged, summary)
    assert [f.path for f in kept] == ["/ws/other.py"]
    assert sorted(summary.skipped) == ["file:///ws/a.py", "file:///ws/shim.py"]
    everything = [*still_unchanged, file_fix("/ws/b.py")]
    assert len(fix_all._all_or_nothing(everything, Summary())) == 4
