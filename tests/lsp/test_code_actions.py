"""Code actions: suppression (resolved lazily), verified fixes, fix-all, diagnostics of another view."""

from __future__ import annotations

from pathlib import Path
from typing import Union

from lsprotocol import types

from .helpers import change_doc, copy_demo, initialize, open_doc, wait_for_diagnostics

PIPELINE = "netra_backend/app/services/pipeline_runner.py"


async def _actions(client, doc, diagnostics, only=None):
    rng = diagnostics[0].range if diagnostics else types.Range(start=types.Position(line=0, character=0),
                                                                end=types.Position(line=0, character=0))
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=doc), range=rng,
        context=types.CodeActionContext(diagnostics=list(diagnostics), only=only)))


def _apply(text: str, edits) -> str:
    lines = text.split("\n")
    offsets = [0]
    for line in lines[:-1]:
        offsets.append(offsets[-1] + len(line) + 1)
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start = offsets[edit.range.start.line] + edit.range.start.character
        end = offsets[edit.range.end.line] + edit.range.end.character
        text = text[:start] + edit.new_text + text[end:]
    return text


def _edits(action: types.CodeAction):
    if action.edit.document_changes:
        return action.edit.document_changes[0].edits
    return next(iter(action.edit.changes.values()))


async def test_suppress_action_is_resolved_into_an_ignore_comment(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root)
    path = root / PIPELINE
    doc = open_doc(client, path)
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    target = [d for d in diags if d.code == "SSOT002"][:1]
    actions = await _actions(client, doc, target)
    suppress = next(a for a in actions if a.title == "Suppress SSOT002 on this line")
    assert suppress.edit is None and suppress.data  # deferred to codeAction/resolve
    resolved = await client.code_action_resolve_async(suppress)
    assert resolved.edit.document_changes[0].text_document.version == 1
    new_text = _apply(path.read_text(), _edits(resolved))
    line = new_text.split("\n")[target[0].range.start.line]
    assert line.endswith("# ssot: ignore[SSOT002]")


async def test_suppress_extends_an_existing_ignore_comment(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root)
    text = ("from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine"
            "  # ssot: ignore[SSOT008]\n")
    doc = open_doc(client, root / "mod.py", text=text)
    diags = await wait_for_diagnostics(client, doc, lambda d: {x.code for x in d} >= {"SSOT001"})
    actions = await _actions(client, doc, [d for d in diags if d.code == "SSOT001"])
    suppress = next(a for a in actions if a.title == "Suppress SSOT001 on this line")
    resolved = await client.code_action_resolve_async(suppress)
    assert _apply(text, _edits(resolved)).split("\n")[0].endswith("# ssot: ignore[SSOT008, SSOT001]")


async def test_diagnostics_an_edit_moved_get_no_actions(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, options={"debounceMs": 5000})
    doc = open_doc(client, root / PIPELINE)
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    assert await _actions(client, doc, diags[:1]), "precondition: the current version has actions"
    change_doc(client, doc, 2, [(0, 0, 0, 0, "# edited\n")])
    assert not await _actions(client, doc, diags[:1])


async def test_quick_fix_applies_the_verified_fix_of_the_fixes_api(client, tmp_path: Path):
    from ssot_lsp.core.project import open_workspace
    from ssot_lsp.fixes import api

    root = copy_demo(tmp_path)
    await initialize(client, root)
    path = root / PIPELINE
    doc = open_doc(client, path)
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    text = path.read_text()
    workspace = open_workspace([root])
    scan = workspace.scan(jobs=1)
    violations = [v for v in scan.violations if v.path == str(path)]
    for diagnostic in (d for d in diags if d.code == "SSOT002"):
        actions = await _actions(client, doc, [diagnostic], only=[types.CodeActionKind.QuickFix])
        (fix,) = [a for a in actions if not a.title.startswith("Suppress")]
        (target,) = [v for v in violations if v.code == "SSOT002" and v.span.line == diagnostic.range.start.line]
        (outcome,) = api.fixes_for(text, str(path), violations, scan.index, workspace.config, targets=[target])
        assert fix.kind == types.CodeActionKind.QuickFix and fix.title == outcome.title
        assert fix.is_preferred is (True if outcome.safe else None)
        assert _apply(text, _edits(fix)) == outcome.new_text


