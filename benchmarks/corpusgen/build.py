"""Put the corpus together: plan the tree, place the shapes, write live files and their copies.

Order: ``layout.plan`` gives the live files, their backup copies and sizes; shapes go into live
files (several per file when their names do not clash); harmless mentions are added until 16 %
of all files mention an engine, supervisor or emitter name; about 58 % of the live files talk
about SSOT.  Then every live file is written and, right after it, its copies (so memory holds
one file at a time), and its sites go to the ground truth.  Copies in the older snapshots use
the older versions of the migration's modules; other copies are the live text, sometimes with
the tail dropped or a helper appended ("near-identical").
"""

from __future__ import annotations

import json
import os
import random
import time

from . import layout, migration
from .code import FileCtx, Writer
from .layout import LiveFile, is_archive_path, is_backup_path, is_test_path
from .names import (
    CANONICAL_MOD,
    MENTION_TOKENS,
    PROFILE_LEGACY_MODULES,
    STALE_COMPAT,
    STALE_MODULES,
    STALE_SYMBOLS,
    camel,
)
from .shapes import MENTION_WEIGHTS, MENTIONS, SHAPES, mention, newer_fstring
from .sites import FileBuf, Mark, Placement, Site

TARGET_MENTION = 0.16
TARGET_SSOT = 0.58
TOUCHED_SSOT = 0.72  # files with shapes or mentions that talk about SSOT: 58 % and 16 % overlap to 62.5 %
TARGET_NEWER_SYNTAX = 0.002

SUFFIX = {"service": "Service", "manager": "Manager", "repository": "Repository", "client": "Client",
          "cache": "Cache", "handler": "Handler", "validator": "Validator", "registry": "Registry",
          "tracker": "Tracker", "dispatcher": "Dispatcher", "executor": "Executor", "config": "Settings",
          "metrics": "Metrics", "alerts": "AlertRouter", "health": "HealthProbe", "middleware": "Middleware",
          "auth": "AuthGuard", "cors": "CorsPolicy", "auth_client": "AuthClient", "aggregator": "Aggregator",
          "queries": "QueryBuilder", "session": "SessionFactory", "prompts": "PromptLibrary", "state": "State",
          "events": "EventLog", "exceptions": "Error", "tool": "Tool", "helpers": "Helper", "utils": "Toolkit",
          "formatters": "Formatter", "agent": "Agent", "sub_agent": "SubAgent", "models": "Record",
          "schemas": "Schema", "types": "Payload", "module": "Service"}


def main_name(f: LiveFile) -> str | None:
    if f.kind != "app" or f.flavour in ("routes", "route", "api"):
        return None
    return camel(f.noun) + SUFFIX.get(f.flavour, "Service")


def dotted(rel: str) -> str:
    return rel[:-3].replace("/", ".").removesuffix(".__init__")


# --------------------------------------------------------------------------------------------
# Roles
# --------------------------------------------------------------------------------------------

