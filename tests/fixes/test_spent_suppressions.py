"""Taking the codes a fix spent out of a suppression comment (``fixes/spent_suppressions.py``)."""

from __future__ import annotations

import pytest

from ssot_lsp.fixes.spent_suppressions import _without_codes


def edit(line: str, unused: set[str]) -> str:
    col = line.index("#", line.index("ssot:") - 3 if "ssot:" in line else line.index("noqa") - 3)
    directive_end = line.index("]", col) + 1 if "ssot:" in line else len(line.split("  # reason")[0])
    return _without_codes(line, col, directive_end, unused)


@pytest.mark.parametrize("line,unused,expected", [
    ("x = Old  # ssot: ignore[SSOT008]", {"SSOT008"}, "x = Old"),
    ("x = Old  # ssot: ignore[SSOT008, SSOT001]", {"SSOT008"}, "x = Old  # ssot: ignore[SSOT001]"),
    ("x = Old  # ssot: ignore[SSOT008]  # until phase 5", {"SSOT008"}, "x = Old  # until phase 5"),
    ("x = Old  # type: ignore  # ssot: ignore[SSOT008]", {"SSOT008"}, "x = Old  # type: ignore"),
    ("x = Old  # noqa: F401, SSOT008", {"SSOT008"}, "x = Old  # noqa: F401"),
    ("    # ssot: ignore[SSOT008]", {"SSOT008"}, ""),
])
def test_only_the_spent_codes_leave_the_comment(line, unused, expected):
    assert edit(line, unused) == expected
