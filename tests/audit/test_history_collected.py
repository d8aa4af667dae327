"""A later commit of ``audit --history`` collects only the per-file results that may have changed and
keeps the sums of the others (``audit/history/collected.py``, ``Reuse.collect``): the sums must be
those of every file's results, whatever came and went in between."""

from __future__ import annotations

import itertools
import random

from ssot_lsp.audit.history.collected import DiscoveredNameCounts, OrderedFindings
from ssot_lsp.audit.history.configuration import ConfigurationAt
from ssot_lsp.audit.history.git import Repository
from ssot_lsp.audit.history.points import point_dict
from ssot_lsp.audit.history.reuse import Reuse, changed_parts
from ssot_lsp.audit.history.run import HistoryRun, HistorySettings
from ssot_lsp.config.loader import default_config
from ssot_lsp.core.facts import FileFacts, extract_facts
from ssot_lsp.core.text import Span
from ssot_lsp.core.violations import Violation
from tests.audit.conftest import History
from tests.audit.test_history_incremental import ATTRIBUTE_CALLER, COMPAT_CANONICAL, COMPAT_LEGACY, run_for
from tests.cli.conftest import SMALL_CONFIG, SMALL_FILES, run_ssot


def union(results: dict[str, tuple[set[str], dict[str, set[str]]]]) -> tuple[set[str], dict[str, set[str]]]:
    names: set[str] = set()
    tails: dict[str, set[str]] = {}
    for found, binders in results.values():
        names |= found
        for name, more in binders.items():
            tails.setdefault(name, set()).update(more)
    return names, tails


def test_discovered_names_are_the_union_of_every_files_after_any_sequence_of_changes():
    rng = random.Random(7)
    words = ["_Engine", "_Runner", "_Old"]
    tails = ["compat", "engines", "api"]
    summed = DiscoveredNameCounts()
    results: dict[str, tuple[set[str], dict[str, set[str]]]] = {}
    for _ in range(300):
        path = rng.choice(["a.py", "b.py", "c.py", "d.py"])
        old = results.get(path)
        if old is not None and rng.random() < 0.3:
            new = None
            del results[path]
        else:
            found = {w for w in words if rng.random() < 0.4}
            new = (found, {w: {rng.choice(tails)} for w in found})
            results[path] = new
        assert summed.update([(path, old, new)]) == union(results)


def test_a_name_two_files_discover_stays_until_neither_does():
    summed = DiscoveredNameCounts()
    first, second = ({"_Engine"}, {"_Engine": {"compat"}}), ({"_Engine"}, {"_Engine": {"compat"}})
    summed.update([("a.py", None, first), ("b.py", None, second)])
    assert summed.update([("a.py", first, (set(), {}))]) == ({"_Engine"}, {"_Engine": {"compat"}})
    assert summed.update([("b.py", second, None)]) == (set(), {})


def violation(path: str, line: int, code: str = "SSOT001") -> Violation:
    return Violation(code=code, message="m", path=path, span=Span(line, 0, line, 1), severity="warning")


def test_findings_in_path_order_are_the_sorted_findings_after_files_gain_and_lose_findings():
    ordered = OrderedFindings()
    findings: dict[str, list[Violation]] = {}
    rng = random.Random(3)
    paths = [f"/ws/app/m{n}.py" for n in range(12)]
    for _ in range(200):
        path = rng.choice(paths)
        old = findings.get(path)
        new = sorted((violation(path, rng.randrange(30)) for _ in range(rng.randrange(3))), key=Violation.sort_key)
        if rng.random() < 0.2:
            findings.pop(path, None)
            change = (path, old, None)
        else:
            findings[path] = new
            change = (path, old, new)
        ordered.update([change])
        got = ordered.flattened(findings)
        assert got == sorted(itertools.chain.from_iterable(findings.values()), key=Violation.sort_key)


