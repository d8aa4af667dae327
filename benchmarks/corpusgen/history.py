"""A generated corpus committed as a git history: the migration moving, commit by commit.

The last commit is the corpus exactly as generated; older commits are derived from it backwards.
Every change is a *block* with the commits it lives in, appended to the end of one file, or a whole
file that appears or disappears:

* ``helper``      ordinary code (a small function) that a later commit removes: the everyday churn,
                  most of the ~2 % of files a commit touches;
* ``legacy``      a legacy engine imported and constructed (SSOT001 + SSOT002), or a test patching a
                  legacy class (SSOT007), present from the first commit until the commit that
                  migrates it: the burndown;
* ``regression``  the same, introduced by a later commit and migrated again afterwards;
* ``broken``      a half-done migration: the canonical class imported under a legacy name and then
                  called by its own name, which nothing binds (SSOT011), introduced and fixed later;
* added files     absent before the commit that adds them; removed files (``*_old.py`` copies of
                  live modules) present until the commit that deletes them.

One commit gets a ``[tool.ssot-lsp]`` table that does not validate (the next one drops it), and —
when the tool is importable — one commit records a baseline (``ssot-lsp baseline`` run on that
commit's tree). The history is written with ``git fast-import`` (no working tree per commit), then
checked out. Deterministic for a corpus and a seed; stdlib and git only.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from .layout import is_backup_path, is_test_path
from .names import CANONICAL_MOD, LEGACY_CLASSES, NOUNS

AUTHORS = [("Priya Raman", "priya@netra.example"), ("Daniel Okafor", "daniel@netra.example"),
           ("Mei Lin", "mei@netra.example"), ("Tomasz Nowak", "tomasz@netra.example"),
           ("Sara Haddad", "sara@netra.example")]
START = 1748854800  # 2025-06-02 09:00 UTC
SKIPPED_NAMES = ("ground_truth.json", "corpus_stats.json", "corpus_stats.txt")  # generator outputs, not code
INVALID_TABLE = '\n[tool.ssot-lsp]\n# a bad edit: extend-exclude must be a list\nextend-exclude = "backups"\n'


@dataclass
class Block:
    kind: str  # helper | legacy | regression | broken
    start: int  # first commit (1-based) holding it
    end: int  # first commit no longer holding it (at most the last commit: that one is the corpus)
    text: str

    def alive(self, commit: int) -> bool:
        return self.start <= commit < self.end


@dataclass
class Plan:
    commits: int
    files: list[str]  # every file of the corpus (relative, '/'-separated)
    blocks: dict[str, list[Block]] = field(default_factory=dict)
    added: dict[str, int] = field(default_factory=dict)  # rel -> commit adding it
    removed: dict[str, tuple[str, int]] = field(default_factory=dict)  # extra rel -> (its source, deleting commit)
    invalid_config_at: int = 0
    baseline_at: int = 0
    baseline: bytes = b""

    def exists(self, rel: str, commit: int) -> bool:
        if rel in self.removed:
            return commit < self.removed[rel][1]
        return commit >= self.added.get(rel, 1)

    def changed(self, commit: int) -> set[str]:
        """Files whose content or existence differs between ``commit - 1`` and ``commit``."""
        out = {rel for rel, when in self.added.items() if when == commit}
        out |= {rel for rel, (_, when) in self.removed.items() if when == commit}
        for rel, blocks in self.blocks.items():
            if any(b.start == commit or b.end == commit for b in blocks):
                out.add(rel)
        return out


def _helper(r: random.Random, serial: int) -> str:
    noun = r.choice(NOUNS)
    return (f"\n\ndef _normalise_{noun}_{serial}(value):\n"
            f'    """Normalise a {noun.replace("_", " ")} before it is stored."""\n'
            f"    if value is None:\n        return None\n    return str(value).strip().lower()\n")


def _legacy(r: random.Random, serial: int, test: bool) -> str:
    name = r.choice(sorted(LEGACY_CLASSES))
    module, args = LEGACY_CLASSES[name]
    if test:
        return (f"\n\ndef test_{name.lower()}_still_answers_{serial}():\n"
                f"    from unittest.mock import patch\n\n"
                f'    with patch("{module}.{name}.execute_agent") as execute:\n'
                f"        execute.return_value = None\n"
                f"        assert execute.return_value is None\n")
    call = args.replace("{ctx}", "context")
    return (f"\n\ndef _engine_for_request_{serial}(context, registry=None, websocket_bridge=None, tool_registry=None):\n"
            f'    """One engine per request; moves to the factory with the rest of this module."""\n'
            f"    from {module} import {name}\n\n"
            f"    return {name}({call})\n")


def _broken(serial: int) -> str:
    return (f"\n\ndef _engine_after_migration_{serial}(context, agent_factory, websocket_emitter):\n"
            f"    from {CANONICAL_MOD} import UserExecutionEngine as ExecutionEngine\n\n"
            f"    return UserExecutionEngine(context, agent_factory, websocket_emitter)\n")


def plan(files: list[str], commits: int = 50, churn: float = 0.02, seed: int = 1) -> Plan:
    """Which block lives in which file from which commit to which: about ``churn`` of the files
    change between two commits."""
    r = random.Random(f"{seed}:history")
    p = Plan(commits, sorted(files))
    python = [f for f in p.files if f.endswith(".py")]
    live = [f for f in python if not is_backup_path(f)]
    serial = iter(range(1, 10 ** 9))

    def add(rel: str, block: Block) -> None:
        p.blocks.setdefault(rel, []).append(block)

    per_commit = max(1, round(churn * len(python)))
    migrations = max(1, per_commit // 30)  # legacy sites fixed per commit
    for commit in range(2, commits + 1):
        for rel in r.sample(live, migrations):
            add(rel, Block("legacy", 1, commit, _legacy(r, next(serial), is_test_path(rel))))
        if commit % 3 == 0 and commit < commits:  # a regression now and then, migrated again a few commits later
            rel = r.choice(live)
            add(rel, Block("regression", commit, min(commits, commit + r.randint(2, 8)),
                           _legacy(r, next(serial), is_test_path(rel))))
        if commit % 7 == 0 and commit < commits:  # a half-done migration, noticed later
            rel = r.choice([f for f in live if not is_test_path(f)] or live)
            add(rel, Block("broken", commit, min(commits, commit + r.randint(3, 10)), _broken(next(serial))))
        for rel in r.sample(python, per_commit - migrations - 2):
            add(rel, Block("helper", 1, commit, _helper(r, next(serial))))
        added = r.choice(python)
        if added not in p.added and not added.endswith("__init__.py"):
            p.added[added] = commit
        source = r.choice(live)
        extra = source[:-3] + "_old.py"
        if extra not in p.removed and extra not in files:
            p.removed[extra] = (source, commit)
    p.invalid_config_at = max(2, int(commits * 0.66))
    return p


def content(p: Plan, corpus: str, rel: str, commit: int) -> bytes:
    source = p.removed[rel][0] if rel in p.removed else rel
    with open(os.path.join(corpus, source), "rb") as fh:
        data = fh.read()
    if rel == "pyproject.toml" and commit == p.invalid_config_at:
        data += INVALID_TABLE.encode()
    blocks = [b for b in p.blocks.get(rel, ()) if b.alive(commit)]
    if blocks:
        if data and not data.endswith(b"\n"):
            data += b"\n"
        data += "".join(b.text for b in blocks).encode()
    return data


def corpus_files(corpus: str) -> list[str]:
    out = []
    for directory, dirnames, filenames in os.walk(corpus):
        dirnames[:] = sorted(d for d in dirnames if d not in (".git", ".ssot-cache", "__pycache__"))
        for name in sorted(filenames):
            rel = os.path.relpath(os.path.join(directory, name), corpus).replace(os.sep, "/")
            if "/" not in rel and (name in SKIPPED_NAMES or name.startswith("bench_")):
                continue
            out.append(rel)
    return out


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


_MESSAGES = {
    "legacy": "Migrate {n} engine call site{s} to the execution engine factory",
    "regression": "Hotfix: construct the legacy engine again in {n} place{s}; migrate later",
    "broken": "Switch {n} module{s} to UserExecutionEngine",
    "helper": "Normalise identifiers in {n} module{s}",
}


def _say(kind: str, n: int) -> str:
    return _MESSAGES[kind].format(n=n, s="" if n == 1 else "s")


def _message(p: Plan, commit: int) -> str:
    if commit == 1:
        return "Import the monorepo half-way through the SSOT consolidation"
    if commit == p.invalid_config_at:
        return "Configure ssot-lsp (extend-exclude)"
    if commit == p.invalid_config_at + 1:
        return "Revert the ssot-lsp configuration: extend-exclude was not a list"
    ended = [b.kind for blocks in p.blocks.values() for b in blocks if b.end == commit]
    started = [b.kind for blocks in p.blocks.values() for b in blocks if b.start == commit]
    for kind in ("broken", "regression"):
        if kind in started:
            return _say(kind, started.count(kind))
    count = ended.count("legacy") + ended.count("regression") + ended.count("broken")
    subject = _say("legacy", count) if count else _say("helper", ended.count("helper"))
    return subject + (f"\n\nAlso: {ended.count('helper')} small clean-ups." if count else "")


def stream(p: Plan, corpus: str) -> Iterator[bytes]:
    """The fast-import stream of the whole history."""
    r = random.Random("history:dates")
    when = START
    for commit in range(1, p.commits + 1):
        name, email = AUTHORS[r.randrange(len(AUTHORS))]
        when += r.randint(1, 5) * 86400 + r.randint(-7200, 7200)
        message = _message(p, commit).encode()
        head = [b"commit refs/heads/main\n", b"mark :%d\n" % commit,
                f"author {name} <{email}> {when} +0000\n".encode(),
                f"committer {name} <{email}> {when} +0000\n".encode(), _data(message)]
        if commit > 1:
            head.append(b"from :%d\n" % (commit - 1))
        yield b"".join(head)
        paths = sorted(set(p.files) | set(p.removed)) if commit == 1 else sorted(p.changed(commit))
        if commit == p.invalid_config_at or commit == p.invalid_config_at + 1:
            paths = sorted(set(paths) | {"pyproject.toml"})
        for rel in paths:
            if p.exists(rel, commit):
                yield b"M 100644 inline " + rel.encode() + b"\n" + _data(content(p, corpus, rel, commit))
            elif commit > 1 and p.exists(rel, commit - 1):
                yield b"D " + rel.encode() + b"\n"
        if commit == p.baseline_at and p.baseline:
            yield b"M 100644 inline .ssot-baseline.json\n" + _data(p.baseline)
        yield b"\n"


def record_baseline(p: Plan, corpus: str, commit: int) -> bytes:
    """``ssot-lsp baseline`` on the tree of ``commit`` (materialised in a temporary directory)."""
    with tempfile.TemporaryDirectory(prefix="ssot-history-baseline-") as tmp:
        for rel in sorted(set(p.files) | set(p.removed)):
            if p.exists(rel, commit):
                target = os.path.join(tmp, rel)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as fh:
                    fh.write(content(p, corpus, rel, commit))
        subprocess.run([sys.executable, "-m", "ssot_lsp", "baseline", "--no-cache", tmp], check=True,
                       stdout=subprocess.DEVNULL)
        with open(os.path.join(tmp, ".ssot-baseline.json"), "rb") as fh:
            return fh.read()


def write_history(corpus: str, out: str, commits: int = 50, churn: float = 0.02, seed: int = 1,
                  baseline_at: int | None = None) -> dict:
    """Write the history of ``corpus`` into a new repository ``out`` and check out its last commit."""
    started = time.time()
    p = plan(corpus_files(corpus), commits, churn, seed)
    if baseline_at:
        p.baseline_at = baseline_at
        p.baseline = record_baseline(p, corpus, baseline_at)
    if os.path.exists(out):
        shutil.rmtree(out)
    subprocess.run(["git", "init", "-q", "-b", "main", out], check=True)
    importer = subprocess.Popen(["git", "-C", out, "fast-import", "--quiet"], stdin=subprocess.PIPE)
    assert importer.stdin is not None
    for chunk in stream(p, corpus):
        importer.stdin.write(chunk)
    importer.stdin.close()
    if importer.wait() != 0:
        raise RuntimeError("git fast-import failed")
    subprocess.run(["git", "-C", out, "checkout", "-q", "-f", "main"], check=True)
    changed = [len(p.changed(c)) for c in range(2, commits + 1)]
    python = sum(f.endswith(".py") for f in p.files)
    return {"commits": commits, "files": len(p.files), "python_files": python,
            "changed_per_commit": round(sum(changed) / len(changed), 1) if changed else 0,
            "churn": round(sum(changed) / len(changed) / python, 4) if changed else 0,
            "invalid_config_at": p.invalid_config_at, "baseline_at": p.baseline_at,
            "seconds": round(time.time() - started, 1)}


__all__ = ["Plan", "plan", "write_history"]
