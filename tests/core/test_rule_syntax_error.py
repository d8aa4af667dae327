"""SSOT009 syntax-error: one item per file that does not parse, with its position."""

from __future__ import annotations

import sys

import pytest

from ssot_lsp.core.facts import extract_facts

from .conftest import APP

SVC = APP + "services/broken.py"
LEGACY_IMPORT = "from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine\n"


def test_file_that_does_not_parse_yields_one_item_with_position(project):
    assert project.check(SVC, LEGACY_IMPORT + "x = (1,\ny = 2\n") == [(2, "SSOT009")]
    (violation,) = project.violations(SVC)
    assert violation.span.col == 4 and violation.severity == "error"


def test_broken_file_reports_nothing_else(project):
    assert project.check(SVC, LEGACY_IMPORT + "E = ExecutionEngine(\n") == [(2, "SSOT009")]


def test_several_syntax_errors_give_one_item(project):
    assert [code for _, code in project.check(SVC, LEGACY_IMPORT + "def (:\n  pass\nclass :\n")] == ["SSOT009"]


def test_broken_file_mentioning_no_configured_name_is_skipped_by_the_prefilter(project):
    # Documented: the prefilter skips files that cannot contain a violation without parsing them.
    project.write({SVC: "def (:\n"})
    project.scan()
    assert project.codes(SVC) == []
    project.scan(prefilter=False)
    assert project.codes(SVC) == [(1, "SSOT009")]


def test_nul_bytes_give_one_item_at_the_start(project):
    project.write({SVC: b"x = 1\x00\n" + LEGACY_IMPORT.encode()})
    project.scan()
    (violation,) = project.violations(SVC)
    assert (violation.code, violation.span.line, violation.span.col) == ("SSOT009", 0, 5)  # the first NUL
    assert violation.message == "cannot parse: source contains NUL bytes"


def test_extract_facts_never_raises_on_garbage():
    facts = extract_facts("\x00\xff((([[[{{{", "x.py", "x")
    assert facts.problem is not None and not facts.parsed


NEW_FSTRING = LEGACY_IMPORT + (
    "def title(p):\n"
    "    return f\"{p[\"name\"]}: {p[\"period\"]}\"\n"
    "async def f(ctx):\n"
    "    return ExecutionEngine(None, None, user_context=ctx)\n"
)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="PEP 701 f-strings parse natively on 3.12+")
def test_python_312_fstring_file_is_analysed_through_libcst(project):
    assert project.check(SVC, NEW_FSTRING) == [(1, "SSOT001"), (3, "SSOT009"), (5, "SSOT002")]
    (syntax,) = [v for v in project.violations(SVC) if v.code == "SSOT009"]
    assert syntax.severity == "information" and syntax.payload.newer_syntax is True


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="PEP 701 f-strings parse natively on 3.12+")
def test_masked_fstring_keeps_positions_of_later_code(project):
    project.check(SVC, NEW_FSTRING)
    (construction,) = [v for v in project.violations(SVC) if v.code == "SSOT002"]
    assert (construction.span.line, construction.span.col) == (4, 11)


@pytest.mark.skipif(sys.version_info < (3, 12), reason="3.12+ parses PEP 701 f-strings itself")
def test_python_312_fstring_file_is_plain_python_on_312(project):
    assert project.check(SVC, NEW_FSTRING) == [(1, "SSOT001"), (5, "SSOT002")]


def test_configured_severity_applies_to_syntax_errors(bare):
    bare.write({"pyproject.toml": "[tool.ssot-lsp]\nseverity = { SSOT009 = \"hint\" }\n", "a.py": "def __getattr__(name):\n    return (\n"})
    bare.scan()
    assert [f.severity for f in bare.findings("a.py")] == ["hint"]
