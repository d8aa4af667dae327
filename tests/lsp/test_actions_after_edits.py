"""After any edit, every diagnostic the client holds for the current text has its actions.

The user's sequence (issue 17, item 1, in VS Code, which pulls diagnostics): see the squiggle, edit
the file somewhere, press Ctrl+. on the squiggle -> "No code actions available". The pull after the
edit answered "unchanged" (the result id did not depend on the document version), so the client
kept diagnostics whose data named the old version, and the server refused to answer for them.
Here a client keeps diagnostics exactly as VS Code does (replaced on a full report, kept on an
unchanged one) and asks for the actions of each after edits below, at and above the findings.
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from .helpers import (
    change_doc,
    copy_demo,
    edited_lines,
    initialize,
    open_doc,
    request_actions,
    wait_for_diagnostics,
)

PIPELINE = "netra_backend/app/services/pipeline_runner.py"
TYPED = ("\n\nasync def run_backfill(registry, websocket_bridge, ctx):\n"
         "    engine = ee.ExecutionEngine(registry, websocket_bridge, user_context=ctx)\n")


class PullingEditor:
    """Holds one document's diagnostics the way a pull client does."""

    def __init__(self, client, doc: str) -> None:
        self.client = client
        self.doc = doc
        self.version = 1
        self.result_id: str | None = None
        self.diagnostics: list[types.Diagnostic] = []

    async def pull(self) -> str:
        report = await self.client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=self.doc), previous_result_id=self.result_id))
        self.result_id = report.result_id
        if report.kind == "full":
            self.diagnostics = list(report.items)
        return report.kind

    async def edit(self, start_line: int, start_char: int, end_line: int, end_char: int, text: str) -> str:
        self.version += 1
        change_doc(self.client, self.doc, self.version, [(start_line, start_char, end_line, end_char, text)])
        return await self.pull()


async def _assert_every_diagnostic_has_its_actions(client, doc: str, diagnostics: list[types.Diagnostic]) -> None:
    assert diagnostics
    for diagnostic in diagnostics:
        actions = await request_actions(client, doc, [diagnostic], only=[types.CodeActionKind.QuickFix])
        assert actions, f"no actions for {diagnostic.code} on line {diagnostic.range.start.line}"
        for action in actions:
            assert list(action.diagnostics) == [diagnostic]
            if action.disabled is not None:  # a fix not offered, and why (the client shows it greyed out)
                assert action.edit is None and action.disabled.reason, action.title
                continue
            assert action.edit is not None and diagnostic.range.start.line in edited_lines(action), action.title
        if diagnostic.code == "SSOT002":  # constructions have a verified fix
            assert any(not a.title.startswith("Suppress") and a.disabled is None for a in actions), \
                [a.title for a in actions]


async def test_pulled_diagnostics_keep_their_actions_after_edits_below_at_and_above(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, profile="vscode-pull")
    path = root / PIPELINE
    lines = path.read_text().split("\n")
    editor = PullingEditor(client, open_doc(client, path))
    assert await editor.pull() == "full" and len(editor.diagnostics) == 6
    await _assert_every_diagnostic_has_its_actions(client, editor.doc, editor.diagnostics)
    construction = next(d for d in editor.diagnostics if d.code == "SSOT002").range.start.line
    below = len(lines) - 1
    await editor.edit(below, 0, below, 0, "# tail\n")  # below every finding
    await _assert_every_diagnostic_has_its_actions(client, editor.doc, editor.diagnostics)
    end = len(lines[construction])
    await editor.edit(construction, end, construction, end, "  # reviewed")  # on a finding's line
    await _assert_every_diagnostic_has_its_actions(client, editor.doc, editor.diagnostics)
    await editor.edit(0, 0, 0, 0, "# moved\n")  # above every finding
    await _assert_every_diagnostic_has_its_actions(client, editor.doc, editor.diagnostics)


async def test_a_typed_construction_keeps_its_quick_fix_while_typing_goes_on(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, profile="vscode-pull")
    path = root / PIPELINE
    end = len(path.read_text().split("\n")) - 1
    editor = PullingEditor(client, open_doc(client, path))
    await editor.pull()
    await editor.edit(end, 0, end, 0, TYPED)  # the squiggle appears
    typed = [d for d in editor.diagnostics if d.range.start.line == end + 3]
    assert [d.code for d in typed] == ["SSOT002"]
    await editor.edit(end + 4, 0, end + 4, 0, "    return await engine.execute_agent('backfill', {})\n")
    await _assert_every_diagnostic_has_its_actions(client, editor.doc, editor.diagnostics)


async def test_diagnostics_of_the_previous_version_keep_their_actions_while_a_push_is_pending(client, tmp_path: Path):
    """A push client asks before the edit's diagnostics arrive (long debounce): findings the edit
    did not move are the same findings, and keep their actions."""
    root = copy_demo(tmp_path)
    await initialize(client, root, options={"debounceMs": 60000})
    path = root / PIPELINE
    doc = open_doc(client, path)
    held = await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    below = len(path.read_text().split("\n")) - 1
    change_doc(client, doc, 2, [(below, 0, below, 0, "# tail\n")])
    await _assert_every_diagnostic_has_its_actions(client, doc, held)
