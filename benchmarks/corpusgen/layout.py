"""Which files exist: the live tree, the backup copies of it, and every file's size.

The live tree is mostly tests (85 % of all files match the test globs), split over
``netra_backend/{app,tests}``, ``tests/``, ``auth_service``, ``analytics_service``, ``shared``,
``test_framework``, ``scripts`` and ``dev_launcher``.  56 % of the files are backup copies of live
files, at several depths (issue 13 §2): dated snapshots ``backups/2025-09-12/netra_backend/...``,
a snapshot inside a service, flat ``backup/`` folders next to the code, and
``name.backup_1757538478.py`` files beside their originals.

Sizes follow the measured distribution of the real tree (lines per file: mean 408, median 342,
p90 794, p99 1,628, max 5,207): a quantile function through those points gives one size per file;
a live file and its copies take neighbouring sizes, and files with more copies take larger ones
(the real backups hold 59 % of the lines in 56 % of the files; ``split_sizes`` tunes that).
"""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass, field

from .migration import FIXED
from .names import APP_AREAS, NOUNS, TEST_ASPECTS

# (u, lines) knots of the size quantile function, log-linear in between; tuned so that 25,000 draws
# give mean 409, median 342, p90 794, p99 1,630, max 5,207 (the real tree: 408, 342, 794, 1,628, 5,207).
SIZE_KNOTS = [(0.0, 0), (0.035, 1), (0.06, 14), (0.085, 50), (0.14, 115), (0.30, 225), (0.50, 342),
              (0.75, 480), (0.90, 794), (0.99, 1628), (0.999, 2500), (1.0, 5207)]

TARGET = {"backup_files": 0.56, "backup_lines": 0.59, "tests": 0.85}


def quantile(u: float) -> int:
    i = bisect.bisect_right([k[0] for k in SIZE_KNOTS], u) - 1
    i = max(0, min(i, len(SIZE_KNOTS) - 2))
    (u0, y0), (u1, y1) = SIZE_KNOTS[i], SIZE_KNOTS[i + 1]
    t = (u - u0) / (u1 - u0)
    if y0 <= 0:
        return round(y1 * t)
    return round(math.exp(math.log(y0) + t * (math.log(y1) - math.log(y0))))


@dataclass
class LiveFile:
    rel: str
    kind: str                 # "init", "app", "test", "conftest", "fixed"
    noun: str = ""
    flavour: str = ""
    copies: list[tuple[str, str]] = field(default_factory=list)  # (backup relpath, snapshot: "old"/"new")
    size: int = 0


# live trees: (root, share of live files, is test tree, areas)
APP_TREES = [("netra_backend/app", 0.095), ("auth_service/auth_core", 0.012), ("analytics_service/analytics_core", 0.006),
             ("shared", 0.009), ("test_framework", 0.014), ("scripts", 0.008), ("dev_launcher", 0.004)]
TEST_TREES = [("netra_backend/tests", 0.29), ("tests", 0.44), ("auth_service/tests", 0.065),
              ("analytics_service/tests", 0.025), ("shared/tests", 0.022), ("test_framework/tests", 0.01)]
TEST_SUBDIRS = {"netra_backend/tests": ["unit", "integration", "e2e", "agents", "websocket", "services", "routes",
                                         "critical", "regression", "ssot"],
                "tests": ["mission_critical", "e2e", "integration", "unit", "ssot_compliance", "performance",
                          "regression", "golden_path", "websocket", "staging"]}


def is_test_path(rel: str) -> bool:
    """The profile's test globs (``tests/**``, ``**/tests/**``, ``**/test_*.py``, ``**/*_test.py``, ``**/conftest.py``)."""
    name = rel.rsplit("/", 1)[-1]
    return (rel.startswith("tests/") or "/tests/" in rel or name.startswith("test_") or name.endswith("_test.py")
            or name == "conftest.py")


def is_backup_path(rel: str) -> bool:
    parts = rel.split("/")
    return any(p in ("backup", "backups") for p in parts[:-1]) or ".backup" in parts[-1]


def is_archive_path(rel: str) -> bool:
    return any(p in ("archive", "archived") for p in rel.split("/")[:-1])


class TreeBuilder:
    def __init__(self, r: random.Random) -> None:
        self.r = r
        self.files: dict[str, LiveFile] = {}
        self.dirs: set[str] = set()

    def package(self, path: str, init: bool = True) -> None:
        parts = path.split("/")
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d in self.dirs:
                continue
            self.dirs.add(d)
            if init and self.r.random() < 0.93 and d not in ("scripts", "dev_launcher"):
                rel = d + "/__init__.py"
                self.files.setdefault(rel, LiveFile(rel, "init"))

    def add(self, rel: str, kind: str, noun: str = "", flavour: str = "") -> bool:
        if rel in self.files or rel[:-3] in self.dirs:
            return False
        self.files[rel] = LiveFile(rel, kind, noun, flavour)
        return True


