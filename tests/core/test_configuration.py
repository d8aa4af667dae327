"""Configuration: loading and validation, severities, select/ignore, per-path overrides, source roots,
include/exclude and .gitignore."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from ssot_lsp.config.defaults import DEFAULT_PROFILE
from ssot_lsp.config.loader import ConfigError, find_config_file, load_config
from ssot_lsp.core.stale import configuration_index, stale_entries

from .conftest import APP, BASE_FILES
from .test_profile_independence import pyproject_for, toml_value

SVC = APP + "services/caller.py"
LEGACY = "from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine\n"
CONSTRUCT = LEGACY + "E = ExecutionEngine(1, 2)\n"


def profile_with(**changes) -> dict:
    profile = copy.deepcopy(DEFAULT_PROFILE)
    profile.update(changes)
    return profile


def write_profile(project, profile: dict) -> None:
    project.write({"pyproject.toml": pyproject_for(profile)})


# -- loading -----------------------------------------------------------------------------------

def test_pyproject_table_is_found_upward(bare):
    bare.write({"pyproject.toml": "[tool.ssot-lsp]\nselect = [\"SSOT001\"]\n", "pkg/sub/mod.py": ""})
    config = load_config(bare.root / "pkg" / "sub")
    assert config.source == str((bare.root / "pyproject.toml").resolve()) and config.select == ("SSOT001",)


def test_pyproject_without_the_table_is_passed_over(bare):
    bare.write({"pyproject.toml": "[tool.ssot-lsp]\nselect = [\"SSOT002\"]\n",
                "pkg/pyproject.toml": "[project]\nname = \"pkg\"\n"})
    assert find_config_file(bare.root / "pkg") == bare.root / "pyproject.toml"


def test_ssot_lsp_toml_is_found_and_preferred(bare):
    bare.write({"pyproject.toml": "[tool.ssot-lsp]\nselect = [\"SSOT002\"]\n",
                "ssot-lsp.toml": "select = [\"SSOT003\"]\n"})
    assert load_config(bare.root).select == ("SSOT003",)


def test_without_configuration_the_default_profile_applies(bare):
    config = load_config(bare.root)
    assert config.is_default_profile and [g.name for g in config.groups] == ["engine", "supervisor", "emitter"]


def test_configuration_root_is_the_directory_of_the_file(bare):
    bare.write({"pyproject.toml": "[tool.ssot-lsp]\n", "a/b/c.py": ""})
    assert load_config(bare.root / "a" / "b" / "c.py").root == bare.root.resolve()


def error_for(bare, text: str, name: str = "pyproject.toml") -> ConfigError:
    bare.write({name: text})
    with pytest.raises(ConfigError) as info:
        load_config(bare.root)
    assert info.value.file.endswith(name)
    return info.value


def test_invalid_toml_names_the_file(bare):
    error = error_for(bare, "[tool.ssot-lsp\nselect = 1\n")
    assert "invalid TOML" in error.problem


def test_unknown_key_is_named(bare):
    assert error_for(bare, "[tool.ssot-lsp]\nselct = [\"SSOT001\"]\n").key == "selct"


def test_unknown_key_in_a_group_is_named_with_its_path(bare):
    error = error_for(bare, '[tool.ssot-lsp]\ngroups = [{ name = "g", canonical = "a:B", legacy = [] }]\n')
    assert error.key == "groups[0].legacy"


def test_wrong_type_is_named(bare):
    error = error_for(bare, "[tool.ssot-lsp]\nrespect-gitignore = \"yes\"\n")
    assert error.key == "respect-gitignore" and error.problem == "must be a boolean, not a string"


def test_boolean_is_not_an_integer(bare):
    assert error_for(bare, "[tool.ssot-lsp]\nmax-file-size-kb = true\n").key == "max-file-size-kb"


def test_unknown_severity_is_named(bare):
    assert error_for(bare, "[tool.ssot-lsp]\nseverity = { SSOT001 = \"fatal\" }\n").key == "severity.SSOT001"


def test_unknown_rule_code_is_named(bare):
    assert error_for(bare, "[tool.ssot-lsp]\nseverity = { SSOT042 = \"error\" }\n").key == "severity.SSOT042"


def test_bad_regex_is_named(bare):
    error = error_for(bare, '[tool.ssot-lsp]\ngroups = [{ name = "g", canonical = "a:B", class-pattern = "(" }]\n')
    assert error.key == "groups[0].class-pattern" and "invalid regular expression" in error.problem


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|aa)*b", "(\\\\w+)\\\\1"])
def test_catastrophic_regex_is_refused(bare, pattern):
    error = error_for(bare, f'[tool.ssot-lsp]\ngroups = [{{ name = "g", canonical = "a:B", method-pattern = "{pattern}" }}]\n')
    assert error.key == "groups[0].method-pattern"


def test_bad_symbol_is_named(bare):
    error = error_for(bare, '[tool.ssot-lsp]\ngroups = [{ name = "g", canonical = "a.B" }]\n')
    assert error.key == "groups[0].canonical"


def test_error_in_ssot_lsp_toml_names_that_file(bare):
    assert error_for(bare, "bogus = 1\n", name="ssot-lsp.toml").key == "bogus"


def test_error_message_is_one_line_with_file_and_key(bare):
    error = error_for(bare, "[tool.ssot-lsp]\nselct = []\n")
    assert str(error).endswith("pyproject.toml:2: selct: unknown key (did you mean 'select'?)")
    assert "\n" not in str(error)


def test_missing_canonical_module_is_a_warning_not_an_error(bare):
    bare.write({"pyproject.toml": '[tool.ssot-lsp]\ngroups = [{ name = "g", canonical = "nowhere.mod:Thing" }]\n',
                "a.py": "x = 1\n"})
    config = load_config(bare.root)  # does not raise
    index = configuration_index({"a": str(bare.root / "a.py")}, 1 << 20)
    assert [e.describe() for e in stale_entries(config, index)] == [
        f"groups[g].canonical: nowhere.mod:Thing: its module does not exist ({bare.root.resolve() / 'pyproject.toml'}: groups[0].canonical)"]
    assert bare.scan().violations == []


def test_default_profile_loads_through_the_same_validation(bare):
    write_profile(bare, DEFAULT_PROFILE)
    assert [g.name for g in load_config(bare.root).groups] == ["engine", "supervisor", "emitter"]


# -- severities, select, ignore ----------------------------------------------------------------

def test_default_severities(project):
    project.check(SVC, CONSTRUCT)
    assert [(f.code, f.severity) for f in project.findings(SVC)] == [("SSOT001", "warning"), ("SSOT002", "error")]


def test_project_wide_severity_per_rule(project):
    write_profile(project, profile_with(severity={"SSOT002": "hint"}))
    project.check(SVC, CONSTRUCT)
    assert [f.severity for f in project.findings(SVC)] == ["warning", "hint"]


def test_severity_off_disables_a_rule(project):
    write_profile(project, profile_with(severity={"SSOT001": "off"}))
    assert project.check(SVC, CONSTRUCT) == [(2, "SSOT002")]


def test_group_severity_applies_only_to_its_group(project):
    profile = profile_with()
    profile["groups"][1]["severity"] = {"SSOT001": "hint"}
    write_profile(project, profile)
    project.check(SVC, LEGACY + "from netra_backend.app.agents.supervisor_consolidated import SupervisorAgent\n")
    assert [(f.line, f.severity) for f in project.findings(SVC)] == [(1, "warning"), (2, "hint")]


def test_project_severity_overrides_group_severity(project):
    write_profile(project, profile_with(severity={"SSOT006": "error"}))
    project.check(SVC, "class Bridge:\n    def notify_agent_started(self):\n        self.socket.send('started')\n")
    assert [f.severity for f in project.findings(SVC)] == ["error"]


def test_select_runs_only_the_selected_rules(project):
    write_profile(project, profile_with(select=["SSOT002"]))
    assert project.check(SVC, CONSTRUCT) == [(2, "SSOT002")]


def test_ignore_skips_rules(project):
    write_profile(project, profile_with(ignore=["SSOT002"]))
    assert project.check(SVC, CONSTRUCT) == [(1, "SSOT001")]


def test_codes_are_case_insensitive_in_select(project):
    write_profile(project, profile_with(select=["ssot001"]))
    assert project.check(SVC, CONSTRUCT) == [(1, "SSOT001")]


# -- per-path overrides ------------------------------------------------------------------------

def test_tests_are_downgraded_by_the_default_profile(project):
    project.check("tests/test_x.py", CONSTRUCT)
    assert [(f.code, f.severity) for f in project.findings("tests/test_x.py")] == \
        [("SSOT001", "warning"), ("SSOT002", "warning")]


def test_nested_tests_directory_is_downgraded(project):
    project.check(APP + "tests/helpers.py", CONSTRUCT)
    assert [f.severity for f in project.findings(APP + "tests/helpers.py")] == ["warning", "warning"]


def test_per_path_star_severity(project):
    write_profile(project, profile_with(**{"per-path": [{"paths": ["scripts/**"], "severity": {"*": "hint"}}]}))
    project.check("scripts/run.py", CONSTRUCT)
    assert [f.severity for f in project.findings("scripts/run.py")] == ["hint", "hint"]


def test_per_path_ignore(project):
    write_profile(project, profile_with(**{"per-path": [{"paths": ["scripts/*.py"], "ignore": ["SSOT001"]}]}))
    project.check("scripts/run.py", CONSTRUCT)
    project.write({SVC: CONSTRUCT}).scan()
    assert project.codes("scripts/run.py") == [(2, "SSOT002")]
    assert project.codes(SVC) == [(1, "SSOT001"), (2, "SSOT002")]


def test_later_per_path_entries_win(project):
    write_profile(project, profile_with(**{"per-path": [
        {"paths": ["scripts/**"], "severity": {"*": "hint"}},
        {"paths": ["scripts/keep/**"], "severity": {"SSOT002": "error"}},
    ]}))
    project.check("scripts/keep/run.py", CONSTRUCT)
    assert [f.severity for f in project.findings("scripts/keep/run.py")] == ["hint", "error"]


# -- source roots, include, exclude, .gitignore -------------------------------------------------

def src_layout(bare) -> None:
    bare.write({"src/" + k: v for k, v in BASE_FILES.items()})


def test_src_layout_is_a_source_root(bare):
    src_layout(bare)
    assert bare.check("src/" + SVC, CONSTRUCT) == [(1, "SSOT001"), (2, "SSOT002")]


def test_configured_source_roots(bare):
    bare.write({"backend/" + k: v for k, v in BASE_FILES.items()})
    write_profile(bare, profile_with(**{"source-roots": ["backend"]}))
    assert bare.check("backend/" + SVC, CONSTRUCT) == [(1, "SSOT001"), (2, "SSOT002")]


def test_namespace_packages_without_init_are_resolved(bare):
    bare.write({k: v for k, v in BASE_FILES.items() if not k.endswith("__init__.py")})
    bare.write({APP + "compat.py": LEGACY + "Old = ExecutionEngine\n"})
    assert bare.check(SVC, "from netra_backend.app.compat import Old\nE = Old(1, 2)\n") == [(1, "SSOT001"), (2, "SSOT002")]


def test_exclude_skips_files(project):
    write_profile(project, profile_with(exclude=["**/generated/**"]))
    project.check(APP + "generated/x.py", CONSTRUCT)
    assert project.codes(APP + "generated/x.py") == []


def test_include_limits_files(project):
    write_profile(project, profile_with(include=["netra_backend/**/*.py"]))
    project.write({"scripts/run.py": CONSTRUCT})
    project.check(SVC, CONSTRUCT)
    assert project.codes("scripts/run.py") == [] and project.codes(SVC) != []


def test_gitignore_is_honoured(project):
    project.write({".gitignore": "build/\n*_gen.py\n", "build/x.py": CONSTRUCT, APP + "services/a_gen.py": CONSTRUCT})
    project.check(SVC, CONSTRUCT)
    assert project.codes("build/x.py") == [] and project.codes(APP + "services/a_gen.py") == []
    assert project.codes(SVC) != []


def test_nested_gitignore_is_honoured(project):
    project.write({APP + "services/.gitignore": "old.py\n", APP + "services/old.py": CONSTRUCT})
    project.check(SVC, CONSTRUCT)
    assert project.codes(APP + "services/old.py") == []


def test_anchored_gitignore_patterns_match_from_their_own_directory(project):
    # a pattern with a slash is relative to its .gitignore's directory, however deep the file
    project.write({".gitignore": "/netra_backend/app/services/gen_*.py\n",
                   APP + "services/.gitignore": "/deep/skip.py\n",
                   APP + "services/gen_a.py": CONSTRUCT, APP + "services/deep/skip.py": CONSTRUCT,
                   APP + "services/deep/keep.py": CONSTRUCT, APP + "services/deep/gen_b.py": CONSTRUCT})
    project.check(SVC, CONSTRUCT)
    assert project.codes(APP + "services/gen_a.py") == [] and project.codes(APP + "services/deep/skip.py") == []
    assert project.codes(APP + "services/deep/keep.py") != [] and project.codes(APP + "services/deep/gen_b.py") != []


def test_gitignore_can_be_turned_off(project):
    write_profile(project, profile_with(**{"respect-gitignore": False}))
    project.write({".gitignore": "build/\n"})
    project.check("build/x.py", CONSTRUCT)
    assert project.codes("build/x.py") != []


def test_default_profile_excludes_backup_files(project):
    project.check(APP + "services/engine.backup_1757538478.py", CONSTRUCT)
    assert project.codes(APP + "services/engine.backup_1757538478.py") == []


def test_toml_value_helper_round_trips():
    import tomllib

    value = {"a-b": ["x", True, 3, {"k:y": "ExecutionEngine$"}]}
    assert tomllib.loads(f"v = {toml_value(value)}")["v"] == json.loads(json.dumps(value))
