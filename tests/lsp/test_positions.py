"""Positions are exact in the negotiated encoding; the text store splits lines the LSP way."""

from __future__ import annotations

from pathlib import Path

from .helpers import change_doc, initialize, open_doc, wait_for_diagnostics

LEGACY_IMPORT = "from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine"
NAME_COL = LEGACY_IMPORT.index("ExecutionEngine")


def _workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "netra_backend/app/agents/supervisor").mkdir(parents=True)
    for pkg in ("netra_backend", "netra_backend/app", "netra_backend/app/agents", "netra_backend/app/agents/supervisor"):
        (root / pkg / "__init__.py").write_text("")
    (root / "netra_backend/app/agents/supervisor/execution_engine.py").write_text(
        "class ExecutionEngine:\n    pass\n")
    return root


async def test_form_feed_line_edit_lands_on_the_right_line(client, tmp_path: Path):
    """pygls' TextDocument splits on \\x0c; our store must not: edit line 1 of 'a = 1\\x0cb = 2\\nc = 3\\n'."""
    root = _workspace(tmp_path)
    await initialize(client, root, options={"debounceMs": 0})
    doc = open_doc(client, root / "mod.py", text="a = 1\x0cb = 2\nc = 3\n")
    await wait_for_diagnostics(client, doc, lambda d: [x.code for x in d] == ["SSOT009"])
    # line 1 is "c = 3" (a form feed is not a line break); then repair line 0
    change_doc(client, doc, 2, [(1, 0, 1, 5, LEGACY_IMPORT), (0, 0, 0, 11, "a = 1")])
    diags = await wait_for_diagnostics(client, doc, lambda d: [x.code for x in d] == ["SSOT001"])
    rng = diags[0].range
    assert diags[0].code == "SSOT001"
    assert (rng.start.line, rng.start.character, rng.end.character) == (1, NAME_COL, NAME_COL + 15)


async def test_utf16_columns_count_surrogate_pairs(client, tmp_path: Path):
    root = _workspace(tmp_path)
    await initialize(client, root, options={"debounceMs": 0})
    prefix = 'x = "\U0001F600\U0001F600"; '
    doc = open_doc(client, root / "mod.py", text=prefix + LEGACY_IMPORT + "\n")
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 1)
    expected = len(prefix) + 2 + NAME_COL  # two astral characters: two extra UTF-16 units
    assert diags[0].range.start.character == expected
    assert diags[0].range.end.character == expected + 15


async def test_utf8_encoding_is_negotiated_with_neovim_011(client, tmp_path: Path):
    root = _workspace(tmp_path)
    result = await initialize(client, root, profile="neovim-0.11", options={"debounceMs": 0})
    assert result.capabilities.position_encoding == "utf-8"
    prefix = 'x = "é\U0001F600"; '
    doc = open_doc(client, root / "mod.py", text=prefix + LEGACY_IMPORT + "\n")
    report = await client.text_document_diagnostic_async(_diag_params(doc))
    start = report.items[0].range.start.character
    assert start == len(prefix.encode("utf-8")) + NAME_COL


async def test_incremental_edit_in_utf8_after_multibyte_characters(client, tmp_path: Path):
    root = _workspace(tmp_path)
    await initialize(client, root, profile="neovim-0.11", options={"debounceMs": 0})
    doc = open_doc(client, root / "mod.py", text='s = "é\U0001F600"; y = 1\n')
    # replace "y = 1": byte column of 'y' is len('s = "é😀"; ') in UTF-8
    col = len('s = "é\U0001F600"; '.encode("utf-8"))
    change_doc(client, doc, 2, [(0, col, 0, col + 5, LEGACY_IMPORT)])
    report = await client.text_document_diagnostic_async(_diag_params(doc))
    assert [d.code for d in report.items] == ["SSOT001"]
    assert report.items[0].range.start.character == col + NAME_COL


async def test_crlf_line_endings(client, tmp_path: Path):
    root = _workspace(tmp_path)
    await initialize(client, root, options={"debounceMs": 0})
    doc = open_doc(client, root / "mod.py", text="import os\r\n\r\nx = 1\r\n")
    await wait_for_diagnostics(client, doc, lambda d: d == [])
    change_doc(client, doc, 2, [(2, 0, 2, 5, LEGACY_IMPORT)])
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 1)
    assert (diags[0].range.start.line, diags[0].range.start.character) == (2, NAME_COL)


async def test_line_separator_inside_a_line_does_not_split_it(client, tmp_path: Path):
    root = _workspace(tmp_path)
    await initialize(client, root, options={"debounceMs": 0})
    text = 's = "a\u2028b\x0cc"\n' + LEGACY_IMPORT + "\n"
    doc = open_doc(client, root / "mod.py", text=text)
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 1)
    assert (diags[0].range.start.line, diags[0].range.start.character) == (1, NAME_COL)
    change_doc(client, doc, 2, [(0, 0, 0, 0, "t = 1\n")])
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 1 and d[0].range.start.line == 2)
    assert diags[0].range.start.character == NAME_COL


def _diag_params(doc: str):
    from lsprotocol import types

    return types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=doc))
