"""Helpers of the reliability suite (imported by the tests; conftest.py only wires the options)."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings

from tests.environment import isolated_ssot_lsp, on_ci

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "migration-demo"
FIX_CASES = REPO / "tests" / "fixes"

_SUPPRESS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
             HealthCheck.large_base_example]
# CI runs the same examples every time (a landing must not depend on luck); local runs explore
settings.register_profile("ssot-ci", max_examples=60, deadline=None, suppress_health_check=_SUPPRESS,
                          derandomize=on_ci(), print_blob=True)
settings.register_profile("ssot-long", max_examples=2000, deadline=None, suppress_health_check=_SUPPRESS,
                          print_blob=True)


# how much the fuzz tests tried in this run: printed in the terminal summary (conftest.py), quoted
# in docs/reliability.md; a count, never a check
FUZZ_STATS: dict[str, int] = {"documents analysed": 0, "violations checked": 0, "fixes verified": 0,
                              "fix_all runs": 0}


def fuzz_long(config=None) -> bool:
    if os.environ.get("SSOT_FUZZ_LONG", "") not in ("", "0"):
        return True
    return bool(config is not None and config.getoption("--fuzz-long", default=False))


_LONG = fuzz_long()


def fuzz_settings(scale: float = 1.0, **overrides) -> settings:
    """Settings for one fuzz test: the active profile, ``max_examples`` scaled for this test's cost."""
    base = settings.get_profile("ssot-long" if _LONG else "ssot-ci")
    return settings(base, max_examples=max(5, int(base.max_examples * scale)), **overrides)


