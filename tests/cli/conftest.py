"""Fixtures for the CLI tests: they run the INSTALLED `ssot-lsp` console script in a subprocess."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "migration-demo"

# A small configured workspace: one group, a legacy module, a caller that imports and constructs.
SMALL_CONFIG = """\
[tool.ssot-lsp]

[[tool.ssot-lsp.groups]]
name = "engine"
canonical = "app.engine:Engine"
factory-modules = ["app.factory"]
legacy-modules = ["app.old_engine"]
legacy-symbols = ["app.old_engine:OldEngine"]
"""

SMALL_FILES = {
    "app/__init__.py": "",
    "app/engine.py": "class Engine:\n    pass\n",
    "app/factory.py": "from app.engine import Engine\n\n\ndef make():\n    return Engine()\n",
    "app/old_engine.py": "class OldEngine:  # ssot: ignore[SSOT004]\n    pass\n",
    "app/clean.py": "from app.factory import make\n\nengine = make()\n",
}

LEGACY_CALLER = "from app.old_engine import OldEngine\n\n\ndef run():\n    return OldEngine()\n"


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def ssot_executable() -> str:
    exe = shutil.which("ssot-lsp")
    if exe is None:
        pytest.fail("the ssot-lsp console script is not installed (pip install -e .)")
    return exe


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SSOT_", "PYTEST_"))}
    env.update(extra)
    return env


def run_ssot(*args: str, cwd: Path, input: str | bytes | None = None, env: dict | None = None,
             timeout: float = 60, preexec_fn=None) -> Run:
    data = input.encode() if isinstance(input, str) else input
    proc = subprocess.run([ssot_executable(), *args], check=False, cwd=cwd, input=data, capture_output=True,
                          env=env or base_env(), timeout=timeout, stdin=None if data is not None else subprocess.DEVNULL,
                          preexec_fn=preexec_fn)
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


def run_on_terminal(*args: str, cwd: Path, env: dict[str, str], stream: str) -> tuple[int, bytes, bytes]:
    """Run ssot-lsp with ``stream`` ("stdout" or "stderr") on a pseudo-terminal: (returncode, what the
    terminal received, the other stream piped)."""
    leader, follower = pty.openpty()
    piped = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, stream: follower}
    try:
        proc = subprocess.run([ssot_executable(), *args], check=False, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                              timeout=60, **piped)
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    finally:
        if follower != -1:
            os.close(follower)
        os.close(leader)
    other = proc.stderr if stream == "stdout" else proc.stdout
    return proc.returncode, b"".join(chunks), other or b""


@pytest.fixture
def ssot():
    return run_ssot


@pytest.fixture
def small(tmp_path: Path, write_files):
    """``small(extra_files=None, config=SMALL_CONFIG) -> root``: the small configured workspace."""

    def make(extra: dict[str, str | bytes] | None = None, config: str = SMALL_CONFIG) -> Path:
        root = tmp_path / "ws"
        root.mkdir(exist_ok=True)
        write_files({"pyproject.toml": config, **SMALL_FILES, **(extra or {})}, root)
        return root

    return make


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A private copy of examples/migration-demo (no cache, no baseline)."""
    target = tmp_path / "demo"
    shutil.copytree(DEMO, target, ignore=shutil.ignore_patterns(".ssot-cache", ".ssot-baseline.json", "__pycache__"))
    return target
