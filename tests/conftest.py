"""Generic fixtures shared by every test package: small workspaces written from a dict."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

from tests.environment import on_ci

# property tests explore new examples on every local run; under CI=true they replay a fixed set,
# so that whether a submission lands never depends on which random examples were drawn
settings.register_profile("ssot-default", deadline=None, derandomize=on_ci())
settings.load_profile("ssot-default")


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (relative path -> text or bytes) under ``root``; text is dedented."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


@pytest.fixture
def write_files(tmp_path: Path):
    """``write_files({"pkg/mod.py": "..."}, root=None) -> root`` (default root: ``tmp_path``)."""

    def write(files: dict[str, str | bytes], root: Path | None = None) -> Path:
        return write_tree(root or tmp_path, files)

    return write
