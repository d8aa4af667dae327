"""Statement selection (``core/partial/scan.py``) records what a whole parse records.

A workspace scan parses only the top-level statements of a long file that mention a needle, an
import, or a name bound to one (found in rounds), and the extractor then looks only at the lines
of those statements. Each test here builds a long file whose interesting statement is found in a
particular way and compares the facts a rule uses with those of the whole file.
"""

from __future__ import annotations

import pytest

from ssot_lsp.core.facts import extract_facts
from ssot_lsp.core.partial import statements
from ssot_lsp.core.partial.scan import partial_facts

pytestmark = pytest.mark.skipif(not statements.ENABLED, reason="statement selection is off on Python 3.12+")

NEEDLES = frozenset({"ExecutionEngine", "execution_engine"})
FILLER = "".join(f"def helper_{i}(value):\n    return value + {i}\n\n\n" for i in range(80))


def _calls(facts) -> list[tuple[str, int, int]]:
    return sorted((call.callee, call.span.line, call.span.col) for call in facts.calls)


def _both(text: str):
    partial = partial_facts(text, "/w/pkg/user.py", "pkg.user", False, NEEDLES)
    assert partial is not None, "the file must take the statement-selection path"
    whole = extract_facts(text, "/w/pkg/user.py", "pkg.user", False)
    return partial, whole


def test_calls_in_statements_of_every_selection_round_are_recorded():
    """Round 1 selects the import and the statement naming the needle; round 2 the statements
    using the renamed import. Calls of both rounds must be found, at their real positions."""
    text = ("from app.agents.execution_engine import ExecutionEngine as Engine\nfrom app.agents import execution_engine\n\n\n"
            + FILLER + "def build(registry):\n    return Engine(registry)\n\n\n" + FILLER.replace("helper_", "more_")
            + "def legacy():\n    return execution_engine.ExecutionEngine()\n")
    partial, whole = _both(text)
    interesting = ("Engine", "execution_engine.ExecutionEngine")
    wanted = [call for call in _calls(whole) if call[0] in interesting]
    assert len(wanted) == 2
    assert [call for call in _calls(partial) if call[0] in interesting] == wanted


def test_calls_on_lines_after_windows_line_breaks_keep_their_positions():
    text = ("from app.agents.execution_engine import ExecutionEngine as Engine\r\n\r\n" + FILLER.replace("\n", "\r\n")
            + "def build(registry):\r\n    return Engine(\r\n        registry)\r\n")
    partial, whole = _both(text)
    assert [c for c in _calls(partial) if c[0] == "Engine"] == [c for c in _calls(whole) if c[0] == "Engine"] != []


def test_a_file_with_windows_line_breaks_whose_brackets_do_not_balance_is_parsed_whole():
    """Such a text is lexed at once, when its starts are first asked for: an unclosed bracket makes
    it one to parse whole (None), not an error out of the scan."""
    text = ("from app.agents.execution_engine import ExecutionEngine\r\n\r\n" + FILLER.replace("\n", "\r\n")
            + "OPEN = [\r\n")
    assert partial_facts(text, "/w/pkg/user.py", "pkg.user", False, NEEDLES) is None


def test_patch_targets_in_selected_statements_are_recorded():
    text = ("import unittest.mock\n\n\n" + FILLER
            + "@unittest.mock.patch('app.agents.execution_engine.ExecutionEngine')\ndef test_it(engine):\n    pass\n")
    partial, whole = _both(text)
    assert [(r.kind, r.value, r.span) for r in partial.string_refs] == [(r.kind, r.value, r.span)
                                                                        for r in whole.string_refs] != []