class Roles:
    """Which shapes (placements), mentions and flags each live file gets."""

    def __init__(self, seed: int, live: list[LiveFile], n_files: int) -> None:
        self.seed = seed
        self.r = random.Random(f"{seed}:roles")
        self.placements: dict[str, list[Placement]] = {}
        self.special: dict[str, str] = {}   # rel -> "newer_syntax" / "conflict_markers" / "py2_print"
        self.truncated_copy: tuple[str, str] | None = None
        self.ssot: set[str] = set()
        self.emoji: set[str] = set()
        weight = {f.rel: 1 + len(f.copies) for f in live}
        self.weight = weight
        n_live = len(live)
        app = [f for f in live if f.kind == "app" and f.size >= 40]
        tests = [f for f in live if f.kind == "test" and f.size >= 40]
        self._syntax(live, n_files)
        taken = {rel for rel, how in self.special.items() if how != "newer_syntax"}
        app = [f for f in app if f.rel not in taken]
        tests = [f for f in tests if f.rel not in taken]
        for spec in SHAPES:
            count = max(1, round(spec.per_10k * n_live / 10000))
            for n in range(count):
                where = spec.where if spec.where != "any" else ("app" if self.r.random() < 0.4 else "test")
                pool = app if where == "app" else tests
                if spec.dir:
                    pool = [f for f in app if f.rel.startswith(spec.dir)]
                self._place(spec, n, pool)
        # harmless mentions until 16 % of all files mention a name
        have = sum(weight[rel] for rel in self._mentioning(live))
        want = TARGET_MENTION * n_files
        pool = [f for f in live if f.kind in ("app", "test") and f.size >= 30 and f.rel not in self.placements
                and f.rel not in taken]
        self.r.shuffle(pool)
        must = list(MENTIONS)  # every kind of mention at least once, at any size
        for f in pool:
            if have >= want and not must:
                break
            for k in range(self.r.choice((1, 1, 1, 2))):
                variant = must.pop() if must else self.r.choices(MENTIONS, MENTION_WEIGHTS)[0]
                rr = random.Random(f"{seed}:{f.rel}:mention{k}")
                self._try_add(f.rel, mention(rr, f.kind == "test", variant))
            have += weight[f.rel]
        # SSOT talk: files that touch the migration mostly talk about it too (the real tree: 58 % talk,
        # 62.5 % talk or name an engine), the others at a rate that makes 58 % in all
        touched = set(self.placements)
        share = sum(weight[rel] for rel in touched) / max(1, sum(weight.values()))
        p_rest = max(0.0, (TARGET_SSOT - TOUCHED_SSOT * share) / max(1e-9, 1 - share))
        for f in live:
            if self.r.random() < (TOUCHED_SSOT if f.rel in touched else p_rest):
                self.ssot.add(f.rel)
            if self.r.random() < 0.08:
                self.emoji.add(f.rel)

    def _syntax(self, live: list[LiveFile], n_files: int) -> None:
        cands = [f for f in live if f.kind in ("app", "test") and 60 <= f.size <= 900]
        self.r.shuffle(cands)
        want = TARGET_NEWER_SYNTAX * n_files
        got = 0
        for f in cands:
            if got >= want:
                break
            self.special[f.rel] = "newer_syntax"
            self._try_add(f.rel, newer_fstring(random.Random(f"{self.seed}:{f.rel}:newer"), f.kind == "test"))
            got += self.weight[f.rel]
        # ~0.01 % do not parse: a merge conflict in a live test, a Python 2 script, a truncated backup
        lonely = [f for f in live if f.kind == "test" and not f.copies and f.rel not in self.special]
        if lonely:
            self.special[self.r.choice(lonely).rel] = "conflict_markers"
        scripts = [f for f in live if f.rel.startswith("scripts/") and f.kind == "app" and not f.copies
                   and f.rel not in self.special]
        if scripts and n_files >= 5000:
            self.special[self.r.choice(scripts).rel] = "py2_print"
        copied = [f for f in live if f.kind == "app" and f.copies and f.rel not in self.special and f.size >= 60]
        if copied:
            f = self.r.choice(copied)
            self.truncated_copy = (f.rel, f.copies[0][0])

    def _place(self, spec, n: int, pool: list[LiveFile]) -> None:
        if not pool:
            return
        for _ in range(12):
            f = pool[self.r.randrange(len(pool))]
            rr = random.Random(f"{self.seed}:{f.rel}:{spec.key}:{n}")
            if self._try_add(f.rel, spec.make(rr, f.kind == "test")):
                return

    def _try_add(self, rel: str, p: Placement) -> bool:
        have = self.placements.get(rel, [])
        binds = set().union(*(q.binds for q in have)) if have else set()
        unbound = set().union(*(q.unbound for q in have)) if have else set()
        if p.binds & (binds | unbound) or p.unbound & binds:
            return False
        if (p.needs_future and any(q.no_future for q in have)) or (p.no_future and any(q.needs_future for q in have)):
            return False
        self.placements.setdefault(rel, []).append(p)
        return True

    def _mentioning(self, live: list[LiveFile]) -> list[str]:
        out = []
        for f in live:
            if f.kind == "fixed" or f.rel in self.special and self.special[f.rel] != "newer_syntax":
                out.append(f.rel)
                continue
            ps = self.placements.get(f.rel)
            if ps and any(_mentions(p) for p in ps):
                out.append(f.rel)
        return out


