"""Reliability suite options.

Fuzz budget: the default profile keeps the whole fuzz suite at about two minutes on two cores.
``SSOT_FUZZ_LONG=1`` or ``pytest tests/reliability --fuzz-long`` selects the long profile.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))


def pytest_addoption(parser):
    parser.addoption("--fuzz-long", action="store_true", default=False,
                     help="ssot-lsp reliability: run the fuzz suite with many more examples")


def pytest_terminal_summary(terminalreporter):
    from ssot_reliability_support import FUZZ_STATS

    if any(FUZZ_STATS.values()):
        terminalreporter.write_line("fuzz: " + ", ".join(f"{n} {what}" for what, n in FUZZ_STATS.items() if n))


def pytest_configure(config):
    # the profile is not loaded globally (other suites keep their settings); fuzz tests use fuzz_settings()
    try:
        if config.getoption("--fuzz-long"):
            os.environ["SSOT_FUZZ_LONG"] = "1"
    except ValueError:
        pass
