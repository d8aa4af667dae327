"""ssot_lsp/config/schema.json and the loader accept and reject the same documents.

The loader checks a few things no schema can (listed in the schema's description): for those the
schema accepts what the loader rejects, never the other way round.
"""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssot_lsp.config import keys
from ssot_lsp.config.defaults import DEFAULT_PROFILE, PROFILES
from ssot_lsp.config.loader import ConfigError, parse_config_table
from ssot_lsp.core.rules.registry import RULES
from ssot_lsp.core.severity import SEVERITIES


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(resources.files("ssot_lsp").joinpath("config", "schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema):
    return jsonschema.Draft202012Validator(schema)


def loads(table: dict, tmp_path) -> bool:
    try:
        parse_config_table(copy.deepcopy(table), "x.toml", tmp_path)
    except ConfigError:
        return False
    return True


def test_schema_is_valid_draft_2020_12(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", PROFILES)
def test_every_built_in_profile_validates(validator, name):
    validator.validate(PROFILES[name].table)


TABLES = {
    "": keys.FILE_TABLE, "group": keys.GROUP, "groupExtension": keys.GROUP_EXTENSION, "factory": keys.FACTORY,
    "perPath": keys.PER_PATH, "contextArg": keys.CONTEXT_ARG,
}


@pytest.mark.parametrize("name", TABLES)
def test_schema_and_loader_know_the_same_keys(schema, name):
    owner = schema if name == "" else schema["$defs"][name]
    assert sorted(owner["properties"]) == sorted(TABLES[name].fields)
    assert sorted(owner.get("required", [])) == sorted(TABLES[name].required)


def test_every_object_refuses_unknown_keys(schema):
    objects = [schema, *(d for d in schema["$defs"].values() if d.get("type") == "object" and "properties" in d)]
    assert len(objects) == len(TABLES)
    assert all(obj["additionalProperties"] is False for obj in objects)


def test_every_property_has_a_description(schema):
    for owner in [schema, *schema["$defs"].values()]:
        for name, prop in owner.get("properties", {}).items():
            assert prop.get("description"), name


def test_severity_enum_matches_the_core(schema):
    assert schema["$defs"]["severity"]["enum"] == [*SEVERITIES, "off"]


@pytest.mark.parametrize("spelling", [str.upper, str.lower, str.title])
def test_code_patterns_accept_exactly_the_loaders_codes(validator, tmp_path, spelling):
    for number in range(1000):
        code = spelling(f"SSOT{number:03d}")
        table = {"severity": {code: "hint"}}
        assert (not list(validator.iter_errors(table))) == loads(table, tmp_path) == (code.upper() in RULES), code
    for prefix in ("SSOT", "ssot0", "SSOT01", "SSOTX", "SSO", "SSOT0001"):
        table = {"select": [prefix]}
        assert (not list(validator.iter_errors(table))) == loads(table, tmp_path), prefix


INVALID = {
    "unknown top-level key": {"selct": ["SSOT001"]},
    "unknown severity": {"severity": {"SSOT001": "fatal"}},
    "unknown code": {"severity": {"SSOT042": "error"}},
    "wrong type": {"respect-gitignore": "yes"},
    "zero size": {"max-file-size-kb": 0},
    "group without canonical": {"groups": [{"name": "g"}]},
    "bad canonical": {"groups": [{"name": "g", "canonical": "a.B"}]},
    "canonical with an empty part": {"groups": [{"name": "g", "canonical": "a..b:C"}]},
    "unknown group key": {"groups": [{"name": "g", "canonical": "a:B", "legacy": []}]},
    "factory without context": {"groups": [{"name": "g", "canonical": "a:B", "factory": {"create": "make()"}}]},
    "negative context position": {"groups": [{"name": "g", "canonical": "a:B",
                                              "context-args": {"a:C": {"position": -1}}}]},
    "empty context arg": {"groups": [{"name": "g", "canonical": "a:B", "context-args": {"a:C": {}}}]},
    "per-path without paths": {"per-path": [{"severity": {"*": "hint"}}]},
    "bad module name": {"groups": [{"name": "g", "canonical": "a:B", "legacy-modules": ["a-b"]}]},
    "unknown profile": {"profile": "acme"},
    "absolute glob": {"exclude": ["/srv/app/**"]},
    "backslash glob": {"extend-exclude": ["backups\\**"]},
    "character class glob": {"test-paths": ["test_[ab].py"]},
    "dot-dot glob": {"include": ["../other/**"]},
    "empty glob": {"exclude": [""]},
    "extend-groups entry without name": {"extend-groups": [{"legacy-symbols": ["a:B"]}]},
    "bad replacement": {"groups": [{"name": "g", "canonical": "a:B", "legacy-symbols": ["a:C"],
                                    "replacements": {"a:C": "nothing"}}]},
    "replacement key not a symbol": {"groups": [{"name": "g", "canonical": "a:B", "replacements": {"C": "none"}}]},
    "force-exclude not a boolean": {"force-exclude": "yes"},
    "follow-discovered not a boolean": {"groups": [{"name": "g", "canonical": "a:B", "follow-discovered": 1}]},
    "context-params not identifiers": {"groups": [{"name": "g", "canonical": "a:B", "context-params": ["user-context"]}]},
    "context-types not class names": {"groups": [{"name": "g", "canonical": "a:B", "context-types": ["a:"]}]},
    "extend-ignore unknown code": {"extend-ignore": ["SSOT042"]},
    "extend-per-path without paths": {"extend-per-path": [{"ignore": ["SSOT001"]}]},
    "blank baseline": {"baseline": " "},
}

VALID = {
    "empty": {},
    "profile alone": {"profile": "netra"},
    "profile with every extend key": {
        "profile": "netra", "extend-exclude": ["**/generated/**"], "extend-ignore": ["ssot010"],
        "extend-per-path": [{"paths": ["scripts/**"], "severity": {"*": "hint"}}],
        "extend-groups": [{"name": "engine", "legacy-symbols": ["acme.old:Engine"],
                           "replacements": {"acme.old:Engine": "none"}, "follow-discovered": False},
                          {"name": "bus", "canonical": "acme.bus:Bus", "context-types": ["acme.ctx:Context"],
                           "context-params": ["ctx"]}],
        "force-exclude": True, "test-paths": ["spec/**"],
    },
    "lower-case codes": {"select": ["ssot00"], "severity": {"ssot001": "hint"}},
}

# What only the loader can check; the schema accepts these.
LOADER_ONLY = {
    "catastrophic pattern": {"groups": [{"name": "g", "canonical": "a:B", "class-pattern": "(a+)+$"}]},
    "invalid pattern": {"groups": [{"name": "g", "canonical": "a:B", "class-pattern": "("}]},
    "template that does not parse": {"groups": [{"name": "g", "canonical": "a:B",
                                                 "factory": {"create": "make({context}"}}]},
    "duplicate group name": {"groups": [{"name": "g", "canonical": "a:B"}, {"name": "g", "canonical": "a:C"}]},
    "replacement for a symbol that is not legacy": {
        "groups": [{"name": "g", "canonical": "a:B", "replacements": {"a:C": "none"}}]},
    "new group through extend-groups without canonical": {"extend-groups": [{"name": "new"}]},
}
LOADER_ONLY_PROBLEMS = ("backtrack", "back-references", "invalid regular expression", "is not a Python expression",
                        "appears twice", "is not one of the group's legacy-symbols", "is itself a legacy symbol",
                        "there is no group named")


@pytest.mark.parametrize("table", INVALID.values(), ids=INVALID.keys())
def test_invalid_examples_fail_the_schema_and_the_loader(validator, table, tmp_path):
    assert list(validator.iter_errors(table))
    assert not loads(table, tmp_path)


@pytest.mark.parametrize("table", VALID.values(), ids=VALID.keys())
def test_valid_examples_pass_the_schema_and_the_loader(validator, table, tmp_path):
    validator.validate(table)
    assert loads(table, tmp_path)


@pytest.mark.parametrize("table", LOADER_ONLY.values(), ids=LOADER_ONLY.keys())
def test_what_only_the_loader_checks(validator, table, tmp_path):
    validator.validate(table)
    with pytest.raises(ConfigError) as info:
        parse_config_table(copy.deepcopy(table), "x.toml", tmp_path)
    assert any(p in info.value.problem for p in LOADER_ONLY_PROBLEMS), info.value.problem


def test_a_full_example_validates_and_loads(validator, tmp_path):
    table = copy.deepcopy(DEFAULT_PROFILE)
    table.update({"source-roots": ["src"], "include": ["**/*.py"], "respect-gitignore": False, "select": ["SSOT00"],
                  "ignore": ["SSOT010"], "baseline": ".ssot-baseline.json", "max-file-size-kb": 2048,
                  "force-exclude": True})
    table["groups"][0]["needles"] = ["Engine"]
    validator.validate(table)
    assert loads(table, tmp_path)


# -- generated documents: valid tables built from the loader's own key table, with at most one bad value ----

# value test -> (good values, bad values)
_POOLS: dict[Any, tuple[list[Any], list[Any]]] = {
    keys._module: (["a.b", "pkg", "a_1.b2"], ["a-b", "a..b", "1a", "", "a.", "a:b"]),
    keys._symbol: (["a.b:C", "a:C.m", "x:Y"], ["a.b.C", "a:", ":C", "a:B:C", "a:B c"]),
    keys._allowed: (["a:B", "Name"], ["a:B.c", "a b", "", ":B"]),
    keys._identifier: (["user_context", "ctx", "_x"], ["user-context", "1x", "", "a.b"]),
    keys._class_name: (["Ctx", "a.b:Ctx", "a.Ctx"], ["a:", "C-x", "", "a:b:C"]),
    keys._replacement: (["none", "a:New"], ["None", "a.New", "", "a:"]),
    keys._non_empty: (["x", "a b"], ["", "  "]),
    keys.url_problem: (["https://docs.example/ssot/", "file:///srv/rules/{code}.html"], ["docs/rules", "", "https://a b", "ftp://x"]),
    keys._positive: ([1, 4096], [0, -3]),
    keys._not_negative: ([0, 2], [-1]),
    keys.glob_problem: (["**/x/**", "x.py", ".venv/**", "a/*.py", "a?.py"],
                        ["/abs/**", "a\\b", "[ab].py", "{a,b}.py", "./x", "a/../b", "", " ", "!x", "C:/x"]),
    keys._template: (["make({context})", "await f({context})"], ["make()", "{ctx}"]),
    keys._pattern: (["Engine$", "^notify_"], []),  # bad patterns are loader-only
    keys._code_or_prefix: (["SSOT001", "ssot00", "SSOT", "Ssot01"], ["SSOT042", "SSOTX", "E501", "SSOT0001"]),
    keys._severity: (["error", "hint", "off"], ["fatal", "Error", ""]),
    keys._profile: (["netra"], ["acme", "Netra"]),
    None: (["text", ""], []),
}
_MAP_KEYS: dict[Any, tuple[list[str], list[str]]] = {
    keys._code: (["SSOT001", "ssot002"], ["SSOT042", "*", "x"]),
    keys._symbol: (["a.b:C", "a:C.m"], ["bad", "a:"]),
    keys._code_or_star: (["*", "SSOT001"], ["SSOT042", "**"]),
}
_WRONG_TYPES = [True, 3, "s", ["s"], {"k": "v"}, 1.5]


def _minimal(spec: keys.Spec) -> Any:
    """The smallest valid value of a spec."""
    if isinstance(spec, keys.Scalar):
        return True if spec.kind is bool else _POOLS[spec.test][0][0]
    if isinstance(spec, keys.ListOf):
        return [_minimal(spec.item) for _ in range(spec.min_items)]
    if isinstance(spec, keys.MapOf):
        return {}
    assert isinstance(spec, keys.Table)
    return {name: _minimal(spec.fields[name]) for name in (*spec.required, *spec.one_of[:1])}


def _variants(spec: keys.Spec, path: str = "") -> Any:
    """(path, value, valid) for every good and bad value of every key, each in an otherwise minimal value."""
    if isinstance(spec, keys.Scalar):
        good, bad = ([True, False], []) if spec.kind is bool else _POOLS[spec.test]
        wrong = [w for w in _WRONG_TYPES if not isinstance(w, spec.kind) or spec.kind is int and isinstance(w, bool)]
        yield from ((path, v, True) for v in good)
        yield from ((path, v, False) for v in [*bad, *wrong])
        return
    if isinstance(spec, keys.ListOf):
        for where, value, ok in _variants(spec.item, path + "[0]"):
            yield where, [value], ok
        yield path, "s", False
        return
    if isinstance(spec, keys.MapOf):
        good_keys, bad_keys = _MAP_KEYS.get(spec.key_test, _MAP_KEYS[keys._code])
        for where, value, ok in _variants(spec.value, path + ".key"):
            yield where, {good_keys[0]: value}, ok
        yield from ((f"{path}.{k}", {k: _minimal(spec.value)}, True) for k in good_keys)
        yield from ((f"{path}.{k}", {k: _minimal(spec.value)}, False) for k in bad_keys)
        yield path, ["s"], False
        return
    assert isinstance(spec, keys.Table)
    base = _minimal(spec)
    for name, field_spec in spec.fields.items():
        for where, value, ok in _variants(field_spec, f"{path}.{name}"):
            table = {**base, name: value}
            if name == "replacements" and isinstance(value, dict):  # keys must be legacy symbols of the group
                table["legacy-symbols"] = list(value)
            yield where, table, ok
    for name in spec.required:
        yield f"{path}.{name} missing", {k: v for k, v in base.items() if k != name}, False
    if spec.one_of:
        yield f"{path} without {spec.one_of}", {k: v for k, v in base.items() if k not in spec.one_of}, False
    yield f"{path}.unknown-key", {**base, "unknown-key": 1}, False
    if path:
        yield path, "s", False


def _documents() -> list[tuple[str, dict, bool]]:
    documents = []
    for where, document, ok in _variants(keys.FILE_TABLE):
        if where.startswith(".extend-groups") and isinstance(document.get("extend-groups"), list):
            entry = document["extend-groups"][0]
            name = entry.get("name") if isinstance(entry, dict) and isinstance(entry.get("name"), str) else "x"
            document = {**document, "groups": [{**_minimal(keys.GROUP), "name": name or "x"}]}  # one to extend
        documents.append((where, document, ok))
    return documents


@pytest.mark.parametrize("where, document, ok", _documents(), ids=lambda x: x if isinstance(x, str) else "")
def test_every_good_and_bad_value_of_every_key_gets_the_same_verdict(validator, tmp_path, where, document, ok):
    schema_ok = not list(validator.iter_errors(document))
    assert (schema_ok, loads(document, tmp_path)) == (ok, ok)


class _Budget:
    """One bad value per document at most, so the loader's first error is the one to compare."""

    def __init__(self, draw: Any) -> None:
        self.draw, self.left = draw, draw(st.booleans())

    def spend(self, odds: int = 4) -> bool:
        if self.left and self.draw(st.integers(1, odds)) == 1:
            self.left = False
            return True
        return False


def _value(draw: Any, budget: _Budget, spec: keys.Spec, path: str) -> Any:
    if isinstance(spec, keys.Scalar):
        good, bad = ([True, False], []) if spec.kind is bool else _POOLS[spec.test]
        if budget.spend():
            return draw(st.sampled_from(bad + [w for w in _WRONG_TYPES if not isinstance(w, spec.kind)
                                               or spec.kind is int and isinstance(w, bool)]))
        return draw(st.sampled_from(good))
    if isinstance(spec, keys.ListOf):
        if budget.spend(20):
            return draw(st.sampled_from(["s", {"k": 1}, 3]))
        size = draw(st.integers(spec.min_items, 3))
        items = [_value(draw, budget, spec.item, f"{path}[]") for _ in range(size)]
        if spec.keyed_by:
            for index, item in enumerate(items):
                if isinstance(item, dict) and spec.keyed_by in item:
                    item[spec.keyed_by] = f"g{index}"
        return items
    if isinstance(spec, keys.MapOf):
        if budget.spend(20):
            return draw(st.sampled_from(["s", ["s"], 3]))
        good_keys, bad_keys = _MAP_KEYS[spec.key_test] if spec.key_test in _MAP_KEYS else _MAP_KEYS[keys._code]
        names = draw(st.lists(st.sampled_from(good_keys), max_size=2, unique=True))
        if budget.spend(10):
            names.append(draw(st.sampled_from(bad_keys)))
        return {name: _value(draw, budget, spec.value, path) for name in names}
    assert isinstance(spec, keys.Table)
    if path and budget.spend(20):
        return draw(st.sampled_from(["s", ["s"], 3]))
    table: dict[str, Any] = {}
    names = draw(st.lists(st.sampled_from(list(spec.fields)), max_size=5, unique=True))
    for name in [*spec.required, *names]:
        if name in spec.required and budget.spend(20):
            continue  # a required key missing
        if name not in table:
            table[name] = _value(draw, budget, spec.fields[name], f"{path}.{name}")
    if spec.one_of and not any(k in table for k in spec.one_of) and not budget.spend(20):
        table[spec.one_of[0]] = _value(draw, budget, spec.fields[spec.one_of[0]], path)
    if budget.spend(20):
        table["unknown-key"] = 1
    if "legacy-symbols" in spec.fields and isinstance(table.get("replacements"), dict):
        legacy = table.get("legacy-symbols") if isinstance(table.get("legacy-symbols"), list) else []
        table["replacements"] = {symbol: "none" for symbol in legacy if isinstance(symbol, str)}
    return table


@st.composite
def documents(draw: Any) -> dict:
    return _value(draw, _Budget(draw), keys.FILE_TABLE, "")


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents())
def test_generated_documents_get_the_same_verdict(schema, tmp_path_factory, document):
    validator = jsonschema.Draft202012Validator(schema)
    schema_ok = not list(validator.iter_errors(document))
    try:
        parse_config_table(copy.deepcopy(document), "x.toml", tmp_path_factory.getbasetemp())
        loader_ok, problem = True, ""
    except ConfigError as exc:
        loader_ok, problem = False, exc.problem
    if loader_ok:
        assert schema_ok, document
    elif not any(p in problem for p in LOADER_ONLY_PROBLEMS):
        assert not schema_ok, (problem, document)
