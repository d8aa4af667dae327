"""While a buffer does not parse: the last good diagnostics, moved through the edits, plus one SSOT009."""

from __future__ import annotations

from pathlib import Path

from .helpers import (
    change_doc,
    codes,
    copy_demo,
    initialize,
    open_doc,
    wait_for_diagnostics,
)

PIPELINE = "netra_backend/app/services/pipeline_runner.py"


async def test_broken_buffer_keeps_last_good_diagnostics_shifted(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, options={"debounceMs": 0})
    doc = open_doc(client, root / PIPELINE)
    good = await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    before = sorted((d.range.start.line, d.range.start.character, str(d.code)) for d in good)
    # insert two broken lines at the top: everything below moves down by two lines
    change_doc(client, doc, 2, [(0, 0, 0, 0, "def broken(:\n    pass\n")])
    diags = await wait_for_diagnostics(client, doc, lambda d: "SSOT009" in codes(d))
    assert codes(diags).count("SSOT009") == 1
    kept = sorted((d.range.start.line, d.range.start.character, str(d.code)) for d in diags if d.code != "SSOT009")
    assert kept == [(line + 2, col, code) for line, col, code in before]
    # repairing the buffer gives fresh results again
    change_doc(client, doc, 3, [(0, 0, 2, 0, "")])
    diags = await wait_for_diagnostics(client, doc, lambda d: "SSOT009" not in codes(d))
    assert sorted((d.range.start.line, d.range.start.character, str(d.code)) for d in diags) == before


async def test_edit_on_a_line_shifts_columns_of_later_diagnostics_on_it(client, tmp_path: Path):
    root = tmp_path / "ws"
    root.mkdir()
    text = "from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine\n"
    await initialize(client, root, options={"debounceMs": 0})
    doc = open_doc(client, root / "mod.py", text=text)
    good = await wait_for_diagnostics(client, doc, lambda d: len(d) == 1)
    col = good[0].range.start.character
    change_doc(client, doc, 2, [(0, 0, 0, 0, "(((")])  # three characters before it, and no longer parses
    diags = await wait_for_diagnostics(client, doc, lambda d: "SSOT009" in codes(d))
    moved = [d for d in diags if d.code == "SSOT001"]
    assert [d.range.start.character for d in moved] == [col + 3]
