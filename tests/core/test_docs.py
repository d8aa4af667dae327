"""Rule docs: one generated page per code, stating the declared fix safety, and the configuration page complete."""

from __future__ import annotations

import json
import re
import tomllib
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from ssot_lsp.config.loader import parse_config_table
from ssot_lsp.core.rules.docs import NO_FIX, SAFETY_SENTENCES, fix_section, render_page, stale_pages
from ssot_lsp.core.rules.registry import ALL, RULES

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "ssot_lsp" / "data" / "rules"


def test_shipped_pages_are_the_pages_generated_from_the_rule_objects():
    """One source: `python -m ssot_lsp.core.rules.docs` regenerates them after a rule changes."""
    assert stale_pages(SHIPPED) == []
    assert sorted(p.name for p in SHIPPED.glob("*.md")) == sorted(f"{code}.md" for code in RULES)


def test_a_changed_rule_makes_its_page_stale(tmp_path):
    for rule in ALL:
        (tmp_path / f"{rule.code}.md").write_text(render_page(rule), encoding="utf-8")
    assert stale_pages(tmp_path) == []
    (tmp_path / "SSOT002.md").write_text(render_page(RULES["SSOT002"]).replace("unsafe", "safe"), encoding="utf-8")
    assert stale_pages(tmp_path) == ["SSOT002.md"]


@pytest.mark.parametrize("code", list(RULES))
def test_every_rule_page_has_the_required_sections(code):
    text = render_page(RULES[code])
    assert text.startswith(f"# {code} — {RULES[code].name}")
    for section in ("## What it finds", "## Why it matters", "## Example", "## The fix", "## Configuration",
                    "## How to suppress", "jedi"):
        assert section in text, section


@pytest.mark.parametrize("code", list(RULES))
def test_the_fix_section_states_the_declared_safety_and_nothing_else_does(code):
    rule = RULES[code]
    section = fix_section(rule)
    expected = SAFETY_SENTENCES[rule.fix.safety] if rule.fix is not None else NO_FIX
    assert section.startswith(expected)
    prose = " ".join(filter(None, [rule.finds, rule.by_hand, rule.fix.summary if rule.fix else ""]))
    for claim in ("**safe", "**unsafe", "is safe", "is unsafe", "always safe", "Automatic fix"):
        assert claim not in prose, claim


def test_rules_without_a_fix_say_so_and_rules_with_one_name_its_class():
    assert "**No automatic fix.**" in render_page(RULES["SSOT004"])
    assert "**Automatic fix: unsafe.**" in render_page(RULES["SSOT003"])  # issue 15: the factory call
    assert "**Automatic fix: unsafe.**" in render_page(RULES["SSOT002"])  # its old page called it safe


def test_pages_link_nothing_that_does_not_exist():
    for rule in ALL:
        text = render_page(rule)
        assert "https://" not in text and "http://" not in text
        for target in re.findall(r"\]\(([^)]+)\)", text):
            assert (SHIPPED / target).is_file(), (rule.code, target)


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
