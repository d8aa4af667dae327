"""Suppression comments: which ones apply, where, and which are reported unused (SSOT010)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from .conftest import APP

SVC = APP + "services/caller.py"
IMPORT = "from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine"


def test_ssot_ignore_with_matching_code_suppresses(project):
    assert project.check(SVC, IMPORT + "  # ssot: ignore[SSOT001]\n") == []


def test_ssot_ignore_with_several_codes_suppresses_each(project):
    assert project.check(SVC, IMPORT + " as UserExecutionEngine  # ssot: ignore[SSOT001, SSOT008]\n") == []


def test_ssot_ignore_with_other_code_does_not_suppress(project):
    assert project.check(SVC, IMPORT + "  # ssot: ignore[SSOT002]\n") == [(1, "SSOT001"), (1, "SSOT010")]


def test_bare_ssot_ignore_suppresses_every_code(project):
    assert project.check(SVC, IMPORT + " as UserExecutionEngine  # ssot: ignore\n") == []


def test_noqa_with_ssot_code_suppresses(project):
    assert project.check(SVC, IMPORT + "  # noqa: SSOT001\n") == []


def test_noqa_with_other_tools_codes_only_does_not_suppress(project):
    assert project.check(SVC, IMPORT + "  # noqa: F401\n") == [(1, "SSOT001")]


def test_bare_noqa_does_not_suppress(project):
    assert project.check(SVC, IMPORT + "  # noqa\n") == [(1, "SSOT001")]


def test_noqa_mixing_codes_suppresses_the_ssot_one(project):
    assert project.check(SVC, IMPORT + "  # noqa: F401, SSOT001\n") == []


def test_suppression_is_case_insensitive(project):
    assert project.check(SVC, IMPORT + "  # SSOT: Ignore[ssot001]\n") == []


def test_suppression_on_first_line_of_multiline_statement_applies(project):
    assert project.check(SVC, """\
        from netra_backend.app.agents.supervisor.execution_engine import (  # ssot: ignore[SSOT001]
            ExecutionEngine,
        )
        """) == []


def test_suppression_on_the_offending_line_of_multiline_statement_applies(project):
    assert project.check(SVC, """\
        from netra_backend.app.agents.supervisor.execution_engine import (
            ExecutionEngine,  # ssot: ignore[SSOT001]
        )
        """) == []


def test_suppression_on_multiline_call_first_line_applies(project):
    assert project.check(SVC, IMPORT + "  # ssot: ignore[SSOT001]\n" + textwrap.dedent("""\
        async def f(ctx):
            return ExecutionEngine(  # ssot: ignore[SSOT002]
                None,
                None,
            )
        """)) == []


def test_suppression_on_a_later_line_of_a_multiline_call_does_not_apply(project):
    assert project.check(SVC, IMPORT + "  # ssot: ignore[SSOT001]\n" + textwrap.dedent("""\
        async def f(ctx):
            return ExecutionEngine(
                None,  # ssot: ignore[SSOT002]
            )
        """)) == [(3, "SSOT002"), (4, "SSOT010")]


def test_suppression_on_a_line_in_between_does_not_apply(project):
    assert project.check(SVC, """\
        from netra_backend.app.agents.supervisor.execution_engine import (
            ExecutionEngine,
        )  # ssot: ignore[SSOT001]
        """) == [(2, "SSOT001"), (3, "SSOT010")]


def test_ignore_file_near_the_top_silences_the_file(project):
    assert project.check(SVC, '"""Doc."""\n# ssot: ignore-file\n' + IMPORT + "\nX = ExecutionEngine(1, 2)\n") == []


def test_ignore_file_far_below_the_top_is_not_honoured(project):
    filler = "x = 1\n" * 40
    assert project.check(SVC, IMPORT + "\n" + filler + "# ssot: ignore-file\n") == [(1, "SSOT001")]


def test_ignore_file_on_the_thirtieth_line_silences_the_file(project):
    """The documented window: ``# ssot: ignore-file`` counts within the first 30 lines."""
    header = "".join(f"# header line {n}\n" for n in range(1, 30))  # lines 1-29
    assert project.check(SVC, header + "# ssot: ignore-file\n" + IMPORT + "\n") == []


def test_ignore_file_on_the_thirty_first_line_is_not_honoured(project):
    header = "".join(f"# header line {n}\n" for n in range(1, 31))  # lines 1-30
    assert project.check(SVC, header + "# ssot: ignore-file\n" + IMPORT + "\n") == [(32, "SSOT001")]


