"""Document synchronisation: open, incremental change, save, close; debounce and versions."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from .helpers import (
    change_doc,
    codes,
    copy_demo,
    initialize,
    line_of,
    open_doc,
    wait_for_diagnostics,
    wait_until,
)

PIPELINE = "netra_backend/app/services/pipeline_runner.py"


async def test_did_open_publishes_diagnostics_with_the_document_version(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root)
    doc = open_doc(client, root / PIPELINE, version=7)
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    assert codes(diags) == ["SSOT001"] * 3 + ["SSOT002"] * 3
    assert client.publish_log[-1].version == 7


async def test_incremental_change_updates_diagnostics(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, options={"debounceMs": 0})
    path = root / PIPELINE
    doc = open_doc(client, path)
    await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    line = line_of(path, "engine = ee.ExecutionEngine(")
    # replace `ee.ExecutionEngine` by `object` on that line only
    text = path.read_text().split("\n")[line]
    start = text.index("ee.ExecutionEngine")
    change_doc(client, doc, 2, [(line, start, line, start + len("ee.ExecutionEngine"), "object")])
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 5)
    assert codes(diags).count("SSOT002") == 2
    assert client.publish_log[-1].version == 2


async def test_debounce_publishes_only_the_last_of_rapid_edits(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, options={"debounceMs": 300})
    path = root / PIPELINE
    doc = open_doc(client, path)
    await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    before = len(client.publish_log)
    for version in range(2, 7):
        change_doc(client, doc, version, [(0, 0, 0, 0, "#")])
        await asyncio.sleep(0.02)
    await wait_until(lambda: any(p.version == 6 for p in client.publish_log[before:]), 5)
    # a later edit's publish is the barrier: debounce timers fire in order, so anything left over
    # from versions 2-6 would be published before version 7's
    change_doc(client, doc, 7, [(0, 0, 0, 0, "#")])
    await wait_until(lambda: any(p.version == 7 for p in client.publish_log[before:]), 5)
    versions = [p.version for p in client.publish_log[before:] if p.uri == doc]
    assert versions == [6, 7]


async def test_did_save_analyses_immediately(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, options={"debounceMs": 60000})
    path = root / PIPELINE
    doc = open_doc(client, path)
    await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    new_text = path.read_text().replace("LegacyEngine(registry", "object(registry")
    change_doc(client, doc, 2, new_text)
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=doc), text=new_text))
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 5, timeout=5)
    assert client.publish_log[-1].version == 2
    assert codes(diags).count("SSOT002") == 2


async def test_did_close_clears_diagnostics(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root)
    doc = open_doc(client, root / PIPELINE)
    await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=doc)))
    await wait_for_diagnostics(client, doc, lambda d: len(d) == 0)


async def test_full_document_change_is_accepted(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, options={"debounceMs": 0})
    doc = open_doc(client, root / PIPELINE)
    await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    change_doc(client, doc, 2, "import os\n")
    await wait_for_diagnostics(client, doc, lambda d: len(d) == 0)