def _mentions(p: Placement) -> bool:
    def text(items):
        for it in items:
            if isinstance(it, Mark):
                yield it.line
            elif isinstance(it, str):
                yield it
            elif isinstance(it, list):
                yield from text(it)
    return any(tok in line for line in text([p.imports, p.imports_extra, p.module, p.blocks]) for tok in MENTION_TOKENS)


# --------------------------------------------------------------------------------------------
# Writing one file
# --------------------------------------------------------------------------------------------

class FileWriter:
    def __init__(self, seed: int, roles: Roles, exports: dict[str, list[tuple[str, str]]]) -> None:
        self.seed = seed
        self.roles = roles
        self.exports = exports

    def live(self, f: LiveFile) -> FileBuf:
        r = random.Random(f"{self.seed}:{f.rel}")
        if f.kind == "fixed":
            return migration.build_fixed(f.rel, r) or FileBuf()
        if f.kind == "init":
            return self.init(f, r)
        special = self.roles.special.get(f.rel)
        if special in ("conflict_markers", "py2_print"):
            return self.unparseable(f, r, special)
        test = f.kind in ("test", "conftest")
        ctx = FileCtx(rel=f.rel, module=dotted(f.rel), test=test, noun=f.noun or "config_value",
                      flavour=f.flavour or "test", ssot=f.rel in self.roles.ssot, emoji=f.rel in self.roles.emoji)
        places = self.roles.placements.get(f.rel, ())
        ctx.imported = self.pick_imports(r, f)
        w = Writer(r, ctx)
        buf = FileBuf()
        future = any(p.needs_future for p in places) or (not any(p.no_future for p in places) and r.random() < 0.6)
        imports, extra = [], []
        for p in places:
            imports.extend(p.imports)
            extra.extend(x for x in p.imports_extra if x not in extra)
        buf.block(w.header(future, None, extra + imports))
        for p in places:
            for blk in p.module:
                buf.block(blk)
        blocks = [blk for p in places for blk in p.blocks]
        if test:
            if r.random() < 0.5:
                buf.extend(w.fixture())
            self.fill(buf, f.size, blocks, w.test_unit, r)
        else:
            name = main_name(f)
            if name:
                if f.flavour in ("models", "schemas", "types"):
                    buf.extend(w.pydantic_model(name))
                elif f.flavour in ("agent", "sub_agent"):
                    buf.extend(w.agent_class(name))
                else:
                    buf.extend(w.service_class(name))
            self.fill(buf, f.size, blocks, w.app_unit, r)
        while buf.lines and buf.lines[-1] == "":
            buf.lines.pop()
        return buf

    @staticmethod
    def fill(buf: FileBuf, target: int, blocks: list, unit, r: random.Random) -> None:
        """Units until ``target`` lines (the last unit ends past it by half a unit on average,
        hence the margin), with the shape blocks at random points."""
        target -= 7
        blocks = list(blocks)
        # spread the shape blocks over the file: each goes in at a random point of the target size
        at = sorted(r.randint(len(buf), max(len(buf), target - 10)) for _ in blocks)
        while len(buf) < target or blocks:
            if blocks and (len(buf) >= at[0] or len(buf) >= target):
                buf.block(blocks.pop(0))
                at.pop(0)
                continue
            buf.extend(unit())

    def pick_imports(self, r: random.Random, f: LiveFile) -> list[tuple[str, str]]:
        top = f.rel.split("/", 1)[0]
        pool = self.exports.get(top) or self.exports.get("netra_backend") or []
        if f.kind == "test":
            pool = self.exports.get("netra_backend", []) if top in ("tests", "netra_backend") else pool
        out = []
        for _ in range(r.randint(0, 3 if f.kind == "app" else 2)):
            if pool:
                mod, name = pool[r.randrange(len(pool))]
                if mod != dotted(f.rel) and all(n != name for _, n in out):
                    out.append((mod, name))
        return out

    def init(self, f: LiveFile, r: random.Random) -> FileBuf:
        buf = FileBuf()
        if f.size <= 0:
            return buf
        pkg = f.rel.rsplit("/", 1)[0]
        what = "SSOT exports" if f.rel in self.roles.ssot else "public names"
        buf.add(f'"""{pkg.rsplit("/", 1)[-1].replace("_", " ").capitalize()} package ({what})."""')
        subs = [(m, n) for m, n in self.exports.get("@" + pkg, [])]
        if f.size > 3 and subs:
            buf.add("")
            names = []
            for mod, name in subs[: max(1, min(len(subs), f.size - 4))]:
                buf.add(f"from .{mod.rsplit('.', 1)[1]} import {name}")
                names.append(name)
            buf.add("", "__all__ = [" + ", ".join(f'"{n}"' for n in dict.fromkeys(names)) + "]")
        return buf

    def unparseable(self, f: LiveFile, r: random.Random, how: str) -> FileBuf:
        buf = FileBuf()
        if how == "conflict_markers":
            buf.add('"""Golden Path: agent execution uses the per-user engine (SSOT)."""', "",
                    "import pytest", "from unittest.mock import AsyncMock, MagicMock", "",
                    f"from {CANONICAL_MOD} import UserExecutionEngine",
                    "from netra_backend.app.agents.supervisor.execution_engine_factory import get_execution_engine_factory",
                    "", "", "@pytest.mark.asyncio", "async def test_triage_agent_runs_for_user(user_context):")
            buf.block([Mark("<<<<<<< HEAD", "syntax", "conflict_markers", ("SSOT009",), "<<<<<<<")])
            buf.add("    engine = await (await get_execution_engine_factory()).create_for_user(user_context)",
                    "=======",
                    "    engine = UserExecutionEngine(user_context, MagicMock(), AsyncMock())",
                    ">>>>>>> feature/ssot-phase-5-engine-consolidation",
                    '    result = await engine.execute_agent("triage_agent", {"user_request": "costs"})',
                    "    assert result is not None", "")
            return buf
        buf.add("#!/usr/bin/env python", '"""One-off migration helper (Python 2 era): lists ExecutionEngine callers."""',
                "import os", "import sys", "", "", "def main():",
                '    root = sys.argv[1] if len(sys.argv) > 1 else "."')
        buf.block([Mark('    print "Scanning %s for legacy ExecutionEngine imports" % root', "syntax", "python2_print",
                        ("SSOT009",), "print \"")])
        buf.add("    for dirpath, _, names in os.walk(root):", "        for name in names:",
                '            if name.endswith(".py"):', "                print(os.path.join(dirpath, name))", "", "",
                'if __name__ == "__main__":', "    main()")
        return buf


