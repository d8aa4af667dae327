"""The audit's tables, from sites: what each table counts and how (pure: no files, no git)."""

from __future__ import annotations

import itertools
from pathlib import Path

from ssot_lsp.audit.comparison import compare
from ssot_lsp.audit.sites import CANONICAL, DUPLICATE, LEGACY, OTHER, Site, role_of, subject, subject_depends_on
from ssot_lsp.audit.tables import NO_GROUP, build_tables, directory_of
from ssot_lsp.config.loader import parse_config_table
from ssot_lsp.core import baseline as core
from ssot_lsp.core.rules.registry import ALL
from ssot_lsp.core.text import Span
from ssot_lsp.core.violations import Violation

CONFIG = parse_config_table({
    "test-paths": ["tests/**"],
    "groups": [{"name": "engine", "canonical": "app.engine:Engine", "legacy-modules": ["app.old_engine"],
                "legacy-symbols": ["app.old_engine:OldEngine"]},
               {"name": "emitter", "canonical": "app.emit:Emitter"}],
}, "test", Path("/ws"))


def site(code: str, subject_name: str, path: str, group: str | None = "engine", line: int = 1,
         defines: bool = False) -> Site:
    return Site(code, group, subject_name, path, line, path.startswith("tests/"), "warning", f"{code} here", defines)


def test_a_subject_is_the_class_a_finding_is_about_whatever_form_the_rule_names_it_in():
    modules = {"app.old_engine", "app"}
    assert subject("app.old_engine:OldEngine", modules) == "app.old_engine:OldEngine"
    assert subject("app.engine:Engine.create_from_legacy", modules) == "app.engine:Engine"
    assert subject("app.engine:Engine as OldEngine", modules) == "app.engine:Engine"
    assert subject("app.old_engine.OldEngine.run", modules) == "app.old_engine:OldEngine"
    assert subject("app.old_engine", modules) == "app.old_engine"
    assert subject("gone.module.Thing", modules) == "gone.module.Thing"


def test_the_role_says_canonical_legacy_duplicate_or_other():
    engine = CONFIG.group("engine")
    assert role_of(engine, "app.engine:Engine", False) == CANONICAL
    assert role_of(engine, "app.old_engine:OldEngine", False) == LEGACY
    assert role_of(engine, "app.old_engine.sub:Thing", False) == LEGACY  # below a legacy module
    assert role_of(engine, "app.copy:Engine2", True) == DUPLICATE
    assert role_of(engine, "app.copy:Engine2", False) == OTHER


def test_symbols_count_sites_per_rule_files_and_production_apart_from_tests():
    sites = [site("SSOT001", "app.old_engine:OldEngine", "app/a.py"),
             site("SSOT002", "app.old_engine:OldEngine", "app/a.py", line=5),
             site("SSOT001", "app.old_engine:OldEngine", "tests/test_a.py"),
             site("SSOT004", "app.copy:Engine2", "app/copy.py", defines=True),
             site("SSOT006", "app.relay:Relay", "app/relay.py", group="emitter", defines=True)]
    tables = build_tables(sites, CONFIG)
    rows = {(r.group, r.subject): r for r in tables.symbols}
    old = rows[("engine", "app.old_engine:OldEngine")]
    assert (old.by_rule, old.sites, old.files, old.production, old.tests, old.role) == (
        {"SSOT001": 2, "SSOT002": 1}, 3, 2, 2, 1, LEGACY)
    assert rows[("engine", "app.copy:Engine2")].role == DUPLICATE
    assert [r.group for r in tables.symbols] == ["engine", "engine", "emitter"]  # configuration order, most first


def test_the_columns_follow_the_registry_so_a_new_rule_needs_no_edit():
    codes = [rule.code for rule in ALL]
    sites = [site(codes[-1], "app.old_engine:OldEngine", "app/a.py"), site(codes[0], "app.old_engine:OldEngine", "a.py")]
    assert build_tables(sites, CONFIG).codes == [codes[0], codes[-1]]
    fake = build_tables([site("SSOT999", "app.old_engine:OldEngine", "a.py")], CONFIG, codes=[*codes, "SSOT999"])
    assert fake.codes == ["SSOT999"] and fake.symbols[0].by_rule == {"SSOT999": 1}


