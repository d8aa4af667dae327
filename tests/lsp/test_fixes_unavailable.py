"""A server whose fix machinery cannot be imported says so, instead of offering no fixes quietly.

The server below finds ``libcst`` broken (an ImportError at import, as after a half-finished
install): analysis and diagnostics work, but the first quick fix needs the fixes API. That is a
broken installation, not one site without a fix: the user gets an error message, not a menu that
silently lacks its fixes.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import _shutdown
from .helpers import SERVER_ENV, copy_demo, initialize, open_doc, server_config, wait_for_diagnostics
from .test_code_actions import PIPELINE, _actions

_BROKEN = Path(tempfile.mkdtemp(prefix="broken-libcst-"))
(_BROKEN / "libcst").mkdir()
(_BROKEN / "libcst" / "__init__.py").write_text('raise ImportError("libcst is broken in this environment")\n')
_PATH = os.pathsep.join(filter(None, [str(_BROKEN), SERVER_ENV.get("PYTHONPATH", "")]))


@pytest_lsp.fixture(config=server_config(PYTHONPATH=_PATH))
async def broken_client(lsp_client: LanguageClient):
    yield
    await _shutdown(lsp_client)


async def test_a_fix_module_that_cannot_be_imported_is_reported_to_the_user(broken_client, tmp_path: Path):
    root = copy_demo(tmp_path)
    await initialize(broken_client, root)
    doc = open_doc(broken_client, root / PIPELINE)
    diags = await wait_for_diagnostics(broken_client, doc, lambda d: any(x.code == "SSOT002" for x in d))
    target = next(d for d in diags if d.code == "SSOT002")
    await _actions(broken_client, doc, [target], only=[types.CodeActionKind.QuickFix])
    errors = [m.message for m in broken_client.messages if m.type == types.MessageType.Error]
    assert any("cannot load its fixes" in m and "libcst is broken" in m for m in errors), broken_client.messages