def test_ignore_file_is_honoured_in_a_file_that_does_not_tokenize(project):
    """An unclosed bracket stops the tokenizer: the comment is found by the line scan instead."""
    assert project.check(SVC, "# ssot: ignore-file\n" + IMPORT + "\nX = ExecutionEngine(1,\n") == []


def test_ignore_file_below_the_window_in_a_file_that_does_not_tokenize_is_not_honoured(project):
    filler = "x = 1\n" * 40
    assert project.check(SVC, IMPORT + "\n" + filler + "# ssot: ignore-file\nX = ExecutionEngine(1,\n") == [
        (43, "SSOT009")]


def test_suppression_text_inside_a_string_is_not_honoured(project):
    assert project.check(SVC, IMPORT + '; NOTE = "# ssot: ignore[SSOT001]"\n') == [(1, "SSOT001")]


def test_suppression_text_inside_a_docstring_is_not_honoured(project):
    assert project.check(SVC, '"""Use\n# ssot: ignore-file\nto silence."""\n' + IMPORT + "\n") == [(4, "SSOT001")]


def test_unused_coded_suppression_is_reported(project):
    assert project.check(SVC, "import os  # ssot: ignore[SSOT001]\n") == [(1, "SSOT010")]


def test_unused_bare_suppression_is_reported(project):
    project.check(SVC, "import os  # ssot: ignore\n")
    (finding,) = project.findings(SVC)
    assert finding.code == "SSOT010" and "all codes" in finding.message


def test_unused_noqa_ssot_code_is_reported(project):
    assert project.check(SVC, "import os  # noqa: SSOT002\n") == [(1, "SSOT010")]


def test_partly_used_suppression_reports_the_unused_code(project):
    project.check(SVC, IMPORT + "  # ssot: ignore[SSOT001,SSOT007]\n")
    (finding,) = project.findings(SVC)
    assert finding.code == "SSOT010" and "SSOT007" in finding.message and "SSOT001" not in finding.message


def test_unknown_code_in_suppression_is_reported(project):
    project.check(SVC, "import os  # ssot: ignore[SSOT999]\n")
    (finding,) = project.findings(SVC)
    assert "names SSOT999, which no rule has" in finding.message


def test_suppression_of_a_disabled_rule_is_not_reported_unused(bare):
    bare.write({"pyproject.toml": "[tool.ssot-lsp]\nignore = [\"SSOT002\"]\n",
                "a.py": "import os  # ssot: ignore[SSOT002]\n"})
    bare.scan()
    assert bare.codes("a.py") == []


def test_unused_suppression_rule_can_be_ignored(bare):
    bare.write({"pyproject.toml": "[tool.ssot-lsp]\nignore = [\"SSOT010\"]\n",
                "a.py": "import os  # ssot: ignore[SSOT001]\n"})
    bare.scan()
    assert bare.codes("a.py") == []


def test_suppression_of_a_rule_whose_severity_is_off_is_not_reported_unused(bare):
    # severity "off" means the rule reports nothing, so there is nothing left to suppress
    bare.write({"pyproject.toml": "[tool.ssot-lsp]\nseverity = { SSOT009 = \"off\" }\n",
                "a.py": "x = (  # ssot: ignore[SSOT009]\n"})
    bare.scan()
    assert bare.codes("a.py") == []


# -- the grammar (issue 14 §4): only real directives suppress -------------------------------------

def test_prose_after_ignore_is_no_suppression_and_not_reported_unused(project):
    assert project.check(SVC, "# SSOT: ignore stale registry entries from the legacy registry\nX = 1\n") == []


def test_prose_after_ignore_does_not_suppress_the_line(project):
    assert project.check(SVC, IMPORT + "  # SSOT: ignore this for now\n") == [(1, "SSOT001")]


def test_blank_ignore_followed_by_a_reason_comment_suppresses(project):
    assert project.check(SVC, IMPORT + "  # ssot: ignore  # removed in phase 5\n") == []


def test_codes_may_be_followed_by_any_reason(project):
    assert project.check(SVC, IMPORT + "  # ssot: ignore[SSOT001]  reason: removed in phase 5\n") == []


def test_codes_may_be_separated_by_spaces(project):
    assert project.check(SVC, IMPORT + " as UserExecutionEngine  # ssot: ignore[SSOT001 SSOT008]\n") == []


def test_directive_after_another_comment_applies(project):
    assert project.check(SVC, IMPORT + "  # type: ignore[attr-defined]  # ssot: ignore[SSOT001]\n") == []


