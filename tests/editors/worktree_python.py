"""A Python whose ``-I -m ssot_lsp`` runs *this checkout's* server, for the editor tests.

Editors launch the server isolated (``python -I -m ssot_lsp serve``, docs/protocol.md): ``-I``
ignores ``PYTHONPATH``, so ``sys.executable`` alone would run whatever ``ssot_lsp`` is installed
(an editable install of another checkout, say) and the tests would check the wrong server. A
virtual environment that sees the system packages (pygls, lsprotocol, ...) and holds a ``.pth``
naming this checkout puts the checkout first on ``sys.path``, also under ``-I``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).parents[2]


def make_worktree_python(folder: Path) -> str:
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(folder)],
                   check=True, capture_output=True, timeout=120)
    python = str(folder / "bin" / "python")
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          check=True, capture_output=True, text=True, timeout=60).stdout.strip()
    (Path(site) / "ssot_lsp_checkout.pth").write_text(f"{REPO}\n", encoding="utf-8")
    found = subprocess.run([python, "-I", "-c", "import ssot_lsp; print(ssot_lsp.__file__)"],
                           check=True, capture_output=True, text=True, timeout=60,
                           cwd=tempfile.gettempdir()).stdout.strip()
    if not Path(found).resolve().is_relative_to(REPO.resolve()):
        raise RuntimeError(f"{python} -I imports ssot_lsp from {found}, not from {REPO}")
    return python


@pytest.fixture(scope="session")
def server_python(tmp_path_factory) -> str:
    """The interpreter the editors are told to run the server with."""
    return make_worktree_python(tmp_path_factory.mktemp("venv") / "py")