def demo_sources() -> list[tuple[str, str]]:
    """(relative path, text) of every Python file of the demo workspace and of the golden fix cases."""
    out = []
    for base in (DEMO, FIX_CASES):
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.py")):
            if ".ssot-cache" in path.parts:
                continue
            try:
                out.append((path.relative_to(REPO).as_posix(), path.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError):
                continue
    return out


def server_command() -> list[str]:
    """How editors start the server: isolated mode, as a module."""
    return isolated_ssot_lsp("serve")


# -- the core's view of a document -------------------------------------------------------------

_DEMO_STATE: dict = {}


def demo_workspace():
    """(workspace, scan result) of the demo, scanned once per process without a cache."""
    if "ws" not in _DEMO_STATE:
        from ssot_lsp.core.project import open_workspace

        ws = open_workspace([DEMO])
        _DEMO_STATE["ws"] = ws
        _DEMO_STATE["result"] = ws.scan(jobs=1, cache=None)
    return _DEMO_STATE["ws"], _DEMO_STATE["result"]


def analyse_document(text: str, relpath: str):
    """Facts and violations of ``text`` as if it were the demo file ``relpath`` (index restored after)."""
    from ssot_lsp.core.engine import analyze
    from ssot_lsp.core.facts import extract_facts

    ws, result = demo_workspace()
    path = (DEMO / relpath) if not Path(relpath).is_absolute() else Path(relpath)
    module, is_package = ws.module_name(path)
    facts = extract_facts(text, str(path), module, is_package)
    index = result.index
    previous = index.facts_by_module.get(module)
    index.add(facts)
    try:
        violations = analyze(facts, index, ws.config)
    finally:
        if previous is not None:
            index.add(previous)
        else:
            index.remove(module)
    return facts, violations


def assert_span_inside(text: str, span, what: str = "span") -> None:
    from ssot_lsp.core.text import split_lines

    lines = split_lines(text)
    assert 0 <= span.line < len(lines), f"{what} {span} starts on a line outside the document ({len(lines)} lines)"
    assert 0 <= span.end_line < len(lines), f"{what} {span} ends on a line outside the document ({len(lines)} lines)"
    assert 0 <= span.col <= len(lines[span.line]), f"{what} {span} start column beyond line {span.line}"
    assert 0 <= span.end_col <= len(lines[span.end_line]), f"{what} {span} end column beyond line {span.end_line}"
    assert (span.line, span.col) <= (span.end_line, span.end_col), f"{what} {span} ends before it starts"


# -- booby-trapped workspaces ----------------------------------------------------------------

TRAP = "import os; open({marker!r}, 'a').write({label!r} + '\\n')\n"


def booby_trapped_workspace(root: Path, marker: Path) -> Path:
    """A copy of the demo workspace whose every executable entry point would append to ``marker``."""
    import shutil

    ws = root / "untrusted"
    shutil.copytree(DEMO, ws, ignore=shutil.ignore_patterns(".ssot-cache", "__pycache__"))

    def trap(relpath: str, label: str, extra: str = "") -> None:
        path = ws / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        path.write_text(TRAP.format(marker=str(marker), label=label) + extra + old, encoding="utf-8")

    for name in ("sitecustomize.py", "usercustomize.py", "conftest.py", "setup.py", "json.py", "re.py", "ast.py",
                 "tokenize.py", "pathlib.py", "typing.py", "pickle.py", "lsprotocol.py", "pygls/__init__.py",
                 "ssot_lsp/__init__.py", "ssot_lsp/__main__.py", "ssot_lsp/cli/__init__.py",
                 "tests/conftest.py", "netra_backend/conftest.py", "__main__.py", "noxfile.py"):
        trap(name, name)
    # the canonical and a legacy engine module: analysed, never imported
    trap("netra_backend/app/agents/supervisor/execution_engine.py", "legacy engine module")
    trap("netra_backend/app/agents/supervisor/user_execution_engine.py", "canonical engine module")
    trap("netra_backend/app/__init__.py", "package __init__")
    (ws / "x.pth").write_text(TRAP.format(marker=str(marker), label="x.pth"), encoding="utf-8")
    (ws / "netra_backend" / "evil.pth").write_text(TRAP.format(marker=str(marker), label="evil.pth"),
                                                   encoding="utf-8")
    # an interpreter a tool might pick up from the workspace (virtualenv discovery)
    for venv in (".venv", "venv"):
        bin_dir = ws / venv / "bin"
        bin_dir.mkdir(parents=True)
        (ws / venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
        for exe in ("python", "python3"):
            script = bin_dir / exe
            script.write_text(f"#!/bin/sh\necho {venv}-python >> {marker}\n")
            script.chmod(0o755)
    return ws


# -- a language client ---------------------------------------------------------------------------

import contextlib  # noqa: E402


@contextlib.asynccontextmanager
async def lsp_session(root: Path, init_options: dict | None = None, env: dict | None = None,
                      capabilities=None, command: list[str] | None = None, settings: dict | None = None):
    """A pytest-lsp client talking to ``python -I -m ssot_lsp serve`` (cwd: the test process's, outside ``root``)."""
    from lsprotocol import types
    from pytest_lsp import make_test_lsp_client

    client = make_test_lsp_client()
    client.registrations = []  # client/registerCapability (file watchers), answered and kept

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(ls, params: types.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)

    if settings is not None:
        client.set_configuration(settings, section="ssotLsp")
    proc_env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    proc_env.update(env or {})
    await client.start_io(*(command or server_command()), env=proc_env)
    caps = capabilities or types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16]),
        text_document=types.TextDocumentClientCapabilities(
            diagnostic=types.DiagnosticClientCapabilities(),
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=types.ClientCodeActionKindOptions(value_set=["quickfix", "source"]))),
            hover=types.HoverClientCapabilities()),
        workspace=types.WorkspaceClientCapabilities(configuration=True, workspace_folders=True,
                                                    apply_edit=True))
    uri = root.as_uri()
    await client.initialize_session(types.InitializeParams(
        capabilities=caps, root_uri=uri, process_id=os.getpid(),
        workspace_folders=[types.WorkspaceFolder(uri=uri, name=root.name)],
        initialization_options=init_options or {"ssotLsp": {"debounceMs": 0}}))
    try:
        yield client
    except BaseException:  # the test failed: end the server, report the test's failure
        _end_server(client)
        raise
    try:
        await asyncio.wait_for(client.shutdown_session(), 20)
    except asyncio.TimeoutError:
        _end_server(client)
        raise AssertionError("the server did not exit within 20 s of shutdown + exit") from None
    if client.error is not None:  # pytest-lsp then sends neither shutdown nor exit
        _end_server(client)
        raise AssertionError(f"fatal protocol error between client and server: {client.error}")


def _end_server(client) -> None:
    server = client._server
    if server is not None and server.returncode is None:
        server.kill()


import asyncio  # noqa: E402


async def wait_for(predicate, timeout: float = 30.0, interval: float = 0.05):
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        if predicate():
            return True
        await asyncio.sleep(interval)
    return bool(predicate())
