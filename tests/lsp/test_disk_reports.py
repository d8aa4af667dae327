"""Reports of files that are not open are built once while their findings stay the same."""

from __future__ import annotations

from ssot_lsp.core.payload import NoPayload
from ssot_lsp.core.text import Span
from ssot_lsp.core.violations import Violation
from ssot_lsp.lsp.documents import LineIndex
from ssot_lsp.lsp.publishing import DiskReports

TEXT = "from legacy import Engine\nengine = Engine()\n"


class FakeFolder:
    """What a report reads of a folder: the file's findings, the baseline and the docs URL."""

    def __init__(self) -> None:
        self.findings = [Violation(code="SSOT002", message="legacy construction", path="/w/m.py",
                                   span=Span(1, 9, 1, 15), severity="error", group="engine", stmt_line=1,
                                   symbol="legacy:Engine", payload=NoPayload())]
        self.docs_base_url: str | None = None
        self.baseline: object | None = None
        self.baseline_stamp: tuple | None = None

    def disk_violations(self, path: str) -> list[Violation]:
        return self.findings

    def visible(self, path: str, violations: list[Violation], lines: object) -> list[Violation]:
        return violations if self.baseline is None else []


class CountingLines:
    def __init__(self) -> None:
        self.reads = 0

    def __call__(self, path: str) -> LineIndex:
        self.reads += 1
        return LineIndex(TEXT)


def test_a_file_whose_findings_did_not_change_is_not_read_again():
    folder, lines_of, reports = FakeFolder(), CountingLines(), DiskReports()
    first = reports.report(folder, "/w/m.py", "utf-16", lines_of)  # type: ignore[arg-type]
    again = reports.report(folder, "/w/m.py", "utf-16", lines_of)  # type: ignore[arg-type]
    assert again == first and len(first[0]) == 1 and lines_of.reads == 1


def test_new_findings_of_the_file_are_reported_again():
    folder, lines_of, reports = FakeFolder(), CountingLines(), DiskReports()
    first = reports.report(folder, "/w/m.py", "utf-16", lines_of)  # type: ignore[arg-type]
    folder.findings = [*folder.findings, Violation(
        code="SSOT001", message="legacy import", path="/w/m.py", span=Span(0, 19, 0, 25), severity="warning",
        group="engine", stmt_line=0, symbol="legacy:Engine", payload=NoPayload())]
    second = reports.report(folder, "/w/m.py", "utf-16", lines_of)  # type: ignore[arg-type]
    assert len(second[0]) == 2 and second[1] != first[1]


def test_a_new_baseline_is_applied_to_unchanged_findings():
    folder, lines_of, reports = FakeFolder(), CountingLines(), DiskReports()
    reports.report(folder, "/w/m.py", "utf-16", lines_of)  # type: ignore[arg-type]
    folder.baseline, folder.baseline_stamp = object(), ("/w/.ssot-baseline.json", 1, 2)
    diagnostics, _ = reports.report(folder, "/w/m.py", "utf-16", lines_of)  # type: ignore[arg-type]
    assert diagnostics == []


def test_another_encoding_is_converted_again():
    folder, lines_of, reports = FakeFolder(), CountingLines(), DiskReports()
    reports.report(folder, "/w/m.py", "utf-16", lines_of)  # type: ignore[arg-type]
    reports.report(folder, "/w/m.py", "utf-8", lines_of)  # type: ignore[arg-type]
    assert lines_of.reads == 2
