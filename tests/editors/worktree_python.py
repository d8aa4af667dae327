"""The Python the editor tests tell the editors to start the server with: one whose
``-I -m ssot_lsp`` runs *this checkout's* server (``tests/environment.py`` explains how)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.environment import checkout_python

REPO = Path(__file__).parents[2]


@pytest.fixture(scope="session")
def server_python() -> str:
    """The interpreter the editors are told to run the server with."""
    return checkout_python()
