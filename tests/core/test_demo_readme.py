"""The demo workspace's findings are exactly the table in examples/migration-demo/README.md."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from ssot_lsp.config.loader import load_config
from ssot_lsp.core.workspace import Workspace

DEMO = Path(__file__).resolve().parents[2] / "examples" / "migration-demo"
ROW = re.compile(r"^\| ([\w/.]+\.py):(\d+) \| (SSOT\d{3}) \| (.*) \|$", re.M)
NEWER_ONLY = "Python < 3.12 only"


def readme_rows() -> list[tuple[str, int, str, str]]:
    return [(m[1], int(m[2]), m[3], m[4]) for m in ROW.finditer((DEMO / "README.md").read_text(encoding="utf-8"))]


def expected_findings() -> Counter:
    return Counter((path, line, code) for path, line, code, text in readme_rows()
                   if not (NEWER_ONLY in text and sys.version_info >= (3, 12)))


@pytest.fixture(scope="module")
def demo_result():
    return Workspace(load_config(DEMO)).scan(jobs=1)


def demo_findings(result) -> Counter:
    return Counter((Path(v.path).resolve().relative_to(DEMO).as_posix(), v.span.line + 1, v.code)
                   for v in result.violations)


def test_demo_is_checked_with_the_default_profile():
    assert load_config(DEMO).is_default_profile


def test_demo_findings_equal_the_readme_table(demo_result):
    found, expected = demo_findings(demo_result), expected_findings()
    assert {"only the tool": found - expected, "only the README": expected - found} == \
        {"only the tool": Counter(), "only the README": Counter()}


def test_readme_count_table_matches_its_rows():
    text = (DEMO / "README.md").read_text(encoding="utf-8")
    per_code = Counter(code for _, _, code, row in readme_rows() if NEWER_ONLY not in row)
    for code, count in re.findall(r"^\| (SSOT\d{3}) \| (\d+)", text, re.M):
        assert per_code.get(code, 0) == int(count), code


def test_newer_syntax_file_is_information_not_error(demo_result):
    newer = [v for v in demo_result.violations if v.code == "SSOT009" and v.payload.newer_syntax]
    if sys.version_info >= (3, 12):
        assert newer == []
    else:
        assert [(Path(v.path).name, v.severity) for v in newer] == [("report_builder.py", "information")]


def test_broken_file_reports_its_syntax_error_column(demo_result):
    (broken,) = [v for v in demo_result.violations if Path(v.path).name == "broken_agent.py"]
    assert (broken.code, broken.span.line + 1, broken.span.col + 1, broken.severity) == ("SSOT009", 18, 44, "error")


def test_demo_findings_do_not_depend_on_the_prefilter(demo_result):
    unfiltered = Workspace(load_config(DEMO)).scan(jobs=1, prefilter=False)
    assert demo_findings(unfiltered) == demo_findings(demo_result)
