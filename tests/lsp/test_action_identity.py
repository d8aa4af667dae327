"""Code actions belong to one finding: matched by identity, editing only that finding's site.

Two identical lines have the same fingerprint; each must still get its own actions, and each
action may edit only its own line and the file's imports. A fix that would also change another
finding is fix-all's job, not a quick fix.
"""

from __future__ import annotations

import ast
from pathlib import Path

from lsprotocol import types

from .helpers import (
    apply_text_edits,
    edited_lines,
    edits_of,
    import_lines,
    initialize,
    open_doc,
    request_actions,
    wait_for_diagnostics,
)

LEGACY = "from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine\n"
TWIN_LINE = "    engine = ExecutionEngine(registry, bridge, user_context=ctx)"
TWINS = (LEGACY + "\n\n"
         "async def first(registry, bridge, ctx):\n" + TWIN_LINE + "\n    return engine\n\n\n"
         "async def second(registry, bridge, ctx):\n" + TWIN_LINE + "\n    return engine\n")
FIRST, SECOND = 4, 9  # the twin lines (0-based)
IMPORT_IN_ANNOTATION = LEGACY + "\n\ndef run(engine: ExecutionEngine) -> None:\n    engine.go()\n"


def _only_imports(text: str) -> bool:
    return all(isinstance(node, (ast.Import, ast.ImportFrom)) for node in ast.parse(text.strip("\n")).body)


def _stray_edits(action: types.CodeAction, text: str, own_line: int) -> list[types.TextEdit]:
    """Edits of ``action`` outside its own line and the imports (new import lines may be inserted)."""
    allowed = {own_line} | import_lines(text)
    stray = []
    for edit in edits_of(action):
        single = types.CodeAction(title="", edit=types.WorkspaceEdit(changes={"x": [edit]}))
        insertion = edit.range.start == edit.range.end
        if edited_lines(single) <= allowed or (insertion and _only_imports(edit.new_text)):
            continue
        stray.append(edit)
    return stray


async def _twins(client, tmp_path: Path):
    root = tmp_path / "ws"
    root.mkdir()
    await initialize(client, root, options={"debounceMs": 0})
    doc = open_doc(client, root / "twins.py", text=TWINS)
    diagnostics = await wait_for_diagnostics(client, doc, lambda d: [x.code for x in d].count("SSOT002") == 2)
    return doc, diagnostics


async def test_each_of_two_identical_lines_gets_actions_that_edit_only_that_line(client, tmp_path: Path):
    doc, diagnostics = await _twins(client, tmp_path)
    constructions = sorted((d for d in diagnostics if d.code == "SSOT002"), key=lambda d: d.range.start.line)
    assert [d.range.start.line for d in constructions] == [FIRST, SECOND]
    assert constructions[0].data["fingerprint"] == constructions[1].data["fingerprint"]  # why identity matters
    for diagnostic in constructions:
        line = diagnostic.range.start.line
        actions = await request_actions(client, doc, [diagnostic])
        quick = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
        assert [a.title.startswith("Suppress") for a in quick].count(False) == 1, [a.title for a in quick]
        for action in quick:
            assert list(action.diagnostics) == [diagnostic]
            assert not _stray_edits(action, TWINS, line), (action.title, edits_of(action))
            assert line in edited_lines(action)
        fix = next(a for a in quick if not a.title.startswith("Suppress"))
        assert apply_text_edits(TWINS, edits_of(fix), "utf-16").count(TWIN_LINE) == 1  # the twin is untouched


async def test_titles_are_unique_when_one_request_covers_both_identical_lines(client, tmp_path: Path):
    doc, diagnostics = await _twins(client, tmp_path)
    both = types.Range(start=types.Position(line=FIRST, character=0), end=types.Position(line=SECOND, character=len(TWIN_LINE)))
    constructions = [d for d in diagnostics if d.code == "SSOT002"]
    for named in ([], constructions):
        actions = await request_actions(client, doc, named, rng=both, only=[types.CodeActionKind.QuickFix])
        titles = [a.title for a in actions]
        assert len(titles) == 4 and len(set(titles)) == 4, titles  # two fixes, two suppressions


async def test_import_fix_that_would_rewrite_other_findings_is_left_to_fix_all(client, tmp_path: Path):
    doc, diagnostics = await _twins(client, tmp_path)
    legacy_import = next(d for d in diagnostics if d.code == "SSOT001")
    actions = await request_actions(client, doc, [legacy_import])
    offered = [a.title for a in actions if a.kind == types.CodeActionKind.QuickFix and a.disabled is None]
    assert offered == ["Suppress SSOT001 on this line"]
    (withheld,) = [a for a in actions if a.disabled is not None]
    assert "fix all applies it" in withheld.disabled.reason
    summary = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="ssot.fixAll", arguments=[{"unsafe": True}]))  # the fixes of this file are all unsafe
    assert summary["files"] == 1
    (change,) = client.applied_edits[-1].edit.document_changes
    fix_all = types.CodeAction(title="", edit=types.WorkspaceEdit(document_changes=[change]))
    assert {FIRST, SECOND} <= edited_lines(fix_all)  # several sites: that is what fix-all is for


async def test_import_fix_renaming_only_an_annotation_is_a_quick_fix(client, tmp_path: Path):
    root = tmp_path / "ws"
    root.mkdir()
    await initialize(client, root, options={"debounceMs": 0})
    doc = open_doc(client, root / "annotated.py", text=IMPORT_IN_ANNOTATION)
    (diagnostic,) = await wait_for_diagnostics(client, doc, lambda d: len(d) == 1)
    actions = await request_actions(client, doc, [diagnostic], only=[types.CodeActionKind.QuickFix])
    (fix,) = [a for a in actions if not a.title.startswith("Suppress")]
    assert fix.is_preferred and edited_lines(fix) == {0, 3}  # the import and the annotation that uses it
    assert "UserExecutionEngine" in apply_text_edits(IMPORT_IN_ANNOTATION, edits_of(fix), "utf-16")
