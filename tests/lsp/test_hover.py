"""Hover at a violation: markdown with what, why, the canonical replacement and a migration snippet."""

from __future__ import annotations

import re
from pathlib import Path

from lsprotocol import types
from pygls.uris import to_fs_path

from .helpers import copy_demo, initialize, open_doc, wait_for_diagnostics


async def _hover(client, doc, line, character):
    return await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=doc), position=types.Position(line=line, character=character)))


async def _open_demo(client, tmp_path: Path, rel: str, findings: int):
    """A copy of the demo workspace, initialized, with ``rel`` open and its ``findings`` published."""
    root = copy_demo(tmp_path)
    await initialize(client, root)
    doc = open_doc(client, root / rel)
    return root, doc, await wait_for_diagnostics(client, doc, lambda d: len(d) == findings)


RUNNER = "netra_backend/app/services/pipeline_runner.py"


async def test_hover_on_legacy_construction_explains_and_shows_factory_snippet(client, tmp_path: Path):
    _, doc, diags = await _open_demo(client, tmp_path, RUNNER, 6)
    target = next(d for d in diags if d.code == "SSOT002")
    hover = await _hover(client, doc, target.range.start.line, target.range.start.character + 1)
    text = hover.contents.value
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert "SSOT002" in text and "**Why:**" in text
    assert "UserExecutionEngine" in text
    assert "create_for_user(user_context)" in text
    assert "```python" in text


async def test_hover_on_duplicate_class_definition(client, tmp_path: Path):
    _, doc, diags = await _open_demo(client, tmp_path, "netra_backend/app/agents/supervisor_consolidated.py", 1)
    start = diags[0].range.start
    hover = await _hover(client, doc, start.line, start.character)
    assert "SSOT005" in hover.contents.value and "supervisor_ssot" in hover.contents.value


async def test_hover_away_from_violations_is_empty(client, tmp_path: Path):
    _, doc, _ = await _open_demo(client, tmp_path, RUNNER, 6)
    assert await _hover(client, doc, 0, 0) is None


async def test_hover_shows_the_first_paragraph_of_the_canonical_class_docstring(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    canonical = root / "netra_backend/app/agents/supervisor/user_execution_engine.py"
    canonical.write_text(canonical.read_text().replace(
        '"""Runs agents for exactly one user context."""',
        '"""Runs agents for exactly one user context.\n\n    Second paragraph: internals nobody reads in a hover.\n    """'))
    await initialize(client, root)
    doc = open_doc(client, root / RUNNER)
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    target = next(d for d in diags if d.code == "SSOT002")
    text = (await _hover(client, doc, target.range.start.line, target.range.start.character + 1)).contents.value
    # read statically from user_execution_engine.py (never imported)
    assert "**UserExecutionEngine:** Runs agents for exactly one user context." in text
    assert "Second paragraph" not in text


async def test_hover_names_the_rule_not_the_message_the_editor_shows_above_it(client, tmp_path: Path):
    _, doc, diags = await _open_demo(client, tmp_path, RUNNER, 6)
    target = next(d for d in diags if d.code == "SSOT002")
    text = (await _hover(client, doc, target.range.start.line, target.range.start.character + 1)).contents.value
    assert target.message not in text and text.startswith("**SSOT002** `legacy-construction`: construction of")
    assert text.count("**Why:**") == 1 and text.count("**Migration:**") == 1
    assert len(text.splitlines()) <= 25  # readable without scrolling


async def test_hover_links_the_rule_page_shipped_in_the_package(client, tmp_path: Path):
    _, doc, diags = await _open_demo(client, tmp_path, RUNNER, 6)
    target = next(d for d in diags if d.code == "SSOT002")
    text = (await _hover(client, doc, target.range.start.line, target.range.start.character + 1)).contents.value
    link = re.search(r"\]\((file://[^)]+)\)", text)[1]
    assert link.endswith("/ssot_lsp/data/rules/SSOT002.md") and Path(to_fs_path(link)).is_file()
    assert target.code_description.href == link
    assert "https://" not in text


async def test_hover_and_diagnostics_link_the_configured_docs_base_url(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    (root / "ssot-lsp.toml").write_text('profile = "netra"\ndocs-base-url = "https://wiki.example.internal/ssot/{code}"\n')
    await initialize(client, root)
    doc = open_doc(client, root / RUNNER)
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    target = next(d for d in diags if d.code == "SSOT002")
    assert target.code_description.href == "https://wiki.example.internal/ssot/SSOT002"
    text = (await _hover(client, doc, target.range.start.line, target.range.start.character + 1)).contents.value
    assert "(https://wiki.example.internal/ssot/SSOT002)" in text


async def test_the_docs_base_url_setting_overrides_the_configuration(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, options={"docsBaseUrl": "https://team.example/rules/"})
    doc = open_doc(client, root / RUNNER)
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    assert {d.code_description.href for d in diags if d.code == "SSOT002"} == {"https://team.example/rules/SSOT002.md"}


async def test_go_to_definition_on_a_violation_opens_the_canonical_class(client, tmp_path: Path):
    root, doc, diags = await _open_demo(client, tmp_path, RUNNER, 6)
    target = next(d for d in diags if d.code == "SSOT002")
    result = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=doc), position=target.range.start))
    assert result, "no definition returned"
    location = result[0]
    assert location.uri.endswith("netra_backend/app/agents/supervisor/user_execution_engine.py")
    canonical = (root / "netra_backend/app/agents/supervisor/user_execution_engine.py").read_text().splitlines()
    line = canonical[location.range.start.line]
    assert line[location.range.start.character:location.range.end.character] == "UserExecutionEngine"
    assert line.startswith("class ")


async def test_go_to_definition_away_from_violations_returns_nothing(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root)
    doc = open_doc(client, root / "netra_backend/app/services/health.py")
    result = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=doc), position=types.Position(line=0, character=0)))
    assert not result


async def test_hover_on_a_symbol_nothing_replaces_says_so_and_offers_no_factory(client, tmp_path: Path):
    """The profile maps the tool engines to "none" (`replacements`): no canonical snippet for them."""
    root = copy_demo(tmp_path)
    rel = "netra_backend/app/services/tool_runner.py"
    (root / rel).write_text("from netra_backend.app.agents.unified_tool_execution import UnifiedToolExecutionEngine\n",
                            encoding="utf-8")
    await initialize(client, root)
    doc = open_doc(client, root / rel)
    (diag,) = await wait_for_diagnostics(client, doc, lambda d: len(d) == 1)
    hover = await _hover(client, doc, diag.range.start.line, diag.range.start.character + 1)
    text = hover.contents.value
    assert '**Migration:** by hand (the configured replacement is "none")' in text
    assert "create_for_user" not in text and "UserExecutionEngine" not in text
