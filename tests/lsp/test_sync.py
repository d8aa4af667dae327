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


def test_the_adaptive_debounce_waits_half_the_last_analysis_and_at_most_50_ms():
    from ssot_lsp.lsp.publishing import adaptive_debounce_ms

    # issue 10: a fixed 100 ms put the diagnostics of a 10 ms analysis 100 ms late
    assert adaptive_debounce_ms(None) == 0
    assert adaptive_debounce_ms(12.0) == 6
    assert adaptive_debounce_ms(900.0) == 50


def test_the_adaptive_debounce_does_not_wait_after_a_pause_longer_than_the_last_analysis():
    from ssot_lsp.lsp.publishing import adaptive_debounce_ms

    # nothing to merge: an edit after a pause is analysed at once; keystrokes closer together wait
    assert adaptive_debounce_ms(80.0, since_last_edit_ms=80.0) == 0
    assert adaptive_debounce_ms(80.0, since_last_edit_ms=79.0) == 40


def test_edits_of_one_burst_are_merged_even_when_the_analysis_is_quicker():
    from ssot_lsp.lsp.publishing import TYPING_PAUSE_MS, adaptive_debounce_ms

    assert adaptive_debounce_ms(10.0, since_last_edit_ms=TYPING_PAUSE_MS - 1) == 5
    assert adaptive_debounce_ms(10.0, since_last_edit_ms=TYPING_PAUSE_MS) == 0


def test_debounce_is_adaptive_unless_set_and_null_asks_for_adaptive():
    from ssot_lsp.lsp.settings import DEFAULTS, parse_settings

    assert DEFAULTS.debounce_ms is None
    settings, problems = parse_settings({"ssotLsp": {"debounceMs": None}})
    assert problems == [] and settings is not None and settings.debounce_ms is None
    settings, problems = parse_settings({"ssotLsp": {"debounceMs": 250}})
    assert problems == [] and settings is not None and settings.debounce_ms == 250


async def test_an_edit_with_the_default_debounce_is_published_once_per_version(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root)
    doc = open_doc(client, root / PIPELINE)
    await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    change_doc(client, doc, 2, [(0, 0, 0, 0, "# edited\n")])
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 6 and min(x.range.start.line for x in d) > 0)
    assert codes(diags).count("SSOT001") >= 1