def plan_live(r: random.Random, n_live: int) -> list[LiveFile]:
    t = TreeBuilder(r)
    for rel in FIXED:
        t.package(rel.rsplit("/", 1)[0])
        if rel.endswith("__init__.py"):
            t.files[rel] = LiveFile(rel, "fixed")
        else:
            t.add(rel, "fixed")
    # modules next to the legacy engine (relative imports of it), at any corpus size
    for _ in range(max(3, n_live // 400)):
        noun = r.choice(NOUNS)
        flavour = r.choice(APP_AREAS["agents"])
        t.add(f"netra_backend/app/agents/supervisor/{noun}_{flavour}.py", "app", noun, flavour)
    budget = {root: max(3, round(share * n_live)) for root, share in APP_TREES + TEST_TREES}
    budget["netra_backend/app"] = max(budget["netra_backend/app"], 40)  # small corpora still get app code
    for root, _ in APP_TREES + TEST_TREES:
        test = root.endswith("tests") or root == "tests"
        start = len(t.files)
        want = budget[root]
        guard = 0
        while len(t.files) - start < want and guard < 50 * want:
            guard += 1
            pkg = _pick_package(r, root, test)
            t.package(pkg, init=root not in ("scripts", "dev_launcher"))
            for _ in range(r.randint(3, 22)):
                if len(t.files) - start >= want:
                    break
                noun = r.choice(NOUNS)
                if test:
                    name = f"test_{noun}_{r.choice(TEST_ASPECTS)}.py"
                    kind, flavour = "test", "test"
                    if r.random() < 0.03:
                        name, kind = "conftest.py", "conftest"
                else:
                    area = pkg.split("/")[2] if pkg.startswith("netra_backend/app/") else "utils"
                    flavour = r.choice(APP_AREAS.get(area, ["utils", "service", "helpers", "models"]))
                    name = f"{noun}_{flavour}.py"
                    kind = "app"
                t.add(f"{pkg}/{name}", kind, noun, flavour)
    return sorted(t.files.values(), key=lambda f: f.rel)


def _pick_package(r: random.Random, root: str, test: bool) -> str:
    if root == "netra_backend/app":
        area = r.choice(list(APP_AREAS))
        pkg = f"{root}/{area}"
        if area == "agents" and r.random() < 0.5:
            pkg += "/" + r.choice(["data_sub_agent", "triage", "optimizations_core", "reporting", "corpus_admin",
                                   "synthetic_data", "supervisor", "github_analyzer", "goals_triage", "actions"])
        elif r.random() < 0.35:
            pkg += "/" + r.choice(NOUNS)
        return pkg
    if root in TEST_SUBDIRS:
        pkg = f"{root}/{r.choice(TEST_SUBDIRS[root])}"
        if r.random() < 0.45:
            pkg += "/" + r.choice(NOUNS)
        return pkg
    if root == "test_framework":
        return f"{root}/{r.choice(['ssot', 'fixtures', 'helpers', 'docker', 'websocket'])}"
    if root in ("scripts", "dev_launcher"):
        return root if r.random() < 0.6 else f"{root}/{r.choice(['deploy', 'analysis', 'migrations'])}"
    return f"{root}/{r.choice(NOUNS)}" if r.random() < 0.6 else root


# --------------------------------------------------------------------------------------------
# Backups
# --------------------------------------------------------------------------------------------

# (name, share of the backup files, source prefix, how a copy's path is made, snapshot version)
SNAPSHOTS = [
    ("backups/2025-09-12", 0.45, ("netra_backend/", "tests/", "test_framework/"), "prefix", "old"),
    ("backups/2025-08-28_pre_ssot_migration", 0.22, ("netra_backend/",), "prefix", "old"),
    ("backups/test_cleanup_20250905", 0.20, ("tests/",), "prefix", "new"),
    ("auth_service/backups/20250901_auth_refactor", 0.04, ("auth_service/",), "service", "new"),
    ("backup", 0.085, ("netra_backend/app/", "netra_backend/tests/", "tests/mission_critical/", "tests/e2e/"), "flat", "new"),
    (".backup", 0.005, ("netra_backend/app/agents/", "tests/"), "suffix", "old"),
]
LOCAL_BACKUP_DIRS = 24  # flat backup/ folders


def plan_backups(r: random.Random, live: list[LiveFile], n_backup: int) -> None:
    """Fill ``LiveFile.copies`` so that about ``n_backup`` backup files exist."""
    by_rel = {f.rel: f for f in live}
    dirs_with_files: dict[str, list[LiveFile]] = {}
    for f in live:
        dirs_with_files.setdefault(f.rel.rsplit("/", 1)[0], []).append(f)
    for name, share, prefixes, how, version in SNAPSHOTS:
        want = round(share * n_backup)
        pool = [f for f in live if f.rel.startswith(prefixes)]
        if how == "flat":
            cands = [d for d in sorted(dirs_with_files) if d.startswith(prefixes) and len(dirs_with_files[d]) >= 4]
            chosen = r.sample(cands, min(len(cands), max(1, LOCAL_BACKUP_DIRS)))
            made = 0
            for d in chosen:
                files = [f for f in dirs_with_files[d] if f.kind != "init"]
                folder = r.choice(("backup", "backup", "backups/" + r.choice(("20250911", "pre_refactor", "old"))))
                k = max(1, min(len(files), round(want / max(1, len(chosen)) * r.uniform(0.5, 1.5))))
                for f in r.sample(files, k):
                    f.copies.append((f"{d}/{folder}/{f.rel.rsplit('/', 1)[1]}", version))
                    made += 1
            continue
        if how == "suffix":
            pool = [f for f in pool if f.kind in ("fixed", "app", "test")]
            stamp = r.choice(("1757538478", "1757538479", "20250912_172129"))
            for f in r.sample(pool, min(len(pool), max(1, want))):
                f.copies.append((f"{f.rel[:-3]}.backup_{stamp}.py", version))
            continue
        picked = r.sample(pool, min(len(pool), want))
        for f in picked:
            if how == "prefix":
                f.copies.append((f"{name}/{f.rel}", version))
            else:  # service: the snapshot lives inside the service
                f.copies.append((f"{name}/{f.rel.split('/', 1)[1]}", version))
        # a copied directory brings its __init__.py (cp -r), when the live one exists
        copied_dirs = {f.rel.rsplit("/", 1)[0] for f in picked}
        for d in sorted(copied_dirs):
            parts = d.split("/")
            for i in range(1, len(parts) + 1):
                init = by_rel.get("/".join(parts[:i]) + "/__init__.py")
                if init is None or any(c[0].startswith(name + "/") for c in init.copies):
                    continue
                if how == "prefix" and not init.rel.startswith(prefixes):
                    continue
                dest = f"{name}/{init.rel}" if how == "prefix" else f"{name}/{init.rel.split('/', 1)[1]}"
                init.copies.append((dest, version))
    _archived(r, live)
    _top_up(r, live, n_backup)


def _top_up(r: random.Random, live: list[LiveFile], n_backup: int) -> None:
    """Bring the number of backup files to ``n_backup``: more files into the first snapshot, or fewer."""
    name, _, prefixes, _, version = SNAPSHOTS[0]
    have = sum(1 for f in live for c in f.copies if not c[0].startswith("scripts/archived/"))
    if have > n_backup:
        mine = [f for f in live if f.kind != "init" and any(c[0].startswith(name + "/") for c in f.copies)]
        for f in r.sample(mine, min(len(mine), have - n_backup)):
            f.copies = [c for c in f.copies if not c[0].startswith(name + "/")]
        return
    free = [f for f in live if f.rel.startswith(prefixes) and f.kind != "init"
            and not any(c[0].startswith(name + "/") for c in f.copies)]
    for f in r.sample(free, min(len(free), n_backup - have)):
        f.copies.append((f"{name}/{f.rel}", version))


def _archived(r: random.Random, live: list[LiveFile]) -> None:
    scripts = [f for f in live if f.rel.startswith("scripts/") and f.kind == "app"]
    for f in r.sample(scripts, min(len(scripts), max(1, len(scripts) // 3))):
        f.copies.append((f"scripts/archived/{f.rel.rsplit('/', 1)[1]}", "new"))


# --------------------------------------------------------------------------------------------
# Sizes
# --------------------------------------------------------------------------------------------

def split_sizes(r: random.Random, live: list[LiveFile]) -> float:
    """Give every non-fixed live file a size (its copies take the same); return the backup line share."""
    units = [f for f in live if f.kind != "fixed"]
    n = sum(1 + len(f.copies) for f in units)
    values = [quantile((j + 0.5) / n) for j in range(n)]
    values[-1] = SIZE_KNOTS[-1][1]  # the largest file of the real tree
    u = {f.rel: r.random() for f in units}
    inits = sorted((f for f in units if f.kind == "init"), key=lambda f: u[f.rel])
    rest = [f for f in units if f.kind != "init"]

    def assign(beta: float) -> float:
        order = inits + sorted(rest, key=lambda f: u[f.rel] + beta * len(f.copies))
        pos = 0
        total = backup = 0
        for f in order:
            w = 1 + len(f.copies)
            f.size = values[pos + w // 2] if pos + w < len(values) else values[-1]  # the last takes the maximum
            pos += w
            total += f.size * w
            backup += f.size * (w - 1)
        return backup / total if total else 0.0

    lo, hi = 0.0, 3.0
    for _ in range(18):
        mid = (lo + hi) / 2
        if assign(mid) < TARGET["backup_lines"]:
            lo = mid
        else:
            hi = mid
    return assign(hi)


def plan(r: random.Random, n_files: int) -> list[LiveFile]:
    """The whole tree: live files with their copies and sizes, about ``n_files`` .py files in all."""
    n_backup = round(TARGET["backup_files"] * n_files)
    n_archive = max(1, round(0.004 * n_files))
    live = plan_live(r, n_files - n_backup - n_archive)
    plan_backups(r, live, n_backup)
    split_sizes(r, live)
    return live