def test_a_kept_files_dotted_target_gets_its_subject_again_when_a_module_it_names_comes_and_goes(history: History):
    """A file's sites are kept while its findings are the same list; a dotted target's subject also
    depends on which of its prefixes are modules, so a module it names coming or going makes it anew."""
    history.commit({"app/__init__.py": ""}, "A package")
    root = history.repo.resolve()
    run = HistoryRun(Repository(root), root, "", ConfigurationAt(root, None, None, None, None), HistorySettings())
    try:
        config = default_config(root)
        path = f"{run.named.root}tests/test_engine.py"
        findings = {path: [Violation(code="SSOT007", message="m", path=path, span=Span(3, 4, 3, 40), severity="warning",
                                     symbol="app.jobs.legacy.OldEngine.start")]}

        changed = {path}

        def subjects() -> list[str]:
            sites = run.ledger.update(findings, [path], changed, config, run.named.modules,
                                      run.named.take_come_or_gone(), (), {})
            changed.clear()  # the same list from now on
            return [s.subject for s in sites.flat()[0]]

        legacy = {"app/jobs/legacy.py": "0" * 40}
        assert subjects() == ["app.jobs.legacy.OldEngine.start"]
        run.named.update(legacy, legacy, {"app/jobs/legacy.py": ("app.jobs.legacy", False)})
        assert subjects() == ["app.jobs.legacy:OldEngine"]
        run.named.update(legacy, {}, {})
        assert subjects() == ["app.jobs.legacy.OldEngine.start"]
    finally:
        run.source.close()
        run.repo.close()


def test_the_baseline_keys_of_an_unchanged_file_whose_findings_changed_are_made_anew(history: History):
    """``app/user.py`` never changes; what it constructs through ``import app.compat`` does, after a
    baseline was recorded: its findings are another list with the same blob, keyed again."""
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES, "app/user.py": ATTRIBUTE_CALLER,
                    "app/compat.py": COMPAT_LEGACY}, "user reaches the legacy class through compat")
    recorded = run_ssot("baseline", cwd=history.repo)
    assert recorded.returncode == 0, recorded.stderr
    history.commit({}, "Record a baseline")
    history.commit({"app/compat.py": COMPAT_CANONICAL}, "compat now re-exports the canonical class")
    history.commit({"app/compat.py": COMPAT_LEGACY}, "back to the legacy class")
    run = run_for(history.repo)
    commits = run.repo.commits("main")
    points = run.run(commits)
    user = [sorted((s.line, s.code) for s in p.sites if s.path == "app/user.py") for p in points]
    assert user[1] and user[2] != user[1] and user[3] == user[1]  # or this proves nothing
    for commit, point in zip(commits, points):
        alone = run_for(history.repo).run([commit])[0]
        assert point.comparison is not None or commit == commits[0]
        # what depends on the commits before by definition: the commit that first had the configuration's
        # blob names it, and whether this one recorded the baseline
        unlike = {"configuration": "", "baseline_recorded": False}
        assert {**point_dict(point, True), **unlike} == {**point_dict(alone, True), **unlike}, commit.short


LEGACY_PACKAGE = SMALL_CONFIG.replace('legacy-modules = ["app.old_engine"]', 'legacy-modules = ["app.old_engine", "app.legacy"]')
PACKAGE_USER = "import app.legacy\n\n\ndef run():\n    return app.legacy\n"


def test_an_unchanged_import_of_a_namespace_package_is_broken_once_its_last_module_is_gone_and_whole_again(
        history: History):
    """``app/user.py`` never changes; ``app.legacy`` is a package only while a module lies below it,
    which commits remove and add while other modules come and go."""
    history.commit({"pyproject.toml": LEGACY_PACKAGE, **SMALL_FILES, "app/user.py": PACKAGE_USER,
                    "app/legacy/engine.py": "class LegacyEngine:\n    pass\n"}, "A legacy namespace package")
    history.commit({"app/helpers.py": "def helper():\n    return 1\n"}, "Another module")
    history.commit({"app/legacy/engine.py": None}, "The legacy package's last module is gone")
    history.commit({"app/tools.py": "def tool():\n    return 2\n"}, "Another module")
    history.commit({"app/legacy/other.py": "VALUE = 1\n"}, "A module below the legacy package again")
    run = run_for(history.repo)
    commits = run.repo.commits("main")
    points = run.run(commits)
    broken = [[s.line for s in p.sites if s.path == "app/user.py" and s.code == "SSOT011"] for p in points]
    assert broken == [[], [], [1], [1], []]
    for commit, point in zip(commits, points):
        alone = run_for(history.repo).run([commit])[0]
        assert point.sites == alone.sites, commit.short


