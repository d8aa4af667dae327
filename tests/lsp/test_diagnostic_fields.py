"""Every diagnostic carries code, codeDescription, source, relatedInformation and data."""

from __future__ import annotations

from pathlib import Path

from pygls.uris import to_fs_path

from .helpers import copy_demo, initialize, open_doc, wait_for_diagnostics


async def test_diagnostic_has_code_description_source_and_data(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root)
    doc = open_doc(client, root / "netra_backend/app/services/pipeline_runner.py", version=3)
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    construction = next(d for d in diags if d.code == "SSOT002")
    assert construction.source == "ssot"
    assert construction.code_description.href.endswith("ssot_lsp/data/rules/SSOT002.md")
    assert Path(to_fs_path(construction.code_description.href)).is_file()
    data = construction.data
    assert data["code"] == "SSOT002" and data["group"] == "engine" and data["version"] == 3
    assert len(data["fingerprint"]) == 20
    assert data["payload"]["kind"] == "construction" and "manual" in data["payload"]
    assert "fix" not in data and "violation" not in data  # the payload is sent once


async def test_cross_file_violation_has_related_information(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root)
    doc = open_doc(client, root / "netra_backend/app/agents/supervisor_consolidated.py")
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 1)
    related = diags[0].related_information
    assert related and related[0].location.uri.endswith("supervisor_ssot.py")
    assert related[0].location.range.start.line > 0
