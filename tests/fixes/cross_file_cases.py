"""Running one cross-file golden case (tests/fixes/golden_cross_file/NNN_name/): its before/ files
placed in a fresh copy of the fix workspace, the cross-file fix of the re-export at ``site``."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from tests.fixes.conftest import Workbench, build_tree

GOLDEN_CROSS_FILE = Path(__file__).parent / "golden_cross_file"
CASES = sorted(p for p in GOLDEN_CROSS_FILE.iterdir() if (p / "before").is_dir())


def expectations(case: Path) -> dict:
    with open(case / "expect.toml", "rb") as handle:
        return tomllib.load(handle)


def workspace(case: Path, tmp: Path) -> Workbench:
    root = build_tree(tmp)
    for source in sorted((case / "before").rglob("*.py")):
        target = root / source.relative_to(case / "before")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    for directory in {p.parent for p in (case / "before").rglob("*.py")}:
        init = root / directory.relative_to(case / "before") / "__init__.py"
        if not init.exists() and init.parent != root:
            init.write_text("")
    return Workbench(root)


def run_case(case: Path, tmp: Path):
    """(the workbench, the cross-file fix of the case's site)."""
    from ssot_lsp.fixes.cross_file import cross_file_fix

    bench = workspace(case, tmp)
    rel, _, line = expectations(case)["site"].rpartition(":")
    path = str(bench.root / rel)
    (violation,) = [v for v in bench.result.violations
                    if v.path == path and v.code == "SSOT001" and v.span.line == int(line) - 1]
    text = Path(path).read_text(encoding="utf-8")
    fix = cross_file_fix(path, text, violation, bench.index, bench.config,
                         lambda p: Path(p).read_text(encoding="utf-8"), str(bench.root))
    return bench, fix


if __name__ == "__main__":  # record after/ for the cases named (review every file before committing)
    import tempfile

    for case in CASES:
        if sys.argv[1:] and case.name not in sys.argv[1:]:
            continue
        bench, fix = run_case(case, Path(tempfile.mkdtemp()))
        shutil.rmtree(case / "after", ignore_errors=True)
        print(case.name, fix.title, "|", fix.reason)
        for path, change in fix.changed.items():
            target = case / "after" / Path(path).relative_to(bench.root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(change.new_text, encoding="utf-8")