def mutate_copy(lines: list[str], marks: list[tuple[int, Mark]], r: random.Random, w: Writer | None) -> tuple[list, list]:
    """A near-identical copy: usually the same text; sometimes without its last unit, or with an extra helper."""
    x = r.random()
    if x < 0.65 or len(lines) < 40:
        return lines, marks
    last_mark = max((ln for ln, _ in marks), default=0)
    if x < 0.85:
        lo = max(last_mark, int(len(lines) * 0.7))
        for i in range(len(lines) - 1, lo, -1):
            if lines[i].startswith(("def ", "async def ", "class ", "@")) and lines[i - 1] == "":
                j = i
                while j > 0 and lines[j - 1].startswith("@"):
                    j -= 1
                return lines[:j], marks
        return lines, marks
    return lines + ["", ""] + (w.function() if w else []), marks


# --------------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------------

def plan_exports(live: list[LiveFile], skip: set[str]) -> dict[str, list[tuple[str, str]]]:
    """Names other modules import: per top-level tree, and per package (``@pkg``) for __init__ re-exports."""
    out: dict[str, list[tuple[str, str]]] = {}
    for f in live:
        name = main_name(f)
        if not name or f.rel in skip:
            continue
        out.setdefault(f.rel.split("/", 1)[0], []).append((dotted(f.rel), name))
        out.setdefault("@" + f.rel.rsplit("/", 1)[0], []).append((dotted(f.rel), name))
    return out


