"""Configuration that extends the profile: `profile`, plain keys next to it, the `extend-` keys,
the new keys (`force-exclude`, `test-paths`, `follow-discovered`, `replacements`, `context-types`,
`context-params`), the origin of every value, and errors that name the file, line and key."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from ssot_lsp.config.defaults import DEFAULT_PROFILE, NETRA
from ssot_lsp.config.loader import ConfigError, default_config, load_config, locate_key, with_cli_overrides

REPO = Path(__file__).resolve().parents[2]
TOOL = "[project]\nname = \"acme\"\n\n[tool.ssot-lsp]\n"
ENGINE = "netra_backend.app.agents.supervisor.execution_engine:ExecutionEngine"
TOOL_ENGINE = "netra_backend.app.agents.unified_tool_execution:UnifiedToolExecutionEngine"
PROFILE_EXCLUDE = list(DEFAULT_PROFILE["exclude"])


def config_for(tmp_path: Path, text: str, name: str = "pyproject.toml"):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return load_config(tmp_path)


def error_for(tmp_path: Path, text: str, name: str = "pyproject.toml") -> ConfigError:
    with pytest.raises(ConfigError) as info:
        config_for(tmp_path, text, name)
    return info.value


def described(config, path: str) -> list[str]:
    return [o.describe(config.root) for o in config.origins[path]]


# -- the profile's new values --------------------------------------------------------------------

def test_profile_excludes_backup_and_archive_directories_at_any_depth():
    for directory in ("backup", "backups", "archive", "archived"):
        assert f"**/{directory}/**" in PROFILE_EXCLUDE
    assert "**/*.backup*" in PROFILE_EXCLUDE


def test_profile_sets_test_paths_and_downgrades_the_same_files(tmp_path):
    config = load_config(tmp_path)
    assert config.test_paths == ("tests/**", "**/tests/**", "**/test_*.py", "**/*_test.py", "**/conftest.py")
    assert config.per_path[0].patterns == config.test_paths


def test_profile_maps_the_tool_engines_to_no_replacement(tmp_path):
    engine = load_config(tmp_path).group("engine")
    assert engine.replacement_for(TOOL_ENGINE) is None
    assert engine.replacement_for("netra_backend.app.services.unified_tool_registry.execution_engine:"
                                  "ToolExecutionEngine") is None
    assert engine.replacement_for(ENGINE) == engine.canonical


def test_profile_reads_the_context_from_constructor_signatures(tmp_path):
    engine = load_config(tmp_path).group("engine")
    assert engine.context_types == ("UserExecutionContext",)
    assert engine.context_params == ("user_context", "context")
    assert {"agent_factory", "websocket_emitter"} <= set(engine.factory.supplied_args)


def test_new_keys_default_when_nothing_sets_them(tmp_path):
    config = config_for(tmp_path, TOOL + '[[tool.ssot-lsp.groups]]\nname = "g"\ncanonical = "a:B"\n')
    (group,) = config.groups
    assert (config.force_exclude, config.test_paths, config.profile) == (False, (), None)
    assert (group.follow_discovered, group.replacements, group.context_types, group.context_params) == \
        (True, {}, (), ())


# -- profile and plain keys ----------------------------------------------------------------------

def test_profile_key_starts_from_the_built_in_profile(tmp_path):
    config = config_for(tmp_path, TOOL + 'profile = "netra"\n')
    assert not config.is_default_profile and config.profile == "netra"
    assert [g.name for g in config.groups] == ["engine", "supervisor", "emitter"]
    assert config.fingerprint() == default_config(tmp_path).fingerprint()


def test_without_profile_the_table_is_everything(tmp_path):
    config = config_for(tmp_path, TOOL + 'exclude = ["build/**"]\n')
    assert config.exclude == ("build/**",) and config.groups == () and config.test_paths == ()


def test_plain_key_next_to_profile_replaces_the_profiles_value(tmp_path):
    config = config_for(tmp_path, TOOL + 'profile = "netra"\nexclude = ["build/**"]\n')
    assert config.exclude == ("build/**",)
    assert [g.name for g in config.groups] == ["engine", "supervisor", "emitter"]  # the rest stays


def test_plain_groups_next_to_profile_replace_all_groups(tmp_path):
    config = config_for(tmp_path, TOOL + 'profile = "netra"\n\n[[tool.ssot-lsp.groups]]\nname = "bus"\ncanonical = "a:Bus"\n')
    assert [g.name for g in config.groups] == ["bus"] and config.exclude == tuple(PROFILE_EXCLUDE)


# -- extend- keys --------------------------------------------------------------------------------

def test_extend_exclude_appends_to_the_profile(tmp_path):
    config = config_for(tmp_path, TOOL + 'profile = "netra"\nextend-exclude = ["build/**", "**/generated/**"]\n')
    assert config.exclude == (*PROFILE_EXCLUDE, "build/**", "**/generated/**")


def test_extend_exclude_appends_to_a_plain_exclude_next_to_it(tmp_path):
    config = config_for(tmp_path, TOOL + 'exclude = ["a/**"]\nextend-exclude = ["b/**"]\n')
    assert config.exclude == ("a/**", "b/**")


def test_extend_exclude_does_not_repeat_an_entry(tmp_path):
    config = config_for(tmp_path, TOOL + 'profile = "netra"\nextend-exclude = ["**/backup/**"]\n')
    assert config.exclude == tuple(PROFILE_EXCLUDE)


def test_extend_ignore_appends_and_the_command_line_appends_after_it(tmp_path):
    config = config_for(tmp_path, TOOL + 'profile = "netra"\nignore = ["SSOT008"]\nextend-ignore = ["ssot010"]\n')
    assert config.ignore == ("SSOT008", "SSOT010")
    assert with_cli_overrides(config, ignore="SSOT007,SSOT010").ignore == ("SSOT008", "SSOT010", "SSOT007")


def test_extend_per_path_entries_come_after_the_profiles(tmp_path):
    config = config_for(tmp_path, TOOL + 'profile = "netra"\n\n[[tool.ssot-lsp.extend-per-path]]\n'
                                  'paths = ["scripts/**"]\nseverity = { "*" = "hint" }\n')
    assert [list(o.patterns) for o in config.per_path] == [NETRA.table["per-path"][0]["paths"], ["scripts/**"]]
    assert config.per_path[1].severity == {"*": "hint"}


EXTEND_ENGINE = TOOL + '''profile = "netra"

[[tool.ssot-lsp.extend-groups]]
name = "engine"
legacy-symbols = ["acme.runners:LegacyRunner"]
replacements = { "acme.runners:LegacyRunner" = "none" }
class-pattern = "(Engine|Runner)$"
follow-discovered = false

[tool.ssot-lsp.extend-groups.factory]
create = "await make_engine({context})"
imports = ["acme.factory:make_engine"]
'''


def test_extend_groups_appends_to_arrays_of_the_named_group(tmp_path):
    engine = config_for(tmp_path, EXTEND_ENGINE).group("engine")
    profile = NETRA.table["groups"][0]
    assert engine.legacy_symbols == (*profile["legacy-symbols"], "acme.runners:LegacyRunner")
    assert engine.legacy_modules == tuple(profile["legacy-modules"])


def test_extend_groups_merges_tables_entry_by_entry(tmp_path):
    engine = config_for(tmp_path, EXTEND_ENGINE).group("engine")
    assert engine.replacements == {**NETRA.table["groups"][0]["replacements"], "acme.runners:LegacyRunner": "none"}
    assert engine.factory.create == "await make_engine({context})"  # replaced
    assert engine.factory.scope == NETRA.table["groups"][0]["factory"]["scope"]  # kept
    assert engine.factory.imports[-1] == "acme.factory:make_engine" and len(engine.factory.imports) == 2


def test_extend_groups_replaces_other_values(tmp_path):
    engine = config_for(tmp_path, EXTEND_ENGINE).group("engine")
    assert engine.class_pattern.pattern == "(Engine|Runner)$" and engine.follow_discovered is False


def test_extend_groups_leaves_the_other_groups_alone(tmp_path):
    extended = config_for(tmp_path, EXTEND_ENGINE)
    assert extended.groups[1:] == default_config(tmp_path).groups[1:]


def test_extend_groups_with_a_new_name_adds_a_group(tmp_path):
    config = config_for(tmp_path, TOOL + 'profile = "netra"\nextend-groups = [{ name = "bus", canonical = "acme.bus:Bus" }]\n')
    assert [g.name for g in config.groups] == ["engine", "supervisor", "emitter", "bus"]


def test_extend_groups_with_a_new_name_needs_canonical(tmp_path):
    error = error_for(tmp_path, TOOL + 'profile = "netra"\nextend-groups = [{ name = "egnine", legacy-symbols = ["a:B"] }]\n')
    assert error.key == "extend-groups[0].canonical" and error.line == 6
    assert "no group named 'egnine'" in error.problem and "'engine'" in error.problem


def test_extend_groups_entry_needs_a_name(tmp_path):
    error = error_for(tmp_path, TOOL + 'profile = "netra"\nextend-groups = [{ legacy-symbols = ["a:B"] }]\n')
    assert (error.key, error.problem) == ("extend-groups[0].name", "required")


# -- replacements ----------------------------------------------------------------------------------

def test_replacement_for_a_symbol_that_is_not_legacy_is_an_error(tmp_path):
    error = error_for(tmp_path, TOOL + 'profile = "netra"\n\n[[tool.ssot-lsp.extend-groups]]\nname = "engine"\n'
                                 'replacements = { "acme.old:Runner" = "none" }\n')
    assert error.key == 'extend-groups[0].replacements."acme.old:Runner"' and error.line == 9
    assert "not one of the group's legacy-symbols" in error.problem and error.file.endswith("pyproject.toml")


def test_replacement_may_name_a_legacy_symbol_added_in_the_same_entry(tmp_path):
    engine = config_for(tmp_path, EXTEND_ENGINE).group("engine")
    assert engine.replacement_for("acme.runners:LegacyRunner") is None


def test_replacement_by_another_legacy_symbol_is_an_error(tmp_path):
    error = error_for(tmp_path, TOOL + f'profile = "netra"\nextend-groups = [{{ name = "engine", replacements = '
                                 f'{{ "{TOOL_ENGINE}" = "{ENGINE}" }} }}]\n')
    assert "is itself a legacy symbol" in error.problem


def test_replacement_must_be_a_symbol_or_none(tmp_path):
    error = error_for(tmp_path, TOOL + f'profile = "netra"\nextend-groups = [{{ name = "engine", replacements = '
                                 f'{{ "{TOOL_ENGINE}" = "nothing" }} }}]\n')
    assert error.key == f'extend-groups[0].replacements."{TOOL_ENGINE}"' and '"none"' in error.problem


# -- validation ------------------------------------------------------------------------------------

def test_unknown_profile_is_named_with_the_known_ones(tmp_path):
    error = error_for(tmp_path, TOOL + 'profile = "acme"\n')
    assert (error.key, error.line) == ("profile", 5) and "known: netra" in error.problem


@pytest.mark.parametrize("glob, problem", [
    ("/srv/app/**", "is absolute"),
    ("backups\\\\**", "use '/'"),
    ("test_[ab].py", "character classes"),
    ("{a,b}/**", "braces"),
    ("./build/**", "'.' or '..'"),
    ("!keep.py", "negation"),
    ("", "empty pattern"),
])
def test_bad_glob_is_an_error_naming_the_entry(tmp_path, glob, problem):
    error = error_for(tmp_path, TOOL + f'profile = "netra"\nextend-exclude = ["ok/**", "{glob}"]\n')
    assert (error.key, error.line) == ("extend-exclude[1]", 6) and problem in error.problem


@pytest.mark.parametrize("key", ["force-exclude", "test-paths"])
def test_new_top_level_keys_are_type_checked(tmp_path, key):
    assert error_for(tmp_path, TOOL + f'{key} = "yes"\n').key == key


def test_unknown_key_names_the_line_and_suggests_the_key(tmp_path):
    error = error_for(tmp_path, TOOL + 'profile = "netra"\nextend-exlude = ["a/**"]\n')
    assert str(error) == f"{tmp_path / 'pyproject.toml'}:6: extend-exlude: unknown key (did you mean 'extend-exclude'?)"


def test_unknown_key_in_the_second_group_block_names_its_line(tmp_path):
    text = TOOL + ('[[tool.ssot-lsp.groups]]\nname = "a"\ncanonical = "a:A"\nlegacy-modules = []\n\n'
                   '[[tool.ssot-lsp.groups]]\nname = "b"\ncanonical = "b:B"\nlegacy = []\n')
    error = error_for(tmp_path, text)
    assert (error.key, error.line) == ("groups[1].legacy", 13)


def test_error_in_a_group_sub_table_names_its_line(tmp_path):
    text = TOOL + ('[[tool.ssot-lsp.groups]]\nname = "a"\ncanonical = "a:A"\n\n'
                   '[tool.ssot-lsp.groups.factory]\ncreate = "make()"\n')
    error = error_for(tmp_path, text)
    assert (error.key, error.line) == ("groups[0].factory.create", 10)


def test_error_in_ssot_lsp_toml_names_its_line(tmp_path):
    error = error_for(tmp_path, '# ours\nprofile = "netra"\nforce-exclude = 1\n', name="ssot-lsp.toml")
    assert (error.key, error.line) == ("force-exclude", 3) and error.file.endswith("ssot-lsp.toml")


def test_line_is_left_out_rather_than_guessed():
    text = '[tool.ssot-lsp]\ngroups = [\n  { name = "a", legacy = 1 },\n  { name = "b", legacy = 2 },\n]\n'
    assert locate_key(text, "groups[1].legacy", "tool.ssot-lsp") == 2  # the array's line, not a wrong entry
    assert locate_key(text, "nowhere", "tool.ssot-lsp") is None


def test_command_line_codes_are_checked(tmp_path):
    with pytest.raises(ConfigError) as info:
        with_cli_overrides(load_config(tmp_path), select="SSOT042")
    assert info.value.file == "--select" and "SSOT042" in info.value.problem


# -- origins ---------------------------------------------------------------------------------------

def test_every_value_knows_where_it_came_from(tmp_path):
    config = with_cli_overrides(config_for(tmp_path, EXTEND_ENGINE), ignore="SSOT010")
    symbols = described(config, "groups[engine].legacy-symbols")
    assert symbols[0] == "profile netra" and symbols[-1] == "pyproject.toml: extend-groups[0].legacy-symbols[0]"
    assert described(config, "groups[engine]") == ["profile netra", "pyproject.toml: extend-groups[0]"]
    assert described(config, "groups[engine].factory.create") == ["pyproject.toml: extend-groups[0].factory.create"]
    assert described(config, "groups[engine].factory.scope") == ["profile netra"]
    assert described(config, "ignore") == ["--ignore (command line)"]
    assert "force-exclude" not in config.origins  # a default


def test_a_replaced_value_forgets_the_profiles_origins(tmp_path):
    config = config_for(tmp_path, TOOL + 'profile = "netra"\nexclude = ["a/**"]\nextend-exclude = ["b/**"]\n')
    assert described(config, "exclude") == ["pyproject.toml: exclude[0]", "pyproject.toml: extend-exclude[0]"]


def test_profile_assumptions_travel_with_the_values(tmp_path):
    config = config_for(tmp_path, EXTEND_ENGINE)
    symbols = dict(zip(config.group("engine").legacy_symbols, config.origins["groups[engine].legacy-symbols"]))
    assert "not its module" in symbols["netra_backend.app.agents.execution_engine_consolidated:"
                                       "ConsolidatedExecutionEngineWrapper"].assumption
    assert symbols[ENGINE].assumption is None and symbols["acme.runners:LegacyRunner"].assumption is None


def test_origins_do_not_change_equality_or_the_fingerprint(tmp_path):
    from_file = config_for(tmp_path, TOOL + 'profile = "netra"\n')
    assert from_file.groups == default_config(tmp_path).groups and from_file.origins != {}


# -- the documentation's examples load -------------------------------------------------------------

def doc_examples() -> list[str]:
    text = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    return re.findall(r"```toml\n(.*?)```", text, re.S)


def test_configuration_doc_has_examples():
    assert len(doc_examples()) >= 4


@pytest.mark.parametrize("index", range(len(doc_examples())))
def test_every_toml_example_in_the_configuration_doc_loads(tmp_path, index):
    example = doc_examples()[index]
    name = "pyproject.toml" if "[tool.ssot-lsp" in example else "ssot-lsp.toml"
    tomllib.loads(example)
    config_for(tmp_path, example, name)


def test_the_full_example_in_the_configuration_doc_is_the_profile(tmp_path):
    block = re.search(r"### Full example.*?```toml\n(.*?)```", (REPO / "docs" / "configuration.md").read_text(), re.S)[1]
    written, profile = config_for(tmp_path, block), default_config(tmp_path)
    assert (written.groups, written.exclude, written.test_paths, written.per_path) == \
        (profile.groups, profile.exclude, profile.test_paths, profile.per_path)
