"""Settings from initializationOptions, workspace/configuration and didChangeConfiguration."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from .helpers import (
    change_doc,
    copy_demo,
    initialize,
    open_doc,
    until_noticed,
    uri,
    wait_for_diagnostics,
    wait_until,
)

PIPELINE = "netra_backend/app/services/pipeline_runner.py"
HINT = types.DiagnosticSeverity.Hint


def _severities(diags, code: str):
    return {d.severity for d in diags if d.code == code}


async def test_wrapped_initialization_options_apply(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, options={"ssotLsp": {"severity": {"SSOT002": "hint"}}})
    doc = open_doc(client, root / PIPELINE)
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    assert _severities(diags, "SSOT002") == {HINT}


async def test_flat_initialization_options_apply(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, options={"severity": {"SSOT001": "off"}})
    doc = open_doc(client, root / PIPELINE)
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 3)
    assert {d.code for d in diags} == {"SSOT002"}


async def test_workspace_configuration_is_asked_per_folder(client, tmp_path: Path):
    first, second = copy_demo(tmp_path / "a"), copy_demo(tmp_path / "b")
    client.set_configuration({"severity": {"SSOT002": "hint"}}, section="ssotLsp", scope_uri=uri(second))
    await initialize(client, [first, second])
    doc_a = open_doc(client, first / PIPELINE)
    doc_b = open_doc(client, second / PIPELINE)
    diags_a = await wait_for_diagnostics(client, doc_a, lambda d: len(d) == 6)
    diags_b = await wait_for_diagnostics(client, doc_b, lambda d: len(d) == 6)
    assert _severities(diags_a, "SSOT002") == {types.DiagnosticSeverity.Error}
    assert _severities(diags_b, "SSOT002") == {HINT}


async def test_did_change_configuration_republishes(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root)
    doc = open_doc(client, root / PIPELINE)
    await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    client.set_configuration({"severity": {"SSOT002": "hint"}}, section="ssotLsp")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    diags = await wait_for_diagnostics(client, doc, lambda d: _severities(d, "SSOT002") == {HINT})
    assert len(diags) == 6


async def test_invalid_settings_at_startup_show_one_message_and_use_defaults(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, options={"debounceMs": -5, "diagnosticMode": "everything"})
    doc = open_doc(client, root / PIPELINE)
    diags = await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    assert _severities(diags, "SSOT002") == {types.DiagnosticSeverity.Error}
    errors = [m for m in client.messages if "invalid settings" in m.message]
    assert len(errors) == 1
    assert "debounceMs" in errors[0].message and "diagnosticMode" in errors[0].message


async def test_invalid_settings_later_keep_the_last_good_ones(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    client.set_configuration({"severity": {"SSOT002": "hint"}}, section="ssotLsp")
    await initialize(client, root)
    doc = open_doc(client, root / PIPELINE)
    await wait_for_diagnostics(client, doc, lambda d: _severities(d, "SSOT002") == {HINT})
    client.set_configuration({"severity": {"SSOT002": "loud"}}, section="ssotLsp")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await wait_until(lambda: any("invalid settings" in m.message for m in client.messages), 5)
    assert len([m for m in client.messages if "invalid settings" in m.message]) == 1
    # the next analysis shows which settings are in force
    change_doc(client, doc, 2, [(0, 0, 0, 0, "# edited\n")])
    await wait_until(lambda: any(p.uri == doc and p.version == 2 for p in client.publish_log), 5)
    assert _severities(client.diagnostics[doc], "SSOT002") == {HINT}


async def test_workspace_mode_pushes_diagnostics_for_unopened_files(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, options={"diagnosticMode": "workspace"})
    routes = uri(root / "netra_backend/app/routes/agent_routes.py")
    diags = await wait_for_diagnostics(client, routes, lambda d: len(d) == 6)
    assert all(d.source == "ssot" for d in diags)


async def test_files_over_max_size_are_skipped_with_a_message(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, options={"maxFileSizeKb": 1})
    path = root / PIPELINE
    doc = open_doc(client, path, text=path.read_text() + "# padding\n" * 200)
    await wait_for_diagnostics(client, doc, lambda d: d == [])
    assert any("maxFileSizeKb" in m.message for m in client.messages)


async def test_enable_false_turns_analysis_off(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(client, root, options={"enable": False})
    doc = open_doc(client, root / PIPELINE)
    assert await wait_for_diagnostics(client, doc) == []


async def test_invalid_config_file_keeps_last_good_config(client, tmp_path: Path):
    root = copy_demo(tmp_path)
    config = root / "ssot-lsp.toml"
    await initialize(client, root, profile="neovim-0.7")
    doc = open_doc(client, root / PIPELINE)
    await wait_for_diagnostics(client, doc, lambda d: len(d) == 6)
    await until_noticed(lambda: config.write_text("this is = = not toml\n"),
                        lambda: any("invalid configuration" in m.message for m in client.messages))
    assert len([m for m in client.messages if "invalid configuration" in m.message]) == 1
    assert len(await wait_for_diagnostics(client, doc)) == 6
