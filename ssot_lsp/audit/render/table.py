"""Text tables: ruled and styled on a terminal, plain aligned columns when piped or written to a file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LEFT, RIGHT = "<", ">"


@dataclass(frozen=True)
class TextStyle:
    """How tables look: ``boxed`` rules them with box-drawing characters, ``colour`` adds escape codes,
    ``width`` (terminal columns, 0: unlimited) shortens the last column to fit."""

    boxed: bool = False
    colour: bool = False
    width: int = 0

    def bold(self, text: str) -> str:
        return f"\x1b[1m{text}\x1b[0m" if self.colour else text

    def dim(self, text: str) -> str:
        return f"\x1b[2m{text}\x1b[0m" if self.colour else text


PLAIN = TextStyle()


def render_table(headers: Sequence[str], rows: Sequence[Sequence[object]], aligns: str, style: TextStyle = PLAIN,
                 indent: str = "  ") -> list[str]:
    """Lines of a table; ``aligns`` has one ``<`` or ``>`` per column. Zeros show as ``·`` on a
    terminal so that the counts stand out."""
    cells = [[_cell(value, style) for value in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], len(value))
    if style.width and widths:
        fixed = len(indent) + sum(widths[:-1]) + (3 if style.boxed else 2) * (len(widths) - 1)
        widths[-1] = max(len(headers[-1]), min(widths[-1], style.width - fixed - 1))
    sep = " │ " if style.boxed else "  "

    def line(values: Sequence[str], paint: bool = False) -> str:
        parts = []
        for i, value in enumerate(values):
            value = _fit(value, widths[i]) if i == len(values) - 1 else value
            padded = value.ljust(widths[i]) if aligns[i] == LEFT else value.rjust(widths[i])
            if paint:
                padded = style.bold(padded)
            elif value == "·":
                padded = padded.replace("·", style.dim("·"))
            parts.append(padded)
        return (indent + sep.join(parts)).rstrip()

    rule = indent + ("─┼─" if style.boxed else "  ").join(("─" if style.boxed else "-") * w for w in widths)
    return [line(headers, paint=True), rule, *(line(row) for row in cells)]


def _cell(value: object, style: TextStyle) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return "·" if value == 0 and style.boxed else f"{value:,}"
    return str(value)


def _fit(value: str, width: int) -> str:
    return value if len(value) <= width else "…" + value[len(value) - width + 1:]
