"""How the server process runs comes from the environment once, when `serve` starts."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ssot_lsp.lsp.options import OptionError, ServerOptions, options_from_environment

from .helpers import SERVER_ENV


def test_unset_variables_give_the_defaults():
    assert options_from_environment({}) == ServerOptions()


def test_variables_set_the_options():
    options = options_from_environment({"SSOT_LSP_JOBS": "3", "SSOT_LSP_POLL_SECONDS": "0.5",
                                        "SSOT_LSP_FIRST_INDEX_WAIT": "7"})
    assert (options.scan_jobs, options.poll_seconds, options.first_index_wait) == (3, 0.5, 7.0)


@pytest.mark.parametrize("name, value", [("SSOT_LSP_JOBS", "two"), ("SSOT_LSP_JOBS", "0"),
                                         ("SSOT_LSP_POLL_SECONDS", "-1"), ("SSOT_LSP_FIRST_INDEX_WAIT", "soon")])
def test_an_unusable_value_is_an_error_naming_the_variable(name, value):
    with pytest.raises(OptionError, match=f"^{name}="):
        options_from_environment({name: value})


def test_serve_with_an_unusable_value_exits_with_one_line():
    run = subprocess.run([sys.executable, "-m", "ssot_lsp", "serve"], env={**SERVER_ENV, "SSOT_LSP_JOBS": "many"},
                         capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL, check=False)
    assert run.returncode == 2
    assert run.stderr == "ssot-lsp serve: SSOT_LSP_JOBS='many': expected an integer > 0\n"


PROBE = """
import os, pkgutil, importlib, sys
reads = []
class Recording(type(os.environ)):
    def __getitem__(self, key):
        reads.append(key)
        return super().__getitem__(key)
os.environ.__class__ = Recording  # get(), [] and `in` all go through __getitem__
import ssot_lsp.lsp
for module in pkgutil.iter_modules(ssot_lsp.lsp.__path__):
    importlib.import_module("ssot_lsp.lsp." + module.name)
print(sorted({key for key in reads if key.startswith("SSOT")}))
"""


def test_importing_the_server_reads_no_environment_variable():
    """Nothing in ssot_lsp.lsp reads the environment when imported (only `serve` does, at start)."""
    run = subprocess.run([sys.executable, "-c", PROBE], env={**SERVER_ENV, "SSOT_LSP_JOBS": "1"},
                         capture_output=True, text=True, timeout=60, check=True)
    assert run.stdout == "[]\n"
