"""Fixtures for the fix tests: a small workspace with the default profile's modules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ssot_lsp.core.facts import extract_facts
from ssot_lsp.core.project import open_workspace

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "migration-demo"
GOLDEN = Path(__file__).parent / "golden"


def build_tree(root: Path) -> Path:
    """A minimal netra_backend tree: the canonical engine, its factory and the legacy modules."""
    app = root / "netra_backend" / "app"
    shutil.copytree(DEMO / "netra_backend" / "app" / "agents", app / "agents")
    shutil.copytree(DEMO / "netra_backend" / "app" / "websocket_core", app / "websocket_core")
    (root / "netra_backend" / "__init__.py").write_text("")
    (app / "__init__.py").write_text("")
    (app / "cases").mkdir()
    (app / "cases" / "__init__.py").write_text("")
    (app / "agents" / "broken_agent.py").unlink()
    return root


class Workbench:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.workspace = open_workspace([root])
        self.result = self.workspace.scan(jobs=1)
        self.index = self.result.index
        self.config = self.workspace.config
        self.count = 0

    def place(self, text: str, name: str | None = None):
        """Register ``text`` as a new module of the workspace; returns (path, module)."""
        self.count += 1
        name = name or f"case_{self.count}"
        path = self.root / "netra_backend" / "app" / "cases" / f"{name}.py"
        path.write_text(text, encoding="utf-8", newline="")
        module = f"netra_backend.app.cases.{name}"
        self.index.known_modules[module] = str(path)
        self.index.add(extract_facts(text, str(path), module, False))
        return str(path), module

    def analyse(self, text: str, path: str, module: str):
        from ssot_lsp.core.engine import analyze

        facts = extract_facts(text, path, module, False)
        self.index.add(facts)
        return analyze(facts, self.index, self.config)

    def fix(self, text: str, unsafe: bool = True, name: str | None = None):
        from ssot_lsp.fixes.api import fix_all

        path, _ = self.place(text, name)
        return fix_all(text, path, self.index, self.config, unsafe=unsafe)


@pytest.fixture(scope="session")
def bench(tmp_path_factory) -> Workbench:
    return Workbench(build_tree(tmp_path_factory.mktemp("ws")))
