"""What the environment of a test run is, read in one place.

``CI=true`` is exported by ``.ci/run``; it is the only reading of ``CI`` in the tests. Under it
nothing may quietly not run: a missing editor or test dependency is a failure, and property tests
replay a fixed set of examples (whether a submission lands never depends on which random examples
were drawn).

Editors start the server as ``python -I -m ssot_lsp``: isolated, it ignores ``PYTHONPATH`` and so
imports whichever ssot_lsp is installed, which in a git worktree is not the code under test.
``checkout_python`` is a Python whose ``-I -m ssot_lsp`` runs this checkout.

CI runs as root, and root reads every file whatever its mode: the capability to override file
permissions (``CAP_DAC_OVERRIDE``, ``CAP_DAC_READ_SEARCH``) is what lets it. The helpers below drop
those two capabilities (for the calling thread, or for a child process), so that a test of an
unreadable file works the same as root and as an ordinary user.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import ctypes.util
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def on_ci() -> bool:
    """Whether this run is CI (``CI=true``): tests must fail where they would otherwise skip."""
    return os.environ.get("CI", "").strip().lower() == "true"


# -- the code under test, started as an editor starts it -------------------------------------------

@functools.cache
def installed_package_is_this_checkout() -> bool:
    """Whether an interpreter that ignores ``PYTHONPATH`` imports this checkout's ssot_lsp (and the
    ``ssot-lsp`` console script runs it)."""
    return _isolated_import_location(sys.executable) == REPO / "ssot_lsp" / "__init__.py"


def _isolated_import_location(python: str) -> Path | None:
    probe = subprocess.run([python, "-I", "-c", "import ssot_lsp; print(ssot_lsp.__file__)"], capture_output=True,
                           text=True, timeout=60, check=False, cwd=tempfile.gettempdir())
    return Path(probe.stdout.strip()).resolve() if probe.returncode == 0 else None


@functools.cache
def checkout_python() -> str:
    """A Python whose ``-I -m ssot_lsp`` runs this checkout.

    Where the installed package is this checkout (CI: ``pip install -e .``), the running Python.
    Elsewhere (a git worktree beside the installed main checkout) a virtual environment made once
    per test process, seeing the system packages (pygls, lsprotocol, ...) and holding a ``.pth``
    that puts this checkout first on ``sys.path``, also under ``-I``.
    """
    if installed_package_is_this_checkout():
        return sys.executable
    folder = Path(tempfile.mkdtemp(prefix="ssot-checkout-python-"))
    atexit.register(shutil.rmtree, folder, True)
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(folder)],
                   check=True, capture_output=True, timeout=120)
    python = str(folder / "bin" / "python")
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          check=True, capture_output=True, text=True, timeout=60).stdout.strip()
    (Path(site) / "ssot_lsp_checkout.pth").write_text(f"{REPO}\n", encoding="utf-8")
    found = _isolated_import_location(python)
    if found is None or not found.is_relative_to(REPO.resolve()):
        raise RuntimeError(f"{python} -I imports ssot_lsp from {found}, not from {REPO}")
    return python


def isolated_ssot_lsp(*args: str) -> list[str]:
    """``python -I -m ssot_lsp ARGS``, as editors start the server, running this checkout's code:
    no ``PYTHON*`` variables, no user site and no current directory on ``sys.path``."""
    return [checkout_python(), "-I", "-m", "ssot_lsp", *args]


# -- file permissions that apply to root as well ---------------------------------------------------

_CAP_DAC_OVERRIDE = 1
_CAP_DAC_READ_SEARCH = 2
_DAC_MASK = (1 << _CAP_DAC_OVERRIDE) | (1 << _CAP_DAC_READ_SEARCH)
_CAPABILITY_VERSION_3 = 0x20080522
_PR_CAPBSET_DROP = 24


def _libc():
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    return libc


def _capabilities(libc) -> tuple[ctypes.Array, ctypes.Array]:
    """(header, data) of the calling thread: data is effective, permitted, inheritable (low 32 bits),
    then the same three for the high 32 bits."""
    header = (ctypes.c_uint32 * 2)(_CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    if libc.capget(header, data) != 0:
        raise OSError(ctypes.get_errno(), "capget failed")
    return header, data


def _capset(libc, header, data) -> None:
    if libc.capset(header, data) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")


@contextlib.contextmanager
def file_modes_enforced() -> Iterator[None]:
    """Within the block, file modes apply to the calling thread even when it runs as root.

    Capabilities are per thread on Linux: only the effective set of this thread loses the two
    permission overrides, and they come back from its permitted set when the block ends.
    """
    if os.geteuid() != 0:
        yield
        return
    libc = _libc()
    header, data = _capabilities(libc)
    saved = list(data)
    data[0] &= ~_DAC_MASK
    _capset(libc, header, data)
    try:
        yield
    finally:
        for i, value in enumerate(saved):
            data[i] = value
        _capset(libc, header, data)


def file_modes_enforced_in_child() -> Callable[[], None] | None:
    """A ``preexec_fn`` for ``subprocess``: the child (and what it executes) cannot override file
    modes even as root. None when not root (nothing to drop)."""
    if os.geteuid() != 0:
        return None

    def drop() -> None:
        libc = _libc()
        for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):  # execve would grant root the bounding set
            if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")
        header, data = _capabilities(libc)
        for i in range(3):  # effective, permitted, inheritable
            data[i] &= ~_DAC_MASK
        _capset(libc, header, data)

    return drop


@contextlib.contextmanager
def another_thread_running() -> Iterator[None]:
    """A second thread in this process for the block's duration (a language server's event loop, say):
    what makes forking unsafe (``core/pool._forking_is_safe``)."""
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        yield
    finally:
        release.set()
        other.join()