def generate(out: str, n_files: int = 25000, seed: int = 1) -> dict:
    """Write the corpus into ``out`` (created); return the summary also stored in ground_truth.json."""
    t0 = time.perf_counter()
    r = random.Random(seed)
    live = layout.plan(r, n_files)
    # fixed modules absent from the live tree (deleted) exist only in old snapshots
    ghosts = migration.ABSENT_FROM_LIVE
    roles = Roles(seed, live, n_files)
    unparseable = {rel for rel, how in roles.special.items() if how != "newer_syntax"}
    writer = FileWriter(seed, roles, plan_exports(live, unparseable))
    os.makedirs(out, exist_ok=True)
    made: set[str] = set()
    sites: list[dict] = []
    files = lines_total = 0

    def write(rel: str, text: str) -> None:
        d = os.path.join(out, rel.rsplit("/", 1)[0]) if "/" in rel else out
        if d not in made:
            os.makedirs(d, exist_ok=True)
            made.add(d)
        with open(os.path.join(out, rel), "w", encoding="utf-8") as fh:
            fh.write(text)

    for f in live:
        test = is_test_path(f.rel)
        if f.rel not in ghosts:
            buf = writer.live(f)
            buf.marks = sorted(buf.marks + ssot_marks(buf.lines, {ln for ln, _ in buf.marks}), key=lambda x: x[0])
            text = buf.text() if buf.lines else ""
            write(f.rel, text)
            files += 1
            lines_total += len(buf.lines)
            for ln, m in buf.marks:
                sites.append(Site(f.rel, ln, m, test).record())
        else:
            buf = FileBuf()
        for dest, version in f.copies:
            cr = random.Random(f"{seed}:{dest}")
            if f.kind == "fixed":
                cbuf = migration.build_fixed(f.rel, cr, old=version == "old")
                if cbuf is None:
                    continue
                clines = cbuf.lines
                cmarks = sorted(cbuf.marks + ssot_marks(clines, {ln for ln, _ in cbuf.marks}), key=lambda x: x[0])
            else:
                cw = Writer(cr, FileCtx(rel=dest, module="", test=test, noun=f.noun or "config_value",
                                        flavour=f.flavour or "test", ssot=False))
                clines, cmarks = mutate_copy(buf.lines, buf.marks, cr, cw if f.kind != "init" else None)
            if roles.truncated_copy == (f.rel, dest):
                clines, cmarks = truncate(clines, cmarks)
            text = "\n".join(clines) + "\n" if clines else ""
            write(dest, text)
            files += 1
            lines_total += len(clines)
            dtest = is_test_path(dest)
            for ln, m in cmarks:
                sites.append(Site(dest, ln, m, dtest, backup=True).record())
    extras(out, seed)
    sites.sort(key=lambda s: (s["path"], s["line"]))
    summary = {
        "format": 2,
        "generator": "benchmarks/generate_corpus.py",
        "seed": seed,
        "files": files,
        "lines": lines_total,
        "profile": "default (target behaviour of issues 13-15)",
        "stale_configuration": {"modules": STALE_MODULES, "symbols": STALE_SYMBOLS, "compat-constructors": STALE_COMPAT},
        "excluded_by_profile": ["**/backup/**", "**/backups/**", "**/archive/**", "**/archived/**", "**/*.backup*"],
    }
    with open(os.path.join(out, "ground_truth.json"), "w", encoding="utf-8") as fh:
        json.dump({**summary, "sites": sites}, fh, separators=(",", ":"))
        fh.write("\n")
    summary["seconds"] = round(time.perf_counter() - t0, 1)  # not in the file: same seed, same bytes
    with open(os.path.join(out, "ruff.toml"), "w", encoding="utf-8") as fh:
        fh.write(ruff_toml())
    summary["sites"] = len(sites)
    return summary


