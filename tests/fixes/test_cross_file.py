"""The cross-file fix's whole verification (fixes/verify_group.py) and `ssot-lsp fix` writing a
cross-file fix all or nothing (issue 15 §4).

For each check of the whole set, a group of changes that only that check rejects: the correct
group (computed by the fix) passes, and one file of it is spoiled by hand.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from tests.fixes.conftest import Workbench, build_tree

C = "netra_backend/app/cases"
SHIM = f"{C}/engine_compat.py"
RUNNER = f"{C}/run_service.py"
DESCRIBE = f"{C}/describe.py"
SETTINGS = f"{C}/settings.py"
FILES = {
    SHIM: ('"""Old import path of the engine; kept until every caller moved."""\n'
           "from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine\n\n"
           "DEFAULT_TIMEOUT = 30\n\n"
           '__all__ = ["DEFAULT_TIMEOUT", "ExecutionEngine"]\n'),
    RUNNER: ("from netra_backend.app.cases.engine_compat import ExecutionEngine\n\n\n"
             "async def run_for(ctx, registry, bridge):\n"
             "    engine = ExecutionEngine(registry, bridge, user_context=ctx)\n"
             "    return await engine.execute_agent('triage', {})\n"),
    DESCRIBE: ("from netra_backend.app.cases.engine_compat import ExecutionEngine as Engine\n\n\n"
               "def describe(engine: Engine) -> str:\n"
               "    return type(engine).__name__\n"),
    SETTINGS: "from netra_backend.app.cases.engine_compat import DEFAULT_TIMEOUT\n\nTIMEOUT = DEFAULT_TIMEOUT * 2\n",
}


def _tree(root: Path) -> Path:
    build_tree(root)
    for rel, text in FILES.items():
        (root / rel).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def group(tmp_path):
    """(workbench, the re-export's finding, its verified cross-file fix)."""
    from ssot_lsp.fixes.cross_file import cross_file_fix

    bench = Workbench(_tree(tmp_path / "ws"))
    shim = str(bench.root / SHIM)
    (site,) = [v for v in bench.result.violations if v.path == shim and v.code == "SSOT001"]
    fix = cross_file_fix(shim, FILES[SHIM], site, bench.index, bench.config,
                         lambda p: Path(p).read_text(encoding="utf-8"), str(bench.root))
    assert fix.reason is None, fix.reason
    return bench, site, fix


def _verify(bench, site, changes):
    from ssot_lsp.fixes.verify_group import verify_group

    return verify_group(site, str(bench.root / SHIM), changes, bench.index, bench.config, str(bench.root))


def _spoil(bench, fix, rel, new_text):
    path = str(bench.root / rel)
    changes = dict(fix.changes)
    changes[path] = replace(changes[path], new_text=new_text)
    return changes


def test_the_computed_group_passes_and_changes_shim_and_importers(group):
    bench, site, fix = group
    assert sorted(os.path.relpath(p, bench.root) for p in fix.changed) == sorted([SHIM, RUNNER, DESCRIBE])
    assert _verify(bench, site, fix.changes) is None
    assert "DEFAULT_TIMEOUT = 30" in fix.changes[str(bench.root / SHIM)].new_text  # the other export stays


def test_a_file_that_would_not_parse_rejects_the_group(group):
    bench, site, fix = group
    broken = fix.changes[str(bench.root / RUNNER)].new_text.replace("async def run_for(", "async def run_for((")
    assert _verify(bench, site, _spoil(bench, fix, RUNNER, broken)).startswith(f"{RUNNER}: the result does not parse")


def test_a_reexport_still_reported_rejects_the_group(group):
    bench, site, fix = group
    kept = FILES[SHIM] + "# touched\n"  # the importers are rewritten, the re-export is not
    assert _verify(bench, site, _spoil(bench, fix, SHIM, kept)) == "the re-export is still reported after the fix"


def test_a_new_finding_in_an_importer_rejects_the_group(group):
    bench, site, fix = group
    extra = fix.changes[str(bench.root / DESCRIBE)].new_text + (
        "from netra_backend.app.agents.supervisor.mcp_execution_engine import MCPEnhancedExecutionEngine\n")
    problem = _verify(bench, site, _spoil(bench, fix, DESCRIBE, extra))
    assert problem.startswith(f"{DESCRIBE}:6: the fix would introduce SSOT001"), problem


def test_a_new_undefined_name_in_an_importer_rejects_the_group(group):
    bench, site, fix = group
    dangling = FILES[DESCRIBE].replace(
        "from netra_backend.app.cases.engine_compat import ExecutionEngine as Engine",
        "from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine")
    problem = _verify(bench, site, _spoil(bench, fix, DESCRIBE, dangling))  # `Engine` is still used
    assert problem == f"{DESCRIBE}:4: `Engine` would be used but not defined", problem


def test_an_import_of_a_name_the_shim_no_longer_defines_rejects_the_group(group):
    bench, site, fix = group
    shim = fix.changes[str(bench.root / SHIM)].new_text.replace("DEFAULT_TIMEOUT = 30\n", "")
    shim = shim.replace('__all__ = ["DEFAULT_TIMEOUT"]', "__all__ = []")
    problem = _verify(bench, site, _spoil(bench, fix, SHIM, shim))  # settings.py imports DEFAULT_TIMEOUT
    assert problem == (f"{SETTINGS}:1: imports `DEFAULT_TIMEOUT` from netra_backend.app.cases.engine_compat, "
                       "which would no longer define it"), problem


# -- `ssot-lsp fix` --------------------------------------------------------------------------------

EXE = shutil.which("ssot-lsp") or pytest.fail("the ssot-lsp console script is not installed", pytrace=False)


def _snapshot(root: Path) -> dict[str, str]:
    return {rel: (root / rel).read_text(encoding="utf-8") for rel in FILES}


def test_fix_unsafe_applies_the_cross_file_fix_to_the_shim_and_every_importer(tmp_path):
    root = _tree(tmp_path / "ws")
    done = subprocess.run([EXE, "fix", "--no-cache", "--unsafe-fixes", "."], cwd=root, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    after = _snapshot(root)
    assert "ExecutionEngine" not in after[SHIM] and "DEFAULT_TIMEOUT = 30" in after[SHIM]
    assert "create_for_user(ctx)" in after[RUNNER] and "engine_compat" not in after[RUNNER]
    assert "def describe(engine: UserExecutionEngine) -> str:" in after[DESCRIBE]
    assert after[SETTINGS] == FILES[SETTINGS]
    assert f"{SHIM}:" not in done.stdout  # not among the sites left


def test_fix_without_unsafe_says_the_cross_file_fix_is_available(tmp_path):
    root = _tree(tmp_path / "ws")
    done = subprocess.run([EXE, "fix", "--no-cache", "--dry-run", "."], cwd=root, capture_output=True, text=True,
                          timeout=120)
    line = next(x for x in done.stdout.splitlines() if x.strip().startswith(f"{SHIM}:2:"))
    assert "not requested (--unsafe-fixes): Unsafe: drop the re-export ExecutionEngine" in line


def test_fix_names_the_importer_that_withholds_the_cross_file_fix_and_writes_nothing_of_it(tmp_path):
    root = _tree(tmp_path / "ws")
    (root / C / "registry.py").write_text("from netra_backend.app.cases.engine_compat import ExecutionEngine\n\n"
                                          "ENGINES = {'default': ExecutionEngine}\n", encoding="utf-8")
    done = subprocess.run([EXE, "fix", "--no-cache", "--unsafe-fixes", "."], cwd=root, capture_output=True,
                          text=True, timeout=120)
    line = next(x for x in done.stdout.splitlines() if x.strip().startswith(f"{SHIM}:2:"))
    assert line.endswith(f"SSOT001 not fixed: the cross-file fix is withheld: {C}/registry.py:1: `ExecutionEngine` "
                         "at line 3 is used as a value; it cannot be rewritten automatically"), line
    assert (root / SHIM).read_text(encoding="utf-8") == FILES[SHIM]


def test_fix_withholds_the_cross_file_fix_while_an_importer_does_not_parse_and_writes_nothing_of_it(tmp_path):
    root = _tree(tmp_path / "ws")
    half_typed = ("from netra_backend.app.cases.engine_compat import (\n    ExecutionEngine,\n)\n\n\n"
                  "def draft(ctx):\n    return ExecutionEngine(None, None, user_context=ctx\n")
    (root / C / "draft.py").write_text(half_typed, encoding="utf-8")
    done = subprocess.run([EXE, "fix", "--no-cache", "--unsafe-fixes", "."], cwd=root, capture_output=True,
                          text=True, timeout=120)
    line = next(x for x in done.stdout.splitlines() if x.strip().startswith(f"{SHIM}:2:"))
    assert f"the cross-file fix is withheld: {C}/draft.py:1 imports from netra_backend.app.cases.engine_compat " \
           "in a file with a syntax error" in line, line
    assert (root / SHIM).read_text(encoding="utf-8") == FILES[SHIM]


def test_a_file_that_does_not_parse_and_imports_elsewhere_leaves_the_cross_file_fix_offered(tmp_path):
    root = _tree(tmp_path / "ws")
    (root / C / "draft.py").write_text("from netra_backend.app.agents.supervisor.execution_engine import "
                                       "ExecutionEngine\n\n\ndef draft(ctx):\n    return ExecutionEngine(\n",
                                       encoding="utf-8")
    subprocess.run([EXE, "fix", "--no-cache", "--unsafe-fixes", "."], cwd=root, capture_output=True, text=True,
                   timeout=120)
    assert "ExecutionEngine" not in (root / SHIM).read_text(encoding="utf-8")


@pytest.mark.parametrize("text, line", [
    ("import os\nfrom netra_backend.app.cases.engine_compat import ExecutionEngine\n", 1),
    ("from .engine_compat import ExecutionEngine\n", 0),
    ("from . import (\n    describe,\n    engine_compat,\n)\n", 0),
    ("import netra_backend.app.cases.engine_compat as compat\n", 0),
    ("from netra_backend.app.cases.engine_compat_v2 import X\nfrom netra_backend.app.cases import settings\n", None),
    ("from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine\n", None),
])
def test_import_lines_reaching_the_shim_are_found_in_text_that_does_not_parse(text, line):
    from ssot_lsp.fixes.cross_file import _import_line_reaching

    own = "netra_backend.app.cases.draft"
    assert _import_line_reaching(text + "def broken(:\n", own, False, "netra_backend.app.cases.engine_compat") == line


def _run_fix_in_process(root: Path, between=None):
    """`ssot-lsp fix --unsafe-fixes` in this process, with ``between`` run after the fixes were
    computed and before anything is written (a file edited meanwhile)."""
    from ssot_lsp.cli.fix import FixRun
    from ssot_lsp.cli.common import open_for
    from ssot_lsp.cli.main import build_parser
    from ssot_lsp.cli.options import FixOptions

    cwd = os.getcwd()
    os.chdir(root)
    try:
        options = FixOptions.from_args(build_parser().parse_args(["fix", "--no-cache", "--unsafe-fixes", "."]))
        opened = open_for(options)
        run = FixRun(opened, options, opened.scan())
        run.fix_passes()
        if between is not None:
            between()
        run.write()
        return run
    finally:
        os.chdir(cwd)


def test_fix_writes_no_file_of_a_cross_file_fix_when_one_changed_on_disk(tmp_path):
    root = _tree(tmp_path / "ws")
    run = _run_fix_in_process(root, between=lambda: (root / DESCRIBE).write_text(
        FILES[DESCRIBE] + "# edited meanwhile\n", encoding="utf-8"))
    after = _snapshot(root)
    assert after[SHIM] == FILES[SHIM] and after[RUNNER] == FILES[RUNNER]  # nothing of the group written
    assert after[DESCRIBE].endswith("# edited meanwhile\n")  # the edit made meanwhile is kept
    reasons = {os.path.relpath(p, root): r for p, r in run.skipped.items()}
    assert reasons[DESCRIBE] == "changed on disk since it was analysed; not written"
    assert reasons[SHIM].startswith(f"part of a cross-file fix with {DESCRIBE}, which changed on disk")


def test_fix_writes_the_whole_group_when_nothing_changed_meanwhile(tmp_path):
    root = _tree(tmp_path / "ws")
    run = _run_fix_in_process(root)
    after = _snapshot(root)
    assert "ExecutionEngine" not in after[SHIM] and "UserExecutionEngine" in after[DESCRIBE]
    assert run.skipped == {}


def test_a_package_binding_other_modules_import_is_never_removed_by_the_single_file_fix(tmp_path):
    from ssot_lsp.fixes.api import fixes_for
    from tests.fixes.cross_file_cases import GOLDEN_CROSS_FILE, workspace

    bench = workspace(GOLDEN_CROSS_FILE / "081_package_init_reexport", tmp_path)  # no __all__: importers only
    path = str(bench.root / C / "engines" / "__init__.py")
    violations = [v for v in bench.result.violations if v.path == path]
    (outcome,) = fixes_for(Path(path).read_text(), path, violations, bench.index, bench.config,
                           targets=[v for v in violations if v.code == "SSOT001"])
    assert outcome.new_text is None and outcome.cross_file
    assert outcome.reason.startswith("`ExecutionEngine` is imported from this module by netra_backend.app.cases.routes")
