"""GitHub Actions workflow commands: one annotation per violation.

``::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=SSOT00N::message``; the command name
follows the severity (information and hint become ``notice``). Escaping follows GitHub's runner:
data escapes ``%``, ``\\r``, ``\\n``; property values also escape ``:`` and ``,``.
"""

from __future__ import annotations

from ssot_lsp.cli.report.text import display_path
from ssot_lsp.core.violations import Violation
from ssot_lsp.core.workspace import Workspace

COMMANDS = {"error": "error", "warning": "warning", "information": "notice", "hint": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(v: Violation) -> str:
    command = COMMANDS.get(v.severity, "warning")
    line, col = v.span.line + 1, v.span.col + 1
    end_line, end_col = max(v.span.end_line + 1, line), v.span.end_col + 1
    props = [
        ("file", display_path(v.path)),
        ("line", str(line)),
        ("col", str(col)),
        ("endLine", str(end_line)),
        ("endColumn", str(end_col)),
        ("title", v.code),
    ]
    rendered = ",".join(f"{name}={escape_property(value)}" for name, value in props)
    return f"::{command} {rendered}::{escape_data(v.message)}"


def render_github(violations: list[Violation], workspace: Workspace) -> str:
    return "".join(annotation(v) + "\n" for v in violations)