def test_every_name_imported_from_a_module_naming_a_needle_keeps_its_import_fact():
    """An import whose module names a needle can reach a group whatever names it imports: all of them
    keep their facts; an import of an unrelated module keeps only its binding."""
    text = ("from app.agents.execution_engine import Helper, ExecutionEngine as Engine, build_context\n"
            "from app.util import slugify, chunked\n\n\n" + FILLER)
    partial, whole = _both(text)
    imported = sorted((i.module, i.name, i.bound) for i in partial.imports)
    assert imported == sorted((i.module, i.name, i.bound) for i in whole.imports if i.module == "app.agents.execution_engine")
    assert len(imported) == 3
    assert {"slugify", "chunked"} <= partial.bindings.keys()


def test_a_relative_import_inside_a_package_naming_a_needle_keeps_its_import_fact():
    """``from .helpers import Thing`` in ``app.execution_engine.user`` imports from
    ``app.execution_engine.helpers``: the text names no needle, the module it resolves to does."""
    text = "from .helpers import Thing, other\n\n\n" + FILLER
    partial = partial_facts(text, "/w/app/execution_engine/user.py", "app.execution_engine.user", False, NEEDLES)
    assert partial is not None
    assert sorted((i.module, i.name) for i in partial.imports) == [
        ("app.execution_engine.helpers", "Thing"), ("app.execution_engine.helpers", "other")]


def test_a_call_through_an_import_inside_a_selected_function_is_recorded():
    """``from ... import ExecutionEngine as Engine`` inside a function binds ``Engine`` there: the
    nested import is looked for (not only top-level ones), and the call through it recorded."""
    text = ("import os\n\n\n" + FILLER + "def build(registry):\n"
            "    from app.agents.execution_engine import ExecutionEngine as Engine\n"
            "    return Engine(registry)\n")
    partial, whole = _both(text)
    assert [c for c in _calls(partial) if c[0] == "Engine"] == [c for c in _calls(whole) if c[0] == "Engine"] != []


def test_the_text_after_the_last_statement_that_can_matter_is_not_lexed():
    """Lexing stops past the last selected statement (``StatementStarts.cover``): a bracket left open
    further down is not seen, like any syntax error in a statement that is not parsed (SSOT009's
    documentation), and the file still gets the facts of its selected statements."""
    text = ("from app.agents.execution_engine import ExecutionEngine\n\n\n" + "def build():\n    return ExecutionEngine()\n\n\n"
            + FILLER * 3 + "broken = (\n")
    partial = partial_facts(text, "/w/pkg/user.py", "pkg.user", False, NEEDLES)
    assert partial is not None and partial.problem is None
    assert [call.callee for call in partial.calls] == ["ExecutionEngine"]
    assert extract_facts(text, "/w/pkg/user.py", "pkg.user", False).problem is not None


def test_a_needle_in_the_last_statement_gets_the_whole_text_lexed():
    text = ("from app.agents.execution_engine import ExecutionEngine\n\n\n" + FILLER * 3
            + "def build():\n    return ExecutionEngine()\nbroken = (\n")
    assert partial_facts(text, "/w/pkg/user.py", "pkg.user", False, NEEDLES) is None  # unbalanced: parse whole


@pytest.mark.parametrize("between", [
    " . ",
    ".\\\n        ",
    "\n        .",
    "  # the package (a '#' in the comment too)\n        .",
    ".  # reached through agents\r\n\r\n        ",
], ids=["spaces", "continuation", "line-break", "comment-before-dot", "comment-after-dot"])
def test_a_call_through_a_module_reached_by_an_attribute_chain_broken_across_lines_is_recorded(between: str):
    """``from app import agents`` names no needle; ``(agents  # …\\n .ExecutionEngine(r))`` reaches
    one through it. Python allows spaces, continuations, line breaks and comments around the dot
    inside brackets: the import must count as reaching the needle, or the call is dropped."""
    text = ("from app import agents\n\n\n" + FILLER
            + f"def build(registry):\n    return (agents{between}ExecutionEngine(registry))\n")
    partial, whole = _both(text)
    wanted = [call for call in _calls(whole) if call[0] == "agents.ExecutionEngine"]
    assert wanted and [call for call in _calls(partial) if call[0] == "agents.ExecutionEngine"] == wanted
