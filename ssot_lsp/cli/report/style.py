"""Colour for people: on a terminal, never when piped, ``NO_COLOR`` set or ``TERM=dumb``.

``--color always|never`` decides outright; with ``auto`` (the default) ``NO_COLOR`` (any non-empty
value, https://no-color.org) turns colour off, ``FORCE_COLOR`` (non-empty, not ``0``) turns it on, and
otherwise the output stream being a terminal does. Reports are built with a ``Style``; the plain
style returns text unchanged, so what is piped or written to a file never holds escape codes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TextIO

RESET = "\x1b[0m"
SEVERITY_WORDS = {"error": "error", "warning": "warning", "information": "info", "hint": "hint"}
_SEVERITY_CODES = {"error": "1;31", "warning": "1;33", "information": "1;34", "hint": "2"}


def wants_colour(choice: str, stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    if choice in ("always", "never"):
        return choice == "always"
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR", "0") not in ("", "0"):
        return True
    if env.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Style:
    """How a report marks its parts; ``Style(False)`` leaves text as it is."""

    def __init__(self, colour: bool = False) -> None:
        self.colour = colour

    def _paint(self, codes: str, text: str) -> str:
        return f"\x1b[{codes}m{text}{RESET}" if self.colour else text

    def path(self, text: str) -> str:
        return self._paint("1", text)

    def severity(self, severity: str) -> str:
        return self._paint(_SEVERITY_CODES.get(severity, "1"), SEVERITY_WORDS.get(severity, severity))

    def code(self, text: str) -> str:
        return self._paint("1;36", text)

    def fixable(self, text: str) -> str:
        return self._paint("32", text)

    def dim(self, text: str) -> str:
        return self._paint("2", text)

    def heading(self, text: str) -> str:
        return self._paint("1", text)
