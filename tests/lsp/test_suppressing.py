""""Suppress CODE on this line" is offered only when the comment really suppresses the finding."""

from __future__ import annotations

from typing import Any, cast

from ssot_lsp.lsp.folder import Placement
from ssot_lsp.lsp.suppressing import suppresses

PLACE = Placement(folder=cast(Any, None), module="app.jobs", is_package=False, in_workspace=True)

BODY = '''"""Jobs."""
from legacy import Engine


def make(ctx):
    return Engine(ctx)


HELP = """usage:
    Engine(ctx)
"""


def build(ctx):
    return dict(
        engine=Engine(ctx),
    )
''' + "".join(f"\n\ndef job_{n}():\n    return {n}\n" for n in range(40))


def _with(line: int, comment: str) -> str:
    lines = BODY.split("\n")
    lines[line] += comment
    return "\n".join(lines)


def test_a_directive_at_the_end_of_the_line_suppresses():
    assert suppresses(_with(5, "  # ssot: ignore[SSOT002]"), "jobs.py", PLACE, 5, "SSOT002")


def test_a_directive_inside_a_bracketed_statement_suppresses_its_own_line():
    assert suppresses(_with(15, "  # ssot: ignore[SSOT002]"), "jobs.py", PLACE, 15, "SSOT002")


def test_text_inside_a_multi_line_string_is_no_directive():
    # the line is part of the string: the "comment" is string content, and the text still parses
    assert not suppresses(_with(9, "  # ssot: ignore[SSOT002]"), "jobs.py", PLACE, 9, "SSOT002")


def test_a_directive_for_another_code_does_not_suppress():
    assert not suppresses(_with(5, "  # ssot: ignore[SSOT001]"), "jobs.py", PLACE, 5, "SSOT002")


def test_a_candidate_that_does_not_parse_suppresses_nothing():
    assert not suppresses(_with(5, " +  # ssot: ignore[SSOT002]"), "jobs.py", PLACE, 5, "SSOT002")


def test_a_directive_on_another_line_does_not_count():
    assert not suppresses(_with(4, "  # ssot: ignore[SSOT002]"), "jobs.py", PLACE, 5, "SSOT002")
