"""Stale configuration is named: every configured module, symbol, compat constructor, `context-args`
key, `allowed` entry, `replacements` value, factory module and `factory.imports` entry the workspace
does not contain, in one warning (stderr, JSON, SARIF, `--show-settings`). Never an error, never a
different exit code; and never a false alarm for what the prefilter skipped or the facts cannot see."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# every kind of entry once, each naming something that exists
PRESENT = """\
[tool.ssot-lsp]

[[tool.ssot-lsp.groups]]
name = "engine"
canonical = "app.engine:Engine"
factory-modules = ["app.factory"]
legacy-modules = ["app.old_engine"]
legacy-symbols = ["app.old_engine:OldEngine", "app.old_engine:RetiredEngine"]
allowed = ["app.helpers:Helper", "Anything"]
compat-constructors = ["from_old"]
replacements = { "app.old_engine:RetiredEngine" = "app.engine:Engine" }

[tool.ssot-lsp.groups.context-args]
"app.old_engine:OldEngine" = { keyword = "ctx" }
"app.engine:Engine.from_old" = { position = 0 }

[tool.ssot-lsp.groups.factory]
module = "app.factory"
imports = ["app.factory:make"]
create = "make({context})"
"""

FILES = {
    "app/__init__.py": "",
    "app/engine.py": "class Base:\n    @classmethod\n    def from_old(cls, ctx):\n        return cls()\n\n\n"
                     "class Engine(Base):\n    pass\n",
    "app/factory.py": "from app.engine import Engine\n\n\ndef make(ctx):\n    return Engine()\n",
    "app/old_engine.py": "class OldEngine:  # ssot: ignore[SSOT004]\n    pass\n\n\n"
                         "class RetiredEngine:  # ssot: ignore[SSOT004]\n    pass\n",
    # no needle in it: the prefilter skips it, and Helper must still be found
    "app/helpers.py": "class Helper:\n    pass\n",
    "app/user.py": "from app.old_engine import OldEngine\n\n\ndef run():\n    return OldEngine()\n",
}

# the same configuration, each entry naming something that is gone
STALE = (PRESENT
         .replace('legacy-modules = ["app.old_engine"]', 'legacy-modules = ["app.old_engine", "app.removed"]')
         .replace('"app.old_engine:RetiredEngine"]', '"app.old_engine:RetiredEngine", "app.old_engine:GoneEngine"]')
         .replace('allowed = ["app.helpers:Helper", "Anything"]', 'allowed = ["app.helpers:Helper", "app.helpers:Gone", "Anything"]')
         .replace('compat-constructors = ["from_old"]', 'compat-constructors = ["from_old", "from_legacy"]')
         .replace('= "app.engine:Engine" }', '= "app.engine:NewEngine" }')
         .replace('"app.engine:Engine.from_old" = { position = 0 }',
                  '"app.engine:Engine.from_old" = { position = 0 }\n"app.engine:Engine.create_from_legacy" = { position = 0 }')
         .replace('factory-modules = ["app.factory"]', 'factory-modules = ["app.factory", "app.old_factory"]')
         .replace('module = "app.factory"\nimports = ["app.factory:make"]', 'module = "app.gone_factory"\nimports = ["app.factory:make", "app.factory:make_engine"]'))

EXPECTED = [
    ("groups[engine].factory-modules", "app.old_factory"),
    ("groups[engine].factory.module", "app.gone_factory"),
    ("groups[engine].factory.imports", "app.factory:make_engine"),
    ("groups[engine].legacy-modules", "app.removed"),
    ("groups[engine].legacy-symbols", "app.old_engine:GoneEngine"),
    ("groups[engine].allowed", "app.helpers:Gone"),
    ("groups[engine].compat-constructors", "from_legacy"),
    ("groups[engine].context-args", "app.engine:Engine.create_from_legacy"),
    ("groups[engine].replacements", "app.old_engine:RetiredEngine = app.engine:NewEngine"),
]


@pytest.fixture
def project(tmp_path: Path, write_files):
    def make(config: str) -> Path:
        root = tmp_path / "ws"
        write_files({"pyproject.toml": config, **FILES}, root)
        return root

    return make


def stale_in_json(ssot, root: Path) -> list[dict]:
    run = ssot("check", "--format", "json", "--no-cache", cwd=root)
    assert run.returncode == 1, run.stderr
    return json.loads(run.stdout)["stale-configuration"]


def test_every_kind_of_stale_entry_is_named_in_one_warning(ssot, project):
    root = project(STALE)
    run = ssot("check", "--no-cache", cwd=root)
    warnings = [line for line in run.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and f"{len(EXPECTED)} entries" in warnings[0]
    listed = [line.strip() for line in run.stderr.splitlines() if line.startswith("  ")]
    assert [line.split(": ")[0:2] for line in listed] == [[key, entry] for key, entry in EXPECTED]
    assert all(line.endswith("(pyproject.toml)") or "pyproject.toml" in line for line in listed)


def test_json_names_key_entry_problem_and_origin(ssot, project):
    entries = stale_in_json(ssot, project(STALE))
    assert [(e["key"], e["entry"]) for e in entries] == EXPECTED
    by_entry = {e["entry"]: e for e in entries}
    assert by_entry["app.removed"]["problem"] == "no such module"
    assert by_entry["app.old_engine:GoneEngine"]["problem"] == "its module does not define it"
    assert by_entry["from_legacy"]["problem"] == "Engine has no method from_legacy"
    assert all(e["origin"].startswith("pyproject.toml") for e in entries)


def test_nothing_is_named_when_everything_exists(ssot, project):
    root = project(PRESENT)
    run = ssot("check", "--no-cache", cwd=root)
    assert "warning" not in run.stderr, run.stderr
    assert stale_in_json(ssot, root) == []


def test_stale_entries_change_neither_findings_nor_exit_code(ssot, project, tmp_path):
    present = ssot("check", "--format", "json", "--no-cache", cwd=project(PRESENT))
    stale_root = project(STALE)
    stale = ssot("check", "--format", "json", "--no-cache", cwd=stale_root)
    assert stale.returncode == present.returncode == 1
    keep = ("code", "path", "line", "column")
    assert [{k: v[k] for k in keep} for v in json.loads(stale.stdout)["violations"]] == \
        [{k: v[k] for k in keep} for v in json.loads(present.stdout)["violations"]]
    (stale_root / "app" / "user.py").unlink()
    clean = ssot("check", "--no-cache", cwd=stale_root)
    assert clean.returncode == 0 and "warning" in clean.stderr


def test_sarif_carries_them_as_configuration_notifications(ssot, project):
    root = project(STALE)
    run = ssot("check", "--format", "sarif", "--no-cache", cwd=root)
    (invocation,) = json.loads(run.stdout)["runs"][0]["invocations"]
    notes = invocation["toolConfigurationNotifications"]
    assert [(n["properties"]["key"], n["properties"]["entry"]) for n in notes] == EXPECTED
    assert {n["level"] for n in notes} == {"warning"} and {n["descriptor"]["id"] for n in notes} == {"stale-configuration"}
    assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pyproject.toml"
    assert invocation["executionSuccessful"] is True


def test_show_settings_names_them(ssot, project):
    root = project(STALE)
    text = ssot("check", "--show-settings", cwd=root)
    assert text.returncode == 0
    assert f"# stale: {len(EXPECTED)} entries name what this workspace does not contain" in text.stdout
    assert "app.old_engine:GoneEngine: its module does not define it" in text.stdout
    document = json.loads(ssot("check", "--show-settings", "--format", "json", cwd=root).stdout)
    assert [(e["key"], e["entry"]) for e in document["stale-configuration"]] == EXPECTED
    assert "# stale" not in ssot("check", "--show-settings", cwd=project(PRESENT)).stdout


def test_fix_and_baseline_warn_too(ssot, project):
    root = project(STALE)
    for command in (["fix", "--dry-run"], ["baseline"]):
        run = ssot(*command, "--no-cache", cwd=root)
        assert f"{len(EXPECTED)} entries naming what this workspace does not contain" in run.stderr, command


@pytest.mark.parametrize("where", [
    # the symbol comes from a star import of a workspace module
    {"app/old_engine.py": "from app._impl import *\n", "app/_impl.py": "class OldEngine:\n    pass\n\n\n"
                                                                         "class RetiredEngine:\n    pass\n"},
    # re-exported by import
    {"app/old_engine.py": "from app._impl import OldEngine, RetiredEngine\n",
     "app/_impl.py": "class OldEngine:\n    pass\n\n\nclass RetiredEngine:\n    pass\n"},
    # a module __getattr__ may provide anything
    {"app/old_engine.py": "def __getattr__(name):\n    raise AttributeError(name)\n"},
    # a star import from outside the workspace may provide anything
    {"app/old_engine.py": "from somewhere_else import *\n"},
])
def test_names_bound_in_ways_the_facts_see_or_cannot_see_are_not_stale(ssot, project, write_files, where):
    root = project(PRESENT)
    write_files(where, root)
    assert stale_in_json(ssot, root) == []


@pytest.mark.parametrize("engine", [
    # a class attribute, not a def
    "def _from_old(cls, ctx):\n    return cls()\n\n\nclass Engine:\n    from_old = classmethod(_from_old)\n",
    # set from outside the class
    "class Engine:\n    pass\n\n\nEngine.from_old = classmethod(lambda cls, ctx: cls())\n",
    # a base class from outside the workspace may define it
    "from somewhere_else import Base\n\n\nclass Engine(Base):\n    pass\n",
])
def test_methods_given_in_ways_the_facts_do_not_record_are_not_stale(ssot, project, write_files, engine):
    root = project(PRESENT)
    write_files({"app/engine.py": engine}, root)
    entries = [e for e in stale_in_json(ssot, root) if e["key"].endswith(("compat-constructors", "context-args"))]
    assert entries == []


def test_a_module_that_is_a_namespace_package_is_present(ssot, project, write_files):
    root = project(PRESENT.replace('legacy-modules = ["app.old_engine"]', 'legacy-modules = ["app.old_engine", "app.plugins"]'))
    write_files({"app/plugins/engine_plugin.py": "x = 1\n"}, root)
    assert stale_in_json(ssot, root) == []


def test_the_profile_on_a_tree_without_its_modules_says_that_instead_of_listing_every_entry(ssot, tmp_path):
    (tmp_path / "x.py").write_text("from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine\n")
    run = ssot("check", "--no-cache", cwd=tmp_path)
    assert "none of the built-in profile's modules are in" in run.stderr
    assert "naming what this workspace does not contain" not in run.stderr


def test_every_dotted_prefix_of_every_module_is_an_enclosing_package():
    """Modules are visited deepest first and in any order: a package met again must not stop a
    shorter prefix from being recorded that an earlier module did not reach."""
    from ssot_lsp.core.stale import enclosing_packages

    modules = ["a.b.c.d", "a.b", "x", "a.b.e.f", "p.q", "p.q.r.s"]
    assert enclosing_packages(modules) == {"a", "a.b", "a.b.c", "a.b.e", "p", "p.q", "p.q.r"}
    assert enclosing_packages(reversed(modules)) == enclosing_packages(modules)
