"""Rule docs: one page per code, shipped copies identical, and the configuration page complete."""

from __future__ import annotations

import json
import re
import tomllib
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from ssot_lsp.config.loader import parse_config_table
from ssot_lsp.core.codes import RULES

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs" / "rules"
SHIPPED = REPO / "ssot_lsp" / "data" / "rules"


@pytest.mark.parametrize("code", list(RULES))
def test_every_rule_has_a_docs_page_with_the_required_sections(code):
    text = (DOCS / f"{code}.md").read_text(encoding="utf-8")
    assert text.startswith(f"# {code} — {RULES[code].name}")
    for section in ("## What it finds", "## Why it matters", "## Example", "## The fix", "## Configuration",
                    "## How to suppress", "jedi"):
        assert section in text, section


@pytest.mark.parametrize("code", list(RULES))
def test_shipped_rule_page_is_identical_to_the_docs_page(code):
    assert (SHIPPED / f"{code}.md").read_bytes() == (DOCS / f"{code}.md").read_bytes()


def test_no_extra_pages_in_either_copy():
    assert sorted(p.name for p in DOCS.glob("*.md")) == sorted(p.name for p in SHIPPED.glob("*.md")) \
        == sorted(f"{code}.md" for code in RULES)


def test_rule_page_is_readable_as_package_resource():
    text = resources.files("ssot_lsp").joinpath("data", "rules", "SSOT001.md").read_text(encoding="utf-8")
    assert text.startswith("# SSOT001")


def config_doc() -> str:
    return (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")


def test_configuration_doc_names_every_schema_key():
    schema = json.loads((REPO / "ssot_lsp" / "config" / "schema.json").read_text(encoding="utf-8"))
    keys = set(schema["properties"])
    for definition in schema["$defs"].values():
        keys |= set(definition.get("properties", {}))
    missing = sorted(k for k in keys if f"`{k}`" not in config_doc())
    assert missing == []


def test_configuration_doc_full_example_is_valid(tmp_path):
    block = re.search(r"## Full example.*?```toml\n(.*?)```", config_doc(), re.S)[1]
    table = tomllib.loads(block)["tool"]["ssot-lsp"]
    schema = json.loads((REPO / "ssot_lsp" / "config" / "schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(table)
    config = parse_config_table(table, "example", tmp_path)
    assert [g.name for g in config.groups] == ["engine", "supervisor", "emitter"]