def test_the_results_of_files_gone_are_dropped_whichever_were_noted_since():
    """``Reuse.forget`` looks only at the paths noted since its last call: a file leaves the scan's
    files only by being noted (read again, carried over as changed, or a scan reading every file)."""
    reuse = Reuse()
    loaded = {path: FileFacts(path, module, False) for path, module in (("/ws/a.py", "a"), ("/ws/b.py", "b"),
                                                                         ("/ws/c.py", "c"))}
    reuse.collect("analyse", loaded, lambda facts: [facts.module])
    reuse.forget(loaded.keys())
    assert set(reuse.tables["analyse"]) == {"/ws/a.py", "/ws/b.py", "/ws/c.py"}
    del loaded["/ws/b.py"]
    reuse.note(["/ws/b.py"])  # carried over as changed: gone
    reuse.forget(loaded.keys())
    assert set(reuse.tables["analyse"]) == {"/ws/a.py", "/ws/c.py"}
    loaded.clear()
    reuse.note(None)  # every file read again: any may be gone
    reuse.forget(loaded.keys())
    assert reuse.tables["analyse"] == {}


def test_a_commit_without_python_files_drops_every_result(history: History):
    """Its scan reads nothing and carries nothing over: every file of the commit before is gone."""
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES, "app/user.py": ATTRIBUTE_CALLER,
                    "app/compat.py": COMPAT_LEGACY}, "Legacy users")
    history.commit({path: None for path in [*SMALL_FILES, "app/user.py", "app/compat.py"]}, "No Python left")
    run = run_for(history.repo)
    commits = run.repo.commits("main")
    run.point(commits[0])
    assert run.reuse.tables["analyse"]
    run.point(commits[1])
    assert not any(run.reuse.tables.values())
    run.source.close()
    run.repo.close()


STATEMENTS = ["from app.old_engine import OldEngine", "import app.compat", "__all__ = ['run']",
              "from app.helpers import *", "Alias = app.compat.Engine", "OldEngine()", "app.compat.Engine()",
              "patch('app.old_engine.OldEngine')", "class Runner(OldEngine):\n    pass",
              "def run(engine):\n    from app.engine import Engine\n    return Engine()", "x = 1  # ssot: ignore",
              "def broken(:"]


def every_changed_part(old: FileFacts, new: FileFacts) -> set[tuple[str, str]]:
    """``changed_parts`` as it was: every part compared."""
    import dataclasses

    from ssot_lsp.audit.history.reuse import ANY, TRACKED, UNSEEN
    out = changed_parts(old, new) - {(new.module, token) for token in ("all", "star", ANY)}
    for item in dataclasses.fields(FileFacts):
        if item.name not in UNSEEN and getattr(old, item.name) != getattr(new, item.name):
            out.add((new.module, TRACKED.get(item.name, ANY)))
    return out


def test_the_changed_parts_of_two_facts_are_those_comparing_every_part_finds():
    rng = random.Random(5)
    found_any = 0
    for _ in range(300):
        old, new = ("\n".join(rng.sample(STATEMENTS, rng.randrange(1, 6))) + "\n" for _ in range(2))
        before, after = (extract_facts(text, "/ws/app/m.py", "app.m") for text in (old, new))
        parts = changed_parts(before, after)
        assert parts == every_changed_part(before, after), (old, new)
        found_any += ("app.m", "") in parts
    assert found_any > 50
