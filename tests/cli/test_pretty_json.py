"""``pretty_json`` writes exactly what ``json.dumps(indent=2, ensure_ascii=False)`` writes (the JSON
report's layout must not change with the faster writer)."""

from __future__ import annotations

import json
import math

import pytest

from ssot_lsp.cli.report.json_format import pretty_json

DOCUMENTS = [
    {}, [], "", 0, None, True, {"a": []}, {"a": {}}, [[]], [{}],
    {"version": "0.1.0", "files": {"total": 3, "analysed": 2}, "violations": [
        {"code": "SSOT001", "message": "naïve “quotes” \"escaped\" \\ back\tslash\n\u2028 \x00 😀", "line": 1,
         "related": [], "data": {"kind": "import", "names": ["a", "b"], "awaited": False, "scope": None}}]},
    [1.5, -0.0, 1e300, 1e-7, 12345678901234567890, -3, True, False, None],
    {"nested": [[1, [2, [3, {}]]], {"x": ("tuple", "values")}]},
]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_same_text_as_the_standard_library(document):
    assert pretty_json(document) == json.dumps(document, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("document", [{1: "int key"}, {"f": math.inf}, {"n": math.nan}, {"s": {1, 2}.__class__}])
def test_what_it_does_not_write_itself_goes_to_the_standard_library(document):
    try:
        expected = json.dumps(document, indent=2, ensure_ascii=False)
    except TypeError:
        with pytest.raises(TypeError):
            pretty_json(document)
        return
    assert pretty_json(document) == expected