def test_directive_not_at_a_hash_is_prose(project):
    assert project.check(SVC, IMPORT + "  # see ssot: ignore[SSOT001] in the docs\n") == [(1, "SSOT001")]


def test_space_before_the_colon_is_no_directive(project):
    assert project.check(SVC, IMPORT + "  # ssot : ignore[SSOT001]\n") == [(1, "SSOT001")]


def test_empty_code_list_is_no_directive(project):
    assert project.check(SVC, IMPORT + "  # ssot: ignore[]\n") == [(1, "SSOT001")]


def test_noqa_list_ends_at_the_first_word_that_is_no_code(project):
    assert project.check(SVC, IMPORT + "  # noqa: SSOT001 legacy import kept for the shim\n") == []


def test_noqa_codes_after_prose_are_not_read(project):
    assert project.check(SVC, IMPORT + "  # noqa: F401 because SSOT001\n") == [(1, "SSOT001")]


def test_noqa_without_space_and_upper_case_keyword_suppresses(project):
    assert project.check(SVC, IMPORT + "  # NOQA:SSOT001\n") == []


def test_ignore_file_followed_by_prose_is_no_directive(project):
    assert project.check(SVC, "# ssot: ignore-file until the cleanup sprint\n" + IMPORT) == [(2, "SSOT001")]


def test_a_file_mentioning_ssot_only_in_prose_is_not_read_for_suppressions(project):
    from ssot_lsp.core.suppressions import read_suppressions

    assert read_suppressions("# SSOT: single source of truth for runs\n# SSOT: ignore stale entries\nx = 1\n") \
        == ([], False)


def test_a_file_mentioning_ssot_only_in_prose_is_skipped_by_the_prefilter(project):
    # 58 % of the first users' files write "SSOT" in comments and docstrings (issue 10): only the
    # directive syntax may make the prefilter read a file that names nothing else
    project.write({SVC: '"""SSOT remediation step 4."""\n# SSOT: ignore stale entries from the registry\n'
                        "# see ssot: ignore-file in the guide\nx = 1  # SSOT:\n"})
    result = project.scan()
    assert SVC not in {Path(p).relative_to(project.root).as_posix() for p in result.facts}


def test_a_file_holding_only_a_directive_is_read_by_the_prefilter(project):
    project.write({SVC: "import os\nx = 1  #SSOT:ignore-file\n"})
    result = project.scan()
    assert SVC in {Path(p).relative_to(project.root).as_posix() for p in result.facts}


# -- the look before tokenizing ---------------------------------------------------------------------
_LINES = ["# SSOT: ignore stale registry entries", "# ssot: ignore", "# ssot: ignore[SSOT001]", "# ssot: ignore[]",
          "# ssot: ignore-file", "# ssot:ignore  # reason", "# noqa: SSOT001 F401", "# noqa: F401 mentions ssot1",
          "# see ssot: ignore", "x = '# ssot: ignore'", 's = """', "# ssot: ignore-file[SSOT002] why",
          "y = 1  # type: ignore  # ssot: ignore[SSOT003]", "def f(:", "(", "# SSOT: IGNORE", "z = 2"]


def _texts():
    """Every pair of lines above, joined with each kind of line break, with and without a final one
    (unterminated strings and brackets among them: files that do not tokenize)."""
    for first in _LINES:
        for second in _LINES:
            for newline in ("\n", "\r\n", "\r"):
                body = first + newline + second
                yield body
                yield body + newline


def test_the_look_before_tokenizing_never_hides_a_directive(monkeypatch):
    from ssot_lsp.core import suppressions

    texts = list(_texts())
    fast = [suppressions.read_suppressions(text) for text in texts]
    monkeypatch.setattr(suppressions, "_DIRECTIVE_ANYWHERE", suppressions.re.compile(""))  # always tokenize
    assert [suppressions.read_suppressions(text) for text in texts] == fast
    assert sum(bool(found) for found, _ in fast) > 100, "precondition: most pairs hold a directive"


def test_prose_that_only_looks_like_a_directive_is_not_tokenized(monkeypatch):
    from ssot_lsp.core import suppressions

    def no_tokenizing(*args, **kwargs):
        raise AssertionError("tokenized")

    monkeypatch.setattr(suppressions.tokenize, "generate_tokens", no_tokenizing)
    text = "# SSOT: ignore stale registry entries\nx = 1  # the ssot: ignore list is prose\n"
    assert suppressions.read_suppressions(text) == ([], False)
