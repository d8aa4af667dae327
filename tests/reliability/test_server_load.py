"""Load: 20 open documents, 10,000 incremental didChange notifications (non-BMP ranges) sent as fast as
the client can, interleaved with codeAction / hover / diagnostic requests.

Every request is answered; the final diagnostics equal the core's analysis of the final texts.
``SSOT_LOAD_CHANGES`` overrides the number of changes (default 10,000).
"""

from __future__ import annotations

import os

from lsprotocol import types

from load_driver import as_tuples, expected_diagnostics, pick_documents, run_load
from ssot_reliability_support import DEMO, lsp_session

CHANGES = int(os.environ.get("SSOT_LOAD_CHANGES", "10000"))


async def test_ten_thousand_changes_all_answered_and_final_diagnostics_exact():
    docs = pick_documents(DEMO, 20)
    assert len(docs) == 20
    async with lsp_session(DEMO, {"ssotLsp": {"debounceMs": 50}}) as client:
        stats = await run_load(client, docs, CHANGES)
        print(f"\nload: {stats.changes} changes, {stats.requests} requests, {stats.answered} answered, "
              f"sent in {stats.send_seconds:.1f}s, all answered after {stats.total_seconds:.1f}s")
        assert not stats.failures, stats.failures[:5]
        assert stats.answered == stats.requests
        expected = expected_diagnostics(DEMO, docs)
        assert not any("SSOT009" in {item[0] for item in items} for items in expected.values()), \
            "the scenario keeps every document parseable"
        mismatches = []
        for doc in docs:
            report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
                text_document=types.TextDocumentIdentifier(uri=doc.uri)))
            got = as_tuples(report.items)
            if got != expected[doc.uri]:
                mismatches.append((doc.relpath, sorted(set(got) ^ set(expected[doc.uri]))[:4]))
        assert not mismatches, mismatches
        assert any(expected.values()), "the scenario should keep some violations"
