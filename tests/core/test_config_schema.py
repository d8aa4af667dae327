"""ssot_lsp/config/schema.json describes exactly what the loader accepts."""

from __future__ import annotations

import copy
import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from ssot_lsp.config.defaults import DEFAULT_PROFILE
from ssot_lsp.config.loader import ConfigError, parse_config_table
from ssot_lsp.core.codes import RULES, SEVERITIES

LOADER = Path(__file__).resolve().parents[2] / "ssot_lsp" / "config" / "loader.py"


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(resources.files("ssot_lsp").joinpath("config", "schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema):
    return jsonschema.Draft202012Validator(schema)


def test_schema_is_valid_draft_2020_12(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_default_profile_validates(validator):
    validator.validate(DEFAULT_PROFILE)


def all_property_names(schema) -> set[str]:
    names = set(schema["properties"])
    for definition in schema["$defs"].values():
        names |= set(definition.get("properties", {}))
    return names


def test_schema_names_every_key_the_loader_reads(schema):
    # the loader reads keys through _Reader objects named r, fr, cr, pr
    read = set(re.findall(r"\b[fcp]?r\.(?:get|strings)\(\"([a-z-]+)\"", LOADER.read_text(encoding="utf-8")))
    assert read <= all_property_names(schema)
    assert all_property_names(schema) <= read


def test_every_object_refuses_unknown_keys(schema):
    objects = [schema, *(d for d in schema["$defs"].values() if d.get("type") == "object" and "properties" in d)]
    assert all(obj["additionalProperties"] is False for obj in objects)


def test_every_property_has_a_description(schema):
    for owner in [schema, *schema["$defs"].values()]:
        for name, prop in owner.get("properties", {}).items():
            if "$ref" not in prop or name in ("canonical", "module"):
                assert prop.get("description"), name


def test_severity_and_code_enums_match_the_core(schema):
    assert schema["$defs"]["severity"]["enum"] == [*SEVERITIES, "off"]
    assert schema["$defs"]["code"]["enum"] == list(RULES)


INVALID = {
    "unknown top-level key": {"selct": ["SSOT001"]},
    "unknown severity": {"severity": {"SSOT001": "fatal"}},
    "unknown code": {"severity": {"SSOT042": "error"}},
    "wrong type": {"respect-gitignore": "yes"},
    "zero size": {"max-file-size-kb": 0},
    "group without canonical": {"groups": [{"name": "g"}]},
    "bad canonical": {"groups": [{"name": "g", "canonical": "a.B"}]},
    "unknown group key": {"groups": [{"name": "g", "canonical": "a:B", "legacy": []}]},
    "factory without context": {"groups": [{"name": "g", "canonical": "a:B", "factory": {"create": "make()"}}]},
    "negative context position": {"groups": [{"name": "g", "canonical": "a:B",
                                              "context-args": {"a:C": {"position": -1}}}]},
    "per-path without paths": {"per-path": [{"severity": {"*": "hint"}}]},
    "bad module name": {"groups": [{"name": "g", "canonical": "a:B", "legacy-modules": ["a-b"]}]},
}


@pytest.mark.parametrize("table", INVALID.values(), ids=INVALID.keys())
def test_invalid_examples_fail_the_schema(validator, table):
    assert list(validator.iter_errors(table))


@pytest.mark.parametrize("table", INVALID.values(), ids=INVALID.keys())
def test_invalid_examples_fail_the_loader_too(table, tmp_path):
    with pytest.raises(ConfigError):
        parse_config_table(copy.deepcopy(table), "x.toml", tmp_path)


def test_a_full_example_validates_and_loads(validator, tmp_path):
    table = copy.deepcopy(DEFAULT_PROFILE)
    table.update({"source-roots": ["src"], "include": ["**/*.py"], "respect-gitignore": False, "select": ["SSOT00"],
                  "ignore": ["SSOT010"], "baseline": ".ssot-baseline.json", "max-file-size-kb": 2048})
    table["groups"][0]["needles"] = ["Engine"]
    validator.validate(table)
    parse_config_table(table, "x.toml", tmp_path)