def truncate(lines: list[str], marks: list) -> tuple[list[str], list]:
    """A backup cut off mid-statement (the copy job died): does not parse."""
    for i in range(len(lines) - 1, len(lines) // 2, -1):
        if "(" in lines[i] and lines[i].startswith("    ") and not lines[i].strip().startswith(("#", '"')):
            cut = lines[i][: lines[i].index("(") + 1]
            keep = [(ln, m) for ln, m in marks if ln < i + 1]
            keep.append((i + 1, Mark(cut, "syntax", "truncated_copy", ("SSOT009",), cut.strip()[:20])))
            return lines[:i] + [cut], keep
    return lines, marks


def ssot_marks(lines: list[str], taken: set[int]) -> list[tuple[int, Mark]]:
    """Sites for lines that talk about SSOT (comment, docstring or log string): they must stay clean.

    The first such line of the file, and every comment that reads like a suppression
    (``# SSOT: ignore stale ...``).  Lines that already are a shape's site are left to it.
    """
    out = []
    first = True
    for i, line in enumerate(lines, 1):
        if "SSOT" not in line or "ssot: ignore[" in line or i in taken:
            continue
        s = line.strip()
        like = s.lower().startswith("# ssot: ignore")
        if not (first or like):
            continue
        first = False
        variant = ("suppression_like_comment" if like else "comment" if s.startswith("#")
                   else "log_string" if "logger." in s else "docstring_or_string")
        out.append((i, Mark(line, "ssot_word", variant, (), "SSOT")))
    return out


def extras(out: str, seed: int) -> None:
    """What a real checkout also has: project files and backups that are not .py files."""
    with open(os.path.join(out, "pyproject.toml"), "w", encoding="utf-8") as fh:
        fh.write('[project]\nname = "netra-apex"\nversion = "0.9.0"\nrequires-python = ">=3.11"\n\n'
                 '[tool.pytest.ini_options]\nasyncio_mode = "auto"\nmarkers = ["mission_critical", "integration", "unit", "slow"]\n\n'
                 '[tool.black]\nline-length = 120\n')
    with open(os.path.join(out, ".gitignore"), "w", encoding="utf-8") as fh:
        fh.write("__pycache__/\n*.pyc\n.env\nnode_modules/\n.pytest_cache/\n")
    sup = os.path.join(out, "netra_backend/app/agents/supervisor")
    agents = os.path.join(out, "netra_backend/app/agents")
    for d, name in ((agents, "execution_engine_consolidated.backup_1757538478"), (sup, "execution_engine.backup_1757538478"),
                    (sup, "request_scoped_execution_engine.backup_1757538478"), (sup, "execution_engine.py.backup_20250912_172129")):
        if os.path.isdir(d):
            with open(os.path.join(d, name), "w", encoding="utf-8") as fh:
                fh.write('"""Backup taken before SSOT remediation phase 1."""\n\nclass ExecutionEngine:\n    pass\n')


def ruff_toml() -> str:
    lines = [
        "# Baseline for benchmarks/bench_check.py: ruff's banned-api rule (TID251) on the profile's legacy",
        "# modules, excluding the folders the profile excludes (backups, archives, *.backup* files).",
        'extend-exclude = ["backup", "backups", "archive", "archived", "*.backup*"]',
        "",
        "[lint]",
        'select = ["TID251"]',
        "",
        "[lint.flake8-tidy-imports.banned-api]",
    ]
    for m in PROFILE_LEGACY_MODULES:
        lines.append(f'"{m}".msg = "legacy module: use {CANONICAL_MOD}.UserExecutionEngine via the factory"')
    return "\n".join(lines) + "\n"


__all__ = ["generate", "is_archive_path", "is_backup_path"]