async def test_a_cursor_at_the_start_of_a_finding_gets_its_actions(client, tmp_path: Path):
    """Clients that send no diagnostics in the context (or a bare cursor) get the actions of the
    findings the range touches, its edges included."""
    root = copy_demo(tmp_path)
    await initialize(client, root)
    doc = open_doc(client, root / PIPELINE)
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    target = next(d for d in diags if d.code == "SSOT002")
    for position in (target.range.start, target.range.end):
        cursor = types.Range(start=position, end=position)
        actions = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=doc), range=cursor,
            context=types.CodeActionContext(diagnostics=[])))
        assert "Suppress SSOT002 on this line" in [a.title for a in actions], position


async def test_fix_all_source_action_is_resolved_lazily(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root)
    doc = open_doc(client, root / PIPELINE)
    await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    actions = await _actions(client, doc, [], only=["source.fixAll"])
    assert [a.kind for a in actions] == ["source.fixAll.ssot"]
    assert actions[0].edit is None
    resolved = await client.code_action_resolve_async(actions[0])
    assert resolved.kind == "source.fixAll.ssot"


def _read_code_actions_with_commands_as_editors_do(client) -> None:
    """lsprotocol reads every answer item with a "command" key as a Command, also a CodeAction whose
    ``command`` is an object; VS Code and Neovim tell them apart by the type of ``command``."""
    converter = client.protocol._converter

    def structure(item, _):
        kind = types.Command if isinstance(item.get("command"), str) else types.CodeAction
        return converter.structure(item, kind)

    converter.register_structure_hook(Union[types.Command, types.CodeAction], structure)


async def test_without_resolve_support_fix_all_is_a_command_that_applies_the_edit(client, tmp_path: Path):
    """A client that cannot resolve edits gets fix-all as ``ssot.fixFile``: no edit is computed for
    the answer (seconds on a big file); chosen, the command applies the file's safe fixes."""
    root = copy_demo(tmp_path)
    await initialize(client, root, profile="vscode-no-resolve")
    _read_code_actions_with_commands_as_editors_do(client)
    path = root / "netra_backend/app/services/streaming_service.py"  # it has a safe fix
    doc = open_doc(client, path)
    await wait_for_diagnostics(client, doc)
    actions = await _actions(client, doc, [], only=["source.fixAll"])
    (action,) = actions
    assert action.kind == "source.fixAll.ssot" and action.edit is None
    assert action.command.command == "ssot.fixFile"
    applied = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command=action.command.command, arguments=action.command.arguments))
    assert applied is True
    (edit,) = client.applied_edits
    changes = edit.edit.document_changes[0].edits if edit.edit.document_changes else edit.edit.changes[doc]
    new_text = _apply(path.read_text(), changes)
    assert new_text != path.read_text()
    compile(new_text, str(path), "exec")


async def _findings_without_fix(client, root: Path, profile: str):
    """(diagnostic, its actions) of every pipeline_runner.py finding that gets no enabled fix."""
    await initialize(client, root, profile=profile)
    doc = open_doc(client, root / PIPELINE)
    if profile.startswith("neovim"):  # pulls
        diags = (await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=doc)))).items
    else:
        diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    assert len(diags) == 6
    out = []
    for diagnostic in diags:
        actions = await _actions(client, doc, [diagnostic], only=[types.CodeActionKind.QuickFix])
        if not [a for a in actions if not a.title.startswith("Suppress") and a.disabled is None]:
            out.append((diagnostic, actions))
    assert out, "pipeline_runner.py has findings without a fix"
    return out


async def test_a_finding_without_fix_says_why_in_a_disabled_action(client, tmp_path: Path):
    """VS Code (disabledSupport): the fix is listed greyed out, its reason shown on selection."""
    for diagnostic, actions in await _findings_without_fix(client, copy_demo(tmp_path), "vscode"):
        (disabled,) = [a for a in actions if a.disabled is not None]
        assert disabled.disabled.reason.startswith("No quick fix: ") and len(disabled.disabled.reason) > 20
        assert disabled.edit is None and list(disabled.diagnostics) == [diagnostic]
        suppress = next(a for a in actions if a.title.startswith("Suppress"))
        assert suppress.title == f"Suppress {diagnostic.code} on this line"


async def test_without_disabled_support_the_suppress_title_says_why_there_is_no_fix(client, tmp_path: Path):
    """Neovim 0.11 declares no disabledSupport: nothing disabled is sent, the reason is in the title."""
    for diagnostic, actions in await _findings_without_fix(client, copy_demo(tmp_path), "neovim-0.11"):
        assert all(a.disabled is None for a in actions)
        (suppress,) = [a for a in actions if a.title.startswith("Suppress")]
        assert suppress.title.startswith(f"Suppress {diagnostic.code} on this line (no quick fix: ")
