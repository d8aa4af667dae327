"""Code actions: suppression (resolved lazily), verified fixes, fix-all, stale versions."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from .helpers import change_doc, copy_demo, initialize, open_doc, wait_for_diagnostics

PIPELINE = "netra_backend/app/services/pipeline_runner.py"


def _fixes_available() -> bool:
    try:
        from ssot_lsp.fixes import api
    except Exception:  # noqa: BLE001
        return False
    return hasattr(api, "fixes_for") and hasattr(api, "fix_all")


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


async def test_code_actions_for_a_stale_version_are_empty(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, options={"debounceMs": 5000})
    doc = open_doc(client, root / PIPELINE)
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    change_doc(client, doc, 2, [(0, 0, 0, 0, "# edited\n")])
    assert not await _actions(client, doc, diags[:1])


@pytest.mark.skipif(not _fixes_available(), reason="ssot_lsp.fixes.api not available")
async def test_quickfix_comes_from_the_fixes_api(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root)
    doc = open_doc(client, root / PIPELINE)
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    imports = [d for d in diags if d.code == "SSOT001"]
    found = []
    for diagnostic in imports:
        actions = await _actions(client, doc, [diagnostic], only=[types.CodeActionKind.QuickFix])
        found += [a for a in actions if not a.title.startswith("Suppress") and a.edit is not None]
    assert found, "no verified fix offered for any legacy import"
    for action in found:
        assert action.kind == types.CodeActionKind.QuickFix
        assert action.is_preferred in (True, None)


@pytest.mark.skipif(not _fixes_available(), reason="ssot_lsp.fixes.api not available")
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