def test_directories_at_a_depth_split_production_and_tests():
    assert directory_of("svc/app/x.py", 1) == "svc"
    assert directory_of("svc/app/x.py", 2) == "svc/app"
    assert directory_of("svc/x.py", 3) == "svc"
    assert directory_of("x.py", 1) == "."
    sites = [site("SSOT001", "s", "svc/app/x.py"), site("SSOT001", "s", "svc/app/x.py", line=2),
             site("SSOT001", "s", "tests/svc/test_x.py"), site("SSOT009", "syntax-error", "svc/y.py", group=None)]
    rows = {r.directory: r for r in build_tables(sites, CONFIG, depth=1).directories}
    assert (rows["svc"].production_sites, rows["svc"].production_files, rows["svc"].test_sites) == (3, 2, 0)
    assert rows["svc"].by_group == {"engine": 2, NO_GROUP: 1}
    assert (rows["tests"].test_sites, rows["tests"].test_files) == (1, 1)
    assert {r.directory for r in build_tables(sites, CONFIG, depth=2).directories} == {"svc/app", "svc", "tests/svc"}


def test_broken_lists_the_findings_of_the_broken_by_migration_code():
    sites = [site("SSOT011", "app.engine:Engine", "app/b.py"), site("SSOT001", "app.old_engine:OldEngine", "app/a.py")]
    tables = build_tables(sites, CONFIG, codes=[rule.code for rule in ALL] + ["SSOT011"])
    assert tables.broken_available and [s.path for s in tables.broken] == ["app/b.py"]
    assert not build_tables(sites, CONFIG, codes=["SSOT001"]).broken_available


def violation(code: str, path: str, line: int, symbol: str = "app.old_engine:OldEngine") -> Violation:
    return Violation(code, "m", path, Span(line, 0, line, 3), "warning", "engine", line, symbol)


def test_against_a_baseline_each_finding_is_new_or_remaining_and_what_is_gone_is_fixed():
    old = [violation("SSOT001", "a.py", 0), violation("SSOT002", "a.py", 4), violation("SSOT001", "b.py", 0)]
    lines = {("a.py", 0): "from app.old_engine import OldEngine", ("a.py", 4): "OldEngine()",
             ("b.py", 0): "import app.old_engine"}

    def key(v: Violation) -> core.Keyed:
        return core.Keyed(v, (v.path, v.code, v.fingerprint(lines[(v.path, v.span.line)])))

    baseline = core.build(key(v) for v in old)
    now = [old[0], violation("SSOT002", "a.py", 7), violation("SSOT001", "c.py", 0)]  # b.py fixed; a.py moved
    lines[("a.py", 7)] = "OldEngine()"
    lines[("c.py", 0)] = "from app.old_engine import OldEngine"
    items = [key(v) for v in now]
    result = compare(baseline, items, [site(v.code, v.symbol, v.path, line=v.span.line + 1) for v in now], "bl.json")
    assert (result.recorded, result.remaining, result.new, result.fixed) == (3, 2, 1, 1)
    assert [s.path for s in result.new_sites] == ["c.py"]
    assert [(e.path, e.code, e.count) for e in result.fixed_entries] == [("b.py", "SSOT001", 1)]
    assert result.by_rule["SSOT001"].fixed == 1 and result.by_rule["SSOT001"].new == 1


def test_a_subject_changes_with_the_module_set_only_when_a_module_it_names_comes_or_goes():
    """``audit --history`` keeps a finding's subject while no module it depends on was added or
    removed: for every module set and every change to it, a subject that does not depend on the
    change is the same before and after."""
    universe = ["app", "app.jobs", "app.jobs.legacy", "app.jobs.legacy.OldEngine", "app.other", "tools"]
    subsets = [set(c) for n in range(len(universe) + 1) for c in itertools.combinations(universe, n)]
    for symbol in ("app.jobs.legacy.OldEngine.start", "app.jobs.legacy.OldEngine", "app.jobs.legacy:OldEngine",
                   "app.jobs.legacy.OldEngine as Engine"):
        for modules in subsets:
            for changed in subsets:
                if not subject_depends_on(symbol, changed):
                    assert subject(symbol, modules) == subject(symbol, modules ^ changed), (symbol, modules, changed)
    assert subject_depends_on("app.jobs.legacy.OldEngine.start", {"app.jobs.legacy"})
    assert not subject_depends_on("app.jobs.legacy.OldEngine.start", {"app.other", "tools"})
