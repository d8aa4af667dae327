#!/usr/bin/env python3
"""Generate a *clear-cut* synthetic monorepo mid-migration, with exact SSOT ground truth.

Kept for ``tests/core/test_prefilter_soundness.py``: every violation here uses a pattern today's
rules already find, so its ground truth is today's exact output.  The benchmark corpus that looks
like the real monorepo (backups, test doubles, half-done migrations, SSOT words everywhere) is
``benchmarks/generate_corpus.py``; measure on that one.

    python benchmarks/generate_clearcut_corpus.py --out DIR [--files 20000] [--lines 8000000] [--seed 1]

The corpus follows the default profile's layout (``netra_backend/app/...``): the canonical
``UserExecutionEngine``, its factory, the legacy engine modules, the canonical and legacy
``SupervisorAgent`` and the canonical ``UnifiedWebSocketEmitter``.  Around 12-15 % of the
files *mention* engine / supervisor / emitter names in harmless ways (canonical imports,
the factory call, comments, docstrings, log strings, look-alike names, canonical
subclasses); 1-2 % of the files really violate, using only clear-cut patterns whose
findings are recorded in ``DIR/ground_truth.json`` as ``[relpath, line, code]``.

``DIR/ruff.toml`` configures ruff's banned-api rule (TID251) with the same legacy modules,
which gives a baseline for ``benchmarks/bench_check.py``.

Stdlib only; deterministic for a given ``--seed`` (and Python version); every generated
file is valid Python (``--verify`` parses them all with ``ast``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter

# --------------------------------------------------------------------------------------
# Names of the migration (default profile)
# --------------------------------------------------------------------------------------

APP = "netra_backend.app"
SUP = APP + ".agents.supervisor"
CANONICAL_MOD = SUP + ".user_execution_engine"
FACTORY_MOD = SUP + ".execution_engine_factory"
LEGACY_EE_MOD = SUP + ".execution_engine"
LEGACY_RS_MOD = SUP + ".request_scoped_execution_engine"
LEGACY_MCP_MOD = SUP + ".mcp_execution_engine"
LEGACY_CONS_MOD = APP + ".agents.execution_engine_consolidated"
LEGACY_TOOL_MOD = APP + ".agents.unified_tool_execution"
SUPERVISOR_SSOT_MOD = APP + ".agents.supervisor_ssot"
SUPERVISOR_LEGACY_MOD = APP + ".agents.supervisor_consolidated"
EMITTER_MOD = APP + ".websocket_core.unified_emitter"

# Legacy modules banned in ruff.toml (same list as the default profile's legacy modules).
RUFF_BANNED = [
    LEGACY_EE_MOD,
    LEGACY_RS_MOD,
    LEGACY_MCP_MOD,
    LEGACY_CONS_MOD,
    APP + ".agents.execution_engine_legacy_adapter",
    APP + ".agents.execution_engine_unified_factory",
    APP + ".core.managers.execution_engine_factory",
    APP + ".services.unified_tool_registry.execution_engine",
    LEGACY_TOOL_MOD,
    SUPERVISOR_LEGACY_MOD,
]

# (module, class, call-argument template) of legacy engine classes used by violations.
LEGACY_CLASSES = [
    (LEGACY_EE_MOD, "ExecutionEngine", "{reg}, {br}, user_context={ctx}"),
    (LEGACY_RS_MOD, "RequestScopedExecutionEngine", "{ctx}, {reg}, {br}"),
    (LEGACY_MCP_MOD, "MCPEnhancedExecutionEngine", "{reg}, {br}, user_context={ctx}"),
    (LEGACY_CONS_MOD, "IsolatedExecutionEngine", "{reg}, {br}, user_context={ctx}"),
    (LEGACY_TOOL_MOD, "UnifiedToolExecutionEngine", "{reg}, {br}"),
]

# Substrings that make a file count as "mentioning" engine / supervisor / emitter names.
MENTION_TOKENS = (
    "ExecutionEngine", "execution_engine", "SupervisorAgent", "notify_agent_",
    "websocket_bridge", "UnifiedWebSocketEmitter",
)

CODES = [f"SSOT{n:03d}" for n in range(1, 11)]

# --------------------------------------------------------------------------------------
# Vocabulary (no word may form a mention token)
# --------------------------------------------------------------------------------------

WORDS = """
account action adapter agent alert allocation analysis anchor archive artifact asset audit
backlog balance batch beacon billing blob bucket budget buffer bundle cache calendar
campaign candidate capacity catalog channel chart checkpoint chunk claim client cluster
cohort column command comment config connector consent contract cookie cost counter
credential cursor customer dashboard dataset deadline delta deployment detail device
digest dimension directory dispatch document domain draft entity envelope event evidence
export feature feed field filter flag forecast fragment frame funnel gateway grant graph
guard handle header health history hook identity incident index insight instance invoice
issue job journal kernel key label latency ledger lease limit lineage listing loader lock
log lookup mapping marker member memo message metric migration mirror model monitor
namespace node note notice offset operation order origin owner packet page panel parser
partition payload peer permission pipeline plan policy pool portal preference preview
price probe profile project prompt provider quota query queue quote rating reader receipt
record region relay release replica report request resource response result review role
route rule runner sample schedule schema scope score segment sender sequence session
setting shard signal snapshot source span spec stage state status step storage stream
subject summary survey tag target task template tenant thread threshold ticket timeline
token topic trace tracker transfer trigger upload usage user validator value variant
vault vendor version view voucher widget window worker workspace
""".split()  # noqa: SIM905

VERBS = """
apply build check collect compute convert create decode delete dispatch encode ensure
evaluate expand export fetch filter finalize flush format gather group handle hydrate
import index ingest inspect load lookup merge normalize parse persist prepare process
publish purge rank read rebuild record refresh register release render reset resolve
restore route sample save schedule score serialize split store summarize sync transform
update upsert validate verify write
""".split()  # noqa: SIM905

ADJ = """
active async base cached cold composite default durable dynamic external fast global
hybrid inbound internal lazy local managed outbound partial pending primary remote
scoped secure shared simple stable static streaming tenant warm weighted
""".split()  # noqa: SIM905

SUFFIXES = ["Manager", "Service", "Handler", "Repository", "Client", "Store", "Builder",
            "Resolver", "Registry", "Validator", "Processor", "Controller", "Provider",
            "Policy", "Tracker", "Adapter", "Gateway", "Coordinator", "Scheduler", "Cache"]

EXCEPTIONS = ["ValueError", "KeyError", "RuntimeError", "TimeoutError", "LookupError",
              "ConnectionError", "asyncio.TimeoutError", "OSError", "TypeError"]

TYPES = ["str", "int", "float", "bool", "dict[str, Any]", "list[str]", "Any",
         "Optional[str]", "Mapping[str, Any]", "Sequence[int]"]

STDLIB_IMPORTS = [
    "import asyncio", "import json", "import time", "import uuid", "import os",
    "import re", "import hashlib", "import functools", "import itertools",
    "from collections import defaultdict", "from datetime import datetime, timedelta, timezone",
    "from enum import Enum", "from pathlib import Path",
]

AREAS_APP = ["agents", "services", "core", "websocket_core", "db", "routes", "schemas",
             "llm", "tools", "monitoring", "auth_integration", "middleware", "clients",
             "models", "utils", "handlers", "analytics", "billing", "workflows", "cache"]

OTHER_ROOTS = ["auth_service/auth_core", "analytics_service/analytics_core", "shared",
               "frontend_api/api", "dev_launcher"]

TEST_ROOTS = ["netra_backend/tests/unit", "netra_backend/tests/integration",
              "netra_backend/tests/e2e", "tests/mission_critical", "tests/e2e",
              "auth_service/tests"]

PY_KEYWORDS = {"import", "class", "def", "for", "in", "is", "if", "else", "try", "with",
               "global", "async", "await", "lambda", "pass", "raise", "return", "yield",
               "from", "as", "del", "not", "or", "and", "while", "break", "continue",
               "nonlocal", "assert", "except", "finally", "elif", "None", "True", "False"}
WORDS = [w for w in WORDS if w not in PY_KEYWORDS]
VERBS = [w for w in VERBS if w not in PY_KEYWORDS]


def _camel(*parts: str) -> str:
    return "".join(p[:1].upper() + p[1:] for p in parts)


def _build_pools(seed: int):
    r = random.Random(seed ^ 0x5EED)
    snake = sorted({f"{a}_{b}" for a in WORDS for b in WORDS if a != b})
    r.shuffle(snake)
    snake = snake[:4000]
    camel = sorted({_camel(a, b) + s for a in ADJ for b in WORDS for s in SUFFIXES})
    r.shuffle(camel)
    camel = camel[:4000]
    funcs = sorted({f"{v}_{w}" for v in VERBS for w in WORDS})
    r.shuffle(funcs)
    funcs = funcs[:4000]
    sentences = []
    for _ in range(1500):
        sentences.append(" ".join([
            r.choice(["Return", "Compute", "Load", "Resolve", "Build", "Keep", "Track",
                      "Validate", "Refresh", "Collect", "Normalize", "Persist"]),
            "the", r.choice(ADJ), r.choice(WORDS), r.choice(["for", "of", "from", "into", "per"]),
            "the", r.choice(WORDS), r.choice(WORDS) + "."]))
    comments = []
    for _ in range(1500):
        comments.append(r.choice([
            "NOTE: {a} {b} must stay ordered by {c}.",
            "Keep the {a} {b} in sync with the {c} schema.",
            "TODO: move {a} handling into the {c} layer.",
            "The {a} may be missing for legacy {b} records.",
            "Guard against a stale {a} {b} after reconnects.",
            "Cheap check first; the {c} lookup hits the database.",
            "Retry once: the {a} {b} is eventually consistent.",
            "{a} values are normalised to lower case upstream.",
        ]).format(a=r.choice(WORDS), b=r.choice(WORDS), c=r.choice(WORDS)))
    msgs = [f"{r.choice(VERBS)} {r.choice(WORDS)} {r.choice(WORDS)}" for _ in range(800)]
    keys = sorted(set(WORDS))
    return snake, camel, funcs, sentences, comments, msgs, keys


# --------------------------------------------------------------------------------------
# File builder
# --------------------------------------------------------------------------------------


class FileBuf:
    """Lines of one file plus the findings marked on them."""

    __slots__ = ("findings", "lines")

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.findings: list[tuple[int, str]] = []

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def extend(self, lines: list[str]) -> None:
        self.lines.extend(lines)

    def mark(self, line: str, code: str) -> None:
        """Append one line that produces exactly one finding `code`."""
        self.lines.append(line)
        self.findings.append((len(self.lines), code))

    def add_block(self, block) -> None:
        """A block is a list of str or (str, code) items."""
        for item in block:
            if isinstance(item, tuple):
                self.mark(item[0], item[1])
            else:
                self.lines.append(item)

    def __len__(self) -> int:
        return len(self.lines)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


# --------------------------------------------------------------------------------------
# Filler code (clean)
# --------------------------------------------------------------------------------------


class Gen:
    def __init__(self, seed: int) -> None:
        (self.snake, self.camel, self.funcs, self.sentences, self.comments,
         self.msgs, self.keys) = _build_pools(seed)

    # -- statements ---------------------------------------------------------------
    def body(self, r: random.Random, ind: str, params: list[str], is_async: bool,
             in_method: bool, n: int) -> list[str]:
        """About n lines of statements at indentation `ind`."""
        out: list[str] = []
        local = list(params) or ["payload"]
        if not params:
            out.append(f"{ind}payload: dict[str, Any] = {{}}")
        snake = self.snake
        while len(out) < n:
            k = r.randrange(12)
            v = r.choice(snake)
            src = r.choice(local)
            if k == 0:
                out.append(f"{ind}# {r.choice(self.comments)}")
                out.append(f"{ind}{v} = {src}.get(\"{r.choice(self.keys)}\") if isinstance({src}, dict) else {src}")
            elif k == 1:
                it = r.choice(self.keys)
                out.extend((
                    f"{ind}{v}: list[Any] = []",
                    f"{ind}for {it} in ({src} or []):",
                    f"{ind}    if not {it}:",
                    f"{ind}        continue",
                    f"{ind}    {v}.append({it})",
                ))
            elif k == 2:
                out.extend((
                    f"{ind}if {src} is None:",
                    f"{ind}    logger.debug(\"{r.choice(self.msgs)}: missing %s\", \"{src}\")",
                    f"{ind}    return None",
                ))
                continue
            elif k == 3 and is_async:
                exc = r.choice(EXCEPTIONS)
                out.extend((
                    f"{ind}try:",
                    f"{ind}    {v} = await asyncio.wait_for(_noop({src}), timeout={r.randint(1, 30)})",
                    f"{ind}except {exc} as exc:",
                    f"{ind}    logger.warning(\"{r.choice(self.msgs)} failed: %s\", exc)",
                    f"{ind}    raise",
                ))
            elif k == 4:
                out.append(f"{ind}{v} = {{\"{r.choice(self.keys)}\": {src}, \"{r.choice(self.keys)}\": {r.randint(0, 999)}}}")
            elif k == 5:
                out.extend((
                    f"{ind}{v} = len(str({src})) * {r.randint(2, 64)}",
                    f"{ind}if {v} > {r.randint(100, 10000)}:",
                    f"{ind}    {v} = {v} // {r.randint(2, 9)}",
                ))
            elif k == 6:
                out.append(f"{ind}logger.info(\"{r.choice(self.msgs)} %s\", {src})")
                continue
            elif k == 7 and in_method:
                out.append(f"{ind}{v} = self._{r.choice(self.keys)}_state.setdefault(\"{r.choice(self.keys)}\", {r.randint(0, 9)})")
            elif k == 8:
                out.extend((
                    f"{ind}{v} = [",
                    f"{ind}    item for item in str({src}).split(\"{r.choice(',;:|')}\")",
                    f"{ind}    if item.strip()",
                    f"{ind}]",
                ))
            elif k == 9:
                out.extend((
                    f"{ind}with _timer(\"{r.choice(self.funcs)}\"):",
                    f"{ind}    {v} = sorted(str({src}))[:{r.randint(1, 50)}]",
                ))
            elif k == 10:
                out.append(f"{ind}assert {src} is not {r.choice(('None', 'Ellipsis'))}, \"{r.choice(self.msgs)}\"")
                continue
            else:
                out.append(f"{ind}{v} = {r.choice(('str', 'repr', 'bool', 'id', 'hash'))}({src})")
            local.append(v)
        out.append(f"{ind}return {local[-1]}")
        return out

    def function(self, r: random.Random, name: str | None = None, ind: str = "",
                 in_method: bool = False, n: int | None = None) -> list[str]:
        is_async = r.random() < 0.4
        name = name or r.choice(self.funcs)
        params = r.sample(self.keys, r.randint(0, 3))
        sig_params = ", ".join(f"{p}: {r.choice(TYPES)}" for p in params)
        if in_method:
            sig_params = "self" + (", " + sig_params if sig_params else "")
        out = []
        if in_method and r.random() < 0.1:
            out.append(f"{ind}@property")
            sig_params = "self"
            params = []
            is_async = False
        head = "async def" if is_async else "def"
        out.append(f"{ind}{head} {name}({sig_params}) -> {r.choice(TYPES)}:")
        if r.random() < 0.6:
            out.append(f"{ind}    \"\"\"{r.choice(self.sentences)}\"\"\"")
        out.extend(self.body(r, ind + "    ", params, is_async, in_method,
                             n if n is not None else r.randint(3, 22)))
        out.append("")
        return out

    def klass(self, r: random.Random, name: str, bases: list[str], n_methods: int,
              extra_methods: list[list[str]] | None = None) -> list[str]:
        base = f"({', '.join(bases)})" if bases else ""
        out = []
        dataclass = not bases and r.random() < 0.15
        if dataclass:
            out.append("@dataclass")
        out.append(f"class {name}{base}:")
        out.append(f"    \"\"\"{r.choice(self.sentences)}")
        if r.random() < 0.5:
            out.append("")
            out.append(f"    {r.choice(self.sentences)}")
        out.append("    \"\"\"")
        out.append("")
        if dataclass:
            for f in r.sample(self.keys, r.randint(2, 6)):
                out.append(f"    {f}: {r.choice(TYPES)} = None")
            out.append("")
        else:
            attrs = r.sample(self.keys, r.randint(1, 4))
            out.append(f"    def __init__(self, {', '.join(a + ': Any = None' for a in attrs)}) -> None:")
            if bases:
                out.append("        super().__init__()")
            for a in attrs:
                out.append(f"        self._{a} = {a}")
            out.append(f"        self._{r.choice(self.keys)}_state: dict[str, Any] = {{}}")
            out.append("")
        for m in extra_methods or ():
            out.extend(m)
        for _ in range(n_methods):
            out.extend(self.function(r, name=r.choice(self.funcs) if r.random() < 0.8
                                     else "_" + r.choice(self.funcs),
                                     ind="    ", in_method=True))
        out.append("")
        return out

    def header(self, r: random.Random, buf: FileBuf, doc_extra: list[str] | None = None,
               stdlib: int | None = None) -> None:
        buf.add(f"\"\"\"{r.choice(self.sentences)}", "")
        for s in r.sample(self.sentences, r.randint(0, 3)):
            buf.add(s)
        for s in doc_extra or ():
            buf.add(s)
        buf.add("\"\"\"", "", "from __future__ import annotations", "")
        buf.add("import asyncio", "import logging")
        for imp in sorted(r.sample(STDLIB_IMPORTS, stdlib if stdlib is not None else r.randint(0, 4))):
            if imp not in ("import asyncio",):
                buf.add(imp)
        buf.add("from contextlib import contextmanager")
        buf.add("from dataclasses import dataclass, field")
        buf.add("from typing import Any, Mapping, Optional, Sequence")
        buf.add("")

    def prelude(self, r: random.Random, buf: FileBuf) -> None:
        buf.add("", "logger = logging.getLogger(__name__)", "")
        for _ in range(r.randint(0, 3)):
            buf.add(f"{r.choice(self.keys).upper()}_{r.choice(self.keys).upper()} = {r.randint(1, 5000)}")
        buf.add("", "",
                "async def _noop(value: Any) -> Any:",
                "    return value",
                "", "",
                "@contextmanager",
                "def _timer(label: str):",
                "    started = 0.0",
                "    try:",
                "        yield",
                "    finally:",
                "        logger.debug(\"%s took %.3fs\", label, started)",
                "", "")

    def fill(self, r: random.Random, buf: FileBuf, target: int, specials: list,
             imported: list[str], exports: list[str]) -> None:
        """Planned exports, then filler blocks with `specials` (blocks) spread among them."""
        for name in exports:
            if name[0].isupper():
                bases = [r.choice(imported)] if imported and r.random() < 0.3 else []
                buf.extend(self.klass(r, name, bases, r.randint(1, 3)))
            else:
                buf.extend(self.function(r, name=name))
            buf.add("")
        specials = list(specials)
        while len(buf) < target or specials:
            if specials and (len(buf) >= target or r.random() < 0.35):
                buf.add_block(specials.pop(0))
                buf.add("", "")
                continue
            if r.random() < 0.35:
                name = r.choice(self.camel)
                bases = [r.choice(imported)] if imported and r.random() < 0.2 else []
                remaining = max(1, (target - len(buf)) // 14)
                buf.extend(self.klass(r, name, bases, r.randint(1, min(12, remaining))))
            else:
                buf.extend(self.function(r))
            buf.add("")
        while buf.lines and buf.lines[-1] == "":
            buf.lines.pop()

    # -- tests -------------------------------------------------------------------
    def test_header(self, r: random.Random, buf: FileBuf) -> None:
        buf.add(f"\"\"\"Tests: {r.choice(self.sentences)}\"\"\"", "",
                "from __future__ import annotations", "",
                "import asyncio", "import logging")
        buf.add("from contextlib import contextmanager", "from typing import Any", "",
                "import pytest", "from unittest import mock", "")

    def test_fill(self, r: random.Random, buf: FileBuf, target: int, specials: list,
                  imported: list[str]) -> None:
        buf.add("", "logger = logging.getLogger(__name__)", "", "",
                "async def _noop(value: Any) -> Any:", "    return value", "", "",
                "@contextmanager", "def _timer(label: str):", "    yield label", "", "",
                "@pytest.fixture", f"def {r.choice(self.keys)}_fixture() -> dict[str, Any]:",
                f"    return {{\"{r.choice(self.keys)}\": {r.randint(0, 99)}}}", "", "")
        specials = list(specials)
        while len(buf) < target or specials:
            if specials and (len(buf) >= target or r.random() < 0.35):
                buf.add_block(specials.pop(0))
                buf.add("", "")
                continue
            name = "test_" + r.choice(self.funcs)
            is_async = r.random() < 0.4
            if is_async:
                buf.add("@pytest.mark.asyncio")
            buf.add(f"{'async def' if is_async else 'def'} {name}() -> None:")
            buf.add(f"    \"\"\"{r.choice(self.sentences)}\"\"\"")
            if imported and r.random() < 0.5:
                buf.add(f"    subject = {r.choice(imported)}()")
            else:
                buf.add(f"    subject = mock.MagicMock(name=\"{r.choice(self.keys)}\")")
            body = self.body(r, "    ", ["subject"], is_async, False, r.randint(3, 15))
            body[-1] = f"    assert {body[-1].strip()[7:]} is not Ellipsis"
            buf.extend(body)
            buf.add("", "")
        while buf.lines and buf.lines[-1] == "":
            buf.lines.pop()


# --------------------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------------------


def dotted(relpath: str) -> str:
    return relpath[:-3].replace("/", ".").removesuffix(".__init__")


def relative_from(importer: str, target_mod: str) -> str:
    """`from X import` spelling of absolute module `target_mod` relative to module file `importer`."""
    pkg = dotted(importer).split(".")
    if not importer.endswith("__init__.py"):
        pkg = pkg[:-1]
    tgt = target_mod.split(".")
    common = 0
    while common < min(len(pkg), len(tgt)) and pkg[common] == tgt[common]:
        common += 1
    assert common >= 1, (importer, target_mod)
    level = len(pkg) - common + 1
    return "." * level + ".".join(tgt[common:])


FIXED_MODULES = {
    "netra_backend/app/agents/supervisor/user_execution_engine.py": "canonical",
    "netra_backend/app/agents/supervisor/execution_engine_factory.py": "factory",
    "netra_backend/app/agents/supervisor/execution_engine.py": "legacy_ee",
    "netra_backend/app/agents/supervisor/request_scoped_execution_engine.py": "legacy_rs",
    "netra_backend/app/agents/supervisor/mcp_execution_engine.py": "legacy_mcp",
    "netra_backend/app/agents/execution_engine_consolidated.py": "legacy_cons",
    "netra_backend/app/agents/unified_tool_execution.py": "legacy_tool",
    "netra_backend/app/agents/supervisor_ssot.py": "supervisor_ssot",
    "netra_backend/app/agents/supervisor_consolidated.py": "supervisor_legacy",
    "netra_backend/app/websocket_core/unified_emitter.py": "emitter",
}
FIXED_PACKAGES = ["netra_backend", "netra_backend/app", "netra_backend/app/agents",
                  "netra_backend/app/agents/supervisor", "netra_backend/app/websocket_core"]


def build_layout(r: random.Random, n_files: int) -> tuple[dict[str, list[str]], list[str]]:
    """Return (package dir -> module file names) and the list of all .py relpaths."""
    pkgs: dict[str, list[str]] = {}
    count = 0

    def ensure_pkg(path: str) -> None:
        nonlocal count
        parts = path.split("/")
        for i in range(1, len(parts) + 1):
            p = "/".join(parts[:i])
            if p not in pkgs:
                pkgs[p] = ["__init__.py"]
                count += 1

    for p in FIXED_PACKAGES:
        ensure_pkg(p)
    for rel in FIXED_MODULES:
        d, f = rel.rsplit("/", 1)
        pkgs[d].append(f)
        count += 1

    def add_modules(pkg: str, n: int, test: bool) -> None:
        nonlocal count
        existing = set(pkgs[pkg])
        subdirs = {k.rsplit("/", 1)[-1] for k in pkgs if k.startswith(pkg + "/")}
        tries = 0
        while n > 0 and count < n_files and tries < 10 * n + 50:
            tries += 1
            name = f"{r.choice(WORDS)}_{r.choice(WORDS if r.random() < 0.5 else VERBS)}"
            if test:
                name = "test_" + name
            fn = name + ".py"
            if fn in existing or name in subdirs or fn.startswith(("execution", "supervisor")):
                continue
            existing.add(fn)
            pkgs[pkg].append(fn)
            count += 1
            n -= 1

    # generated modules inside the fixed packages (relative-import neighbourhood)
    add_modules("netra_backend/app/agents/supervisor", 40, False)
    add_modules("netra_backend/app/agents", 40, False)
    add_modules("netra_backend/app/websocket_core", 30, False)

    while count < n_files:
        x = r.random()
        if x < 0.72:
            base = "netra_backend/app/" + r.choice(AREAS_APP)
            test = False
        elif x < 0.84:
            base = r.choice(OTHER_ROOTS)
            test = False
        else:
            base = r.choice(TEST_ROOTS)
            test = True
        depth = r.choice((1, 1, 2, 2, 3))
        path = base + "".join("/" + r.choice(WORDS) for _ in range(depth))
        # avoid a package that shadows a module file of its parent
        parent, leaf = path.rsplit("/", 1)
        if parent in pkgs and leaf + ".py" in pkgs[parent]:
            continue
        if path in pkgs and len(pkgs[path]) > 30:
            continue
        ensure_pkg(path)
        if count >= n_files:
            break
        add_modules(path, r.randint(4, 26), test)

    files = sorted(f"{d}/{f}" for d, fs in pkgs.items() for f in fs)
    return pkgs, files


# --------------------------------------------------------------------------------------
# Fixed modules
# --------------------------------------------------------------------------------------


def fixed_module(g: Gen, r: random.Random, kind: str, target: int) -> FileBuf:
    buf = FileBuf()
    if kind == "canonical":
        g.header(r, buf, ["", "SSOT: the only execution engine. Create instances through",
                          "ExecutionEngineFactory.create_for_user(context)."], stdlib=2)
        buf.add("import warnings")
        g.prelude(r, buf)
        buf.extend([
            "class UserExecutionEngine:",
            "    \"\"\"Per-user execution engine (single source of truth).\"\"\"",
            "",
            "    def __init__(self, context: Any, factory: Any, websocket_emitter: Any) -> None:",
            "        self.context = context",
            "        self._factory = factory",
            "        self._emitter = websocket_emitter",
            "        self._runs: dict[str, Any] = {}",
            "",
            "    @classmethod",
            "    async def create_from_legacy(cls, registry: Any, websocket_bridge: Any, user_context: Any = None) -> \"UserExecutionEngine\":",
            "        \"\"\"Deprecated compatibility constructor: goes through the factory.\"\"\"",
            "        warnings.warn(\"create_from_legacy is deprecated\", DeprecationWarning, stacklevel=2)",
            f"        from {FACTORY_MOD} import get_execution_engine_factory",
            "",
            "        factory = await get_execution_engine_factory()",
            "        return await factory.create_for_user(user_context)",
            "",
            "    async def execute_agent(self, agent_name: str, state: Any) -> Any:",
            "        await self._emitter.notify_agent_started(agent_name, self.context)",
            "        result = await _noop(state)",
            "        await self._emitter.notify_agent_completed(agent_name, result)",
            "        return result",
            "",
        ])
        for _ in range(max(1, (target - len(buf)) // 14)):
            buf.extend(g.function(r, ind="    ", in_method=True))
        return buf
    if kind == "factory":
        g.header(r, buf, stdlib=1)
        buf.add(f"from {CANONICAL_MOD} import UserExecutionEngine")
        buf.add(f"from {EMITTER_MOD} import UnifiedWebSocketEmitter")
        g.prelude(r, buf)
        buf.extend([
            "class ExecutionEngineFactory:",
            "    \"\"\"The only place that constructs UserExecutionEngine.\"\"\"",
            "",
            "    def __init__(self) -> None:",
            "        self._engines: dict[str, UserExecutionEngine] = {}",
            "",
            "    async def create_for_user(self, context: Any) -> UserExecutionEngine:",
            "        emitter = UnifiedWebSocketEmitter(context)",
            "        engine = UserExecutionEngine(context, self, emitter)",
            "        self._engines[str(id(context))] = engine",
            "        return engine",
            "",
            "    async def user_execution_scope(self, context: Any) -> UserExecutionEngine:",
            "        return await self.create_for_user(context)",
            "",
            "",
            "_FACTORY: Optional[ExecutionEngineFactory] = None",
            "",
            "",
            "async def get_execution_engine_factory() -> ExecutionEngineFactory:",
            "    global _FACTORY",
            "    if _FACTORY is None:",
            "        _FACTORY = ExecutionEngineFactory()",
            "    return _FACTORY",
            "",
            "",
        ])
        for _ in range(max(1, (target - len(buf)) // 14)):
            buf.extend(g.function(r))
        return buf
    if kind.startswith("legacy_") or kind == "supervisor_legacy":
        spec = {
            "legacy_ee": ("ExecutionEngine", "registry: Any, websocket_bridge: Any, user_context: Any = None", "SSOT004"),
            "legacy_rs": ("RequestScopedExecutionEngine", "user_context: Any, registry: Any, websocket_bridge: Any", "SSOT004"),
            "legacy_mcp": ("MCPEnhancedExecutionEngine", "registry: Any, websocket_bridge: Any, user_context: Any = None", "SSOT004"),
            "legacy_cons": ("IsolatedExecutionEngine", "registry: Any, websocket_bridge: Any, user_context: Any = None", "SSOT004"),
            "legacy_tool": ("UnifiedToolExecutionEngine", "registry: Any, websocket_bridge: Any = None", "SSOT004"),
            "supervisor_legacy": ("SupervisorAgent", "llm_manager: Any, websocket_bridge: Any, tool_dispatcher: Any = None", "SSOT005"),
        }[kind]
        cls, params, code = spec
        g.header(r, buf, ["", f"DEPRECATED: legacy {cls} kept during the SSOT migration."], stdlib=1)
        g.prelude(r, buf)
        buf.add(f"__all__ = [\"{cls}\"]", "", "")
        buf.mark(f"class {cls}:", code)
        buf.add(f"    \"\"\"Legacy {cls}; use the SSOT replacement.\"\"\"", "")
        buf.add(f"    def __init__(self, {params}) -> None:")
        for p in params.split(", "):
            n = p.split(":")[0]
            buf.add(f"        self.{n} = {n}")
        buf.add("")
        for _ in range(max(2, (target - len(buf)) // 14)):
            buf.extend(g.function(r, ind="    ", in_method=True))
        return buf
    if kind == "supervisor_ssot":
        g.header(r, buf, ["", "SSOT SupervisorAgent."], stdlib=1)
        buf.add(f"from {FACTORY_MOD} import get_execution_engine_factory")
        buf.add(f"from {CANONICAL_MOD} import UserExecutionEngine")
        g.prelude(r, buf)
        buf.extend([
            "class SupervisorAgent:",
            "    \"\"\"Routes user requests to sub-agents through a UserExecutionEngine.\"\"\"",
            "",
            "    def __init__(self, llm_manager: Any, websocket_bridge: Any) -> None:",
            "        self.llm_manager = llm_manager",
            "        self.websocket_bridge = websocket_bridge",
            "",
            "    async def run(self, ctx: Any, request: Any) -> Any:",
            "        engine: UserExecutionEngine = await (await get_execution_engine_factory()).create_for_user(ctx)",
            "        return await engine.execute_agent(\"triage\", request)",
            "",
        ])
        for _ in range(max(1, (target - len(buf)) // 14)):
            buf.extend(g.function(r, ind="    ", in_method=True))
        return buf
    if kind == "emitter":
        g.header(r, buf, ["", "SSOT WebSocket event emitter."], stdlib=1)
        g.prelude(r, buf)
        buf.extend([
            "class UnifiedWebSocketEmitter:",
            "    \"\"\"The single delivery path for agent events.\"\"\"",
            "",
            "    def __init__(self, context: Any) -> None:",
            "        self.context = context",
            "        self.sent: list[dict[str, Any]] = []",
            "",
        ])
        for ev in ("started", "thinking", "tool_executing", "tool_completed", "completed", "error"):
            buf.extend([
                f"    async def notify_agent_{ev}(self, agent_name: str, payload: Any = None) -> None:",
                f"        self.sent.append({{\"type\": \"agent_{ev}\", \"agent\": agent_name, \"payload\": payload}})",
                "",
            ])
        for _ in range(max(1, (target - len(buf)) // 14)):
            buf.extend(g.function(r, ind="    ", in_method=True))
        return buf
    raise ValueError(kind)


# --------------------------------------------------------------------------------------
# Harmless mentions
# --------------------------------------------------------------------------------------


def harmless(g: Gen, r: random.Random, is_test: bool, n: int):
    """Return (imports, blocks, doc_lines) mentioning engine names harmlessly."""
    imports: list[str] = []
    blocks: list[list] = []
    doc: list[str] = []
    kinds = r.sample(range(12), n)
    legacy_names = [c for _, c, _ in LEGACY_CLASSES] + ["SupervisorAgent"]
    for k in kinds:
        fn = r.choice(g.funcs)
        if k == 0:
            imports.append(f"from {CANONICAL_MOD} import UserExecutionEngine")
            blocks.append([
                f"def {fn}(engine: UserExecutionEngine, {r.choice(g.keys)}: Any = None) -> Optional[UserExecutionEngine]:",
                f"    \"\"\"{r.choice(g.sentences)}\"\"\"",
                "    if engine is None:",
                "        return None",
                "    return engine",
            ])
        elif k == 1:
            imports.append(f"from {FACTORY_MOD} import get_execution_engine_factory")
            blocks.append([
                f"async def {fn}(ctx: Any) -> Any:",
                "    \"\"\"Run one request on the user's own engine.\"\"\"",
                "    execution_engine = await (await get_execution_engine_factory()).create_for_user(ctx)",
                "    logger.info(\"engine ready for %s\", ctx)",
                "    return execution_engine",
            ])
        elif k == 2:
            name = r.choice(legacy_names)
            doc.extend(["", f"Migrated off {name} (see the SSOT plan); UserExecutionEngine is the SSOT."])
            blocks.append([
                f"# was: from {LEGACY_EE_MOD} import ExecutionEngine",
                f"# {name} is deprecated; keep using the factory.",
                f"def {fn}(run_id: str) -> None:",
                f"    logger.warning(\"legacy {name} path removed for run %s\", run_id)",
            ])
        elif k == 3:
            blocks.append([
                f"def {fn}(execution_engine: Any, websocket_bridge: Any = None) -> dict[str, Any]:",
                "    \"\"\"Describe the wiring of an engine and its bridge.\"\"\"",
                "    return {\"execution_engine\": repr(execution_engine), \"websocket_bridge\": websocket_bridge}",
            ])
        elif k == 4:
            imports.append(f"from {FACTORY_MOD} import ExecutionEngineFactory")
            blocks.append([
                f"def {fn}(factory: ExecutionEngineFactory) -> ExecutionEngineFactory:",
                "    return factory",
            ])
        elif k == 5:
            cname = _camel(r.choice(g.keys), r.choice(g.keys)) + "ExecutionEngineConfig"
            blocks.append([
                "@dataclass",
                f"class {cname}:",
                "    \"\"\"Settings of the ExecutionEngine rollout.\"\"\"",
                "",
                "    max_concurrent_executions: int = 8",
                "    websocket_bridge_timeout: float = 5.0",
            ])
        elif k == 6:
            imports.append(f"from {CANONICAL_MOD} import UserExecutionEngine")
            cname = _camel(r.choice(g.keys), r.choice(g.keys)) + "Runner"
            blocks.append([
                f"class {cname}(UserExecutionEngine):",
                "    \"\"\"Canonical engine with extra tracing (subclassing the SSOT is allowed).\"\"\"",
                "",
                f"    async def {fn}(self, agent_name: str) -> Any:",
                "        return await self.execute_agent(agent_name, None)",
            ])
        elif k == 7:
            imports.append(f"from {SUPERVISOR_SSOT_MOD} import SupervisorAgent")
            cname = _camel(r.choice(g.keys), r.choice(g.keys)) + "Orchestrator"
            blocks.append([
                f"class {cname}(SupervisorAgent):",
                "    \"\"\"Extends the SSOT SupervisorAgent.\"\"\"",
                "",
                f"    async def {fn}(self, ctx: Any, request: Any) -> Any:",
                "        return await self.run(ctx, request)",
            ])
        elif k == 8:
            imports.append(f"from {EMITTER_MOD} import UnifiedWebSocketEmitter")
            blocks.append([
                f"async def {fn}(emitter: UnifiedWebSocketEmitter, agent_name: str) -> None:",
                "    await emitter.notify_agent_started(agent_name)",
                "    await emitter.notify_agent_thinking(agent_name, {\"step\": 1})",
                "    await emitter.notify_agent_completed(agent_name, {\"ok\": True})",
            ])
        elif k == 9:
            blocks.append([
                f"def {fn}(metrics: dict[str, Any]) -> int:",
                "    # counts per engine kind; ExecutionEngine / SupervisorAgent are legacy labels",
                "    return int(metrics.get(\"execution_engine\", 0)) + int(metrics.get(\"SupervisorAgent\", 0))",
            ])
        elif k == 10 and is_test:
            target = r.choice([FACTORY_MOD + ".get_execution_engine_factory",
                               CANONICAL_MOD + ".UserExecutionEngine.execute_agent",
                               EMITTER_MOD + ".UnifiedWebSocketEmitter.notify_agent_started"])
            blocks.append([
                f"def test_{fn}() -> None:",
                f"    with mock.patch(\"{target}\") as patched:",
                "        patched.return_value = None",
                "        assert patched is not None",
            ])
        else:
            imports.append(f"from {CANONICAL_MOD} import UserExecutionEngine")
            blocks.append([
                f"def {fn}(engines: Sequence[UserExecutionEngine]) -> int:",
                "    \"\"\"Count live engines; the legacy RequestScopedExecutionEngine is gone.\"\"\"",
                "    return sum(1 for e in engines if isinstance(e, UserExecutionEngine))",
            ])
    return sorted(set(imports)), blocks, doc


# --------------------------------------------------------------------------------------
# Violations
# --------------------------------------------------------------------------------------


def call_args(tpl: str) -> str:
    return tpl.format(reg="registry", br="bridge", ctx="ctx")


def legacy_fn(r: random.Random, g: Gen, lines: list) -> list:
    return [f"async def {r.choice(g.funcs)}_legacy(registry: Any, bridge: Any, ctx: Any) -> Any:",
            f"    \"\"\"{r.choice(g.sentences)}\"\"\""] + lines + ["    return engine"]


def violation_plan(r: random.Random, g: Gen, pattern: str, relpath: str) -> tuple[list, list]:
    """(import items, blocks) for a single-file violation pattern; items may be (line, code)."""
    imports: list = []
    blocks: list = []
    mod, cls, tpl = r.choice(LEGACY_CLASSES)
    if pattern == "import_abs":
        imports.append((f"from {mod} import {cls}", "SSOT001"))
        blocks.append([f"def {r.choice(g.funcs)}(engine: {cls}) -> Any:",
                       "    return engine"])
    elif pattern == "import_abs_call":
        imports.append((f"from {mod} import {cls}", "SSOT001"))
        k = r.randint(1, 3)
        for _ in range(k):
            blocks.append(legacy_fn(r, g, [(f"    engine = {cls}({call_args(tpl)})", "SSOT002")]))
    elif pattern == "reexport":
        imports.append(("from netra_backend.app.agents import ExecutionEngine", "SSOT001"))
        if r.random() < 0.6:
            blocks.append(legacy_fn(r, g, [("    engine = ExecutionEngine(registry, bridge, user_context=ctx)", "SSOT002")]))
        else:
            blocks.append([f"def {r.choice(g.funcs)}(engine: ExecutionEngine) -> Any:", "    return engine"])
    elif pattern == "relative":
        rel = relative_from(relpath, mod) if relpath.startswith("netra_backend/") else mod
        imports.append((f"from {rel} import {cls}", "SSOT001"))
        if r.random() < 0.6:
            blocks.append(legacy_fn(r, g, [(f"    engine = {cls}({call_args(tpl)})", "SSOT002")]))
        else:
            blocks.append([f"def {r.choice(g.funcs)}(engine: {cls}) -> Any:", "    return engine"])
    elif pattern == "module_alias":
        alias = r.choice(["ee", "legacy_engine", "eng_mod", "_ee"])
        imports.append((f"import {mod} as {alias}", "SSOT001"))
        blocks.append(legacy_fn(r, g, [(f"    engine = {alias}.{cls}({call_args(tpl)})", "SSOT002")]))
    elif pattern == "create_from_legacy":
        imports.append(f"from {CANONICAL_MOD} import UserExecutionEngine")
        blocks.append(legacy_fn(r, g, [("    engine = await UserExecutionEngine.create_from_legacy(registry, bridge, user_context=ctx)", "SSOT002")]))
    elif pattern == "star":
        imports.append((f"from {LEGACY_EE_MOD} import *", "SSOT001"))
        blocks.append(legacy_fn(r, g, [("    engine = ExecutionEngine(registry, bridge, user_context=ctx)", "SSOT002")]))
    elif pattern == "factory_bypass":
        imports.append(f"from {CANONICAL_MOD} import UserExecutionEngine")
        blocks.append([f"def {r.choice(g.funcs)}_direct(ctx: Any, factory: Any, emitter: Any) -> Any:",
                       "    \"\"\"Builds the engine by hand instead of using the factory.\"\"\"",
                       ("    engine = UserExecutionEngine(ctx, factory, emitter)", "SSOT003"),
                       "    return engine"])
    elif pattern == "dup_class":
        cname = _camel(r.choice(g.keys), r.choice(g.keys)) + "ExecutionEngine"
        blocks.append([(f"class {cname}:", "SSOT004"),
                       "    \"\"\"Local engine variant (duplicate of the SSOT engine).\"\"\"",
                       "",
                       "    def __init__(self, registry: Any, websocket_bridge: Any) -> None:",
                       "        self.registry = registry",
                       "        self.websocket_bridge = websocket_bridge",
                       "",
                       "    async def execute_agent(self, agent_name: str, state: Any) -> Any:",
                       "        return state"])
    elif pattern == "legacy_subclass":
        imports.append((f"from {LEGACY_RS_MOD} import RequestScopedExecutionEngine", "SSOT001"))
        cname = _camel(r.choice(g.keys), r.choice(g.keys)) + r.choice(["Runner", "Worker", "Executor"])
        blocks.append([(f"class {cname}(RequestScopedExecutionEngine):", "SSOT004"),
                       "    \"\"\"Tenant-aware variant of the request scoped engine.\"\"\"",
                       "",
                       "    def describe(self) -> str:",
                       "        return type(self).__name__"])
    elif pattern == "dup_supervisor":
        blocks.append([("class SupervisorAgent:", "SSOT005"),
                       "    \"\"\"A second SupervisorAgent (duplicate name).\"\"\"",
                       "",
                       "    def __init__(self, llm_manager: Any) -> None:",
                       "        self.llm_manager = llm_manager"])
    elif pattern == "dup_events":
        cname = _camel(r.choice(g.keys), r.choice(g.keys)) + r.choice(["Notifier", "Broadcaster", "Publisher"])
        evs = r.sample(["started", "thinking", "completed", "error", "tool_executing"], r.randint(2, 4))
        blk: list = [(f"class {cname}:", "SSOT006"),
                     "    \"\"\"Sends agent events on its own (duplicate delivery path).\"\"\"",
                     "",
                     "    def __init__(self, socket: Any) -> None:",
                     "        self.socket = socket",
                     ""]
        for ev in evs:
            blk += [f"    async def notify_agent_{ev}(self, agent_name: str, payload: Any = None) -> None:",
                    f"        await self.socket.send_json({{\"type\": \"agent_{ev}\", \"agent\": agent_name}})",
                    ""]
        blocks.append(blk[:-1])
    elif pattern == "test_patch":
        target = f"{mod}.{cls}" if r.random() < 0.7 else mod
        fn = r.choice(g.funcs)
        if r.random() < 0.5:
            blocks.append([(f"@mock.patch(\"{target}\")", "SSOT007"),
                           f"def test_{fn}(patched: Any) -> None:",
                           "    assert patched is not None"])
        else:
            blocks.append([f"def test_{fn}() -> None:",
                           (f"    with mock.patch(\"{target}\") as patched:", "SSOT007"),
                           "        assert patched is not None"])
    elif pattern == "test_import_module":
        imports.append("import importlib")
        blocks.append([f"def test_{r.choice(g.funcs)}_module_gone() -> None:",
                       (f"    importlib.import_module(\"{mod}\")", "SSOT007"),
                       "    assert True"])
    else:
        raise ValueError(pattern)
    return imports, blocks


# pattern -> weight (single-file patterns); "chain" makes 3-4 files.
APP_PATTERNS = {
    "import_abs": 14, "import_abs_call": 14, "reexport": 8, "relative": 10, "module_alias": 6,
    "create_from_legacy": 6, "star": 4, "factory_bypass": 8, "dup_class": 8,
    "legacy_subclass": 6, "dup_supervisor": 4, "dup_events": 8, "chain": 8,
}
TEST_PATTERNS = {"test_patch": 3, "test_import_module": 2}


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------


def sizes_for(r: random.Random, n: int, total: int) -> list[int]:
    """n file sizes (lines) summing to about `total`: lognormal, many small, capped at 5000."""
    raw = [r.lognormvariate(0.0, 1.15) for _ in range(n)]
    lo, hi = 0.0, 100000.0
    for _ in range(60):
        k = (lo + hi) / 2
        s = sum(min(4960, max(12, int(x * k))) for x in raw)
        if s < total:
            lo = k
        else:
            hi = k
    return [min(4960, max(12, int(x * hi))) for x in raw]


def generate(out: str, n_files: int, n_lines: int, seed: int, verify: bool = False) -> dict:
    t0 = time.perf_counter()
    r = random.Random(seed)
    g = Gen(seed)
    _pkgs, files = build_layout(r, n_files)

    modules = [f for f in files if not f.endswith("__init__.py") and f not in FIXED_MODULES]
    is_test = {f: ("/tests/" in "/" + f or f.rsplit("/", 1)[-1].startswith("test_")) for f in files}
    app_modules = [f for f in modules if not is_test[f]]
    test_modules = [f for f in modules if is_test[f]]

    # ---- roles ------------------------------------------------------------------------
    role: dict[str, tuple] = {}
    n_violating_target = max(12, round(n_files * 0.015))
    pool_app = app_modules[:]
    r.shuffle(pool_app)
    pool_test = test_modules[:]
    r.shuffle(pool_test)
    violating = 0
    chain_no = 0
    app_names = list(APP_PATTERNS)
    app_w = [APP_PATTERNS[k] for k in app_names]
    test_share = len(test_modules) / max(1, len(modules))
    must = list(TEST_PATTERNS) + list(APP_PATTERNS)  # every pattern at least once
    while violating < n_violating_target and pool_app:
        if must:
            pat = must.pop(0)
        elif pool_test and r.random() < test_share * 0.8:
            pat = r.choices(list(TEST_PATTERNS), [TEST_PATTERNS[k] for k in TEST_PATTERNS])[0]
        else:
            pat = r.choices(app_names, app_w)[0]
        if pat in TEST_PATTERNS:
            if not pool_test:
                continue
            role[pool_test.pop()] = ("viol", pat)
            violating += 1
        elif pat == "chain":
            depth = r.choice((3, 3, 4))
            if len(pool_app) < depth:
                break
            members = [pool_app.pop() for _ in range(depth)]
            # alias names: some chains use "Engine" names, some fully random identifiers
            if chain_no % 2 == 0:
                aliases = [f"{_camel(r.choice(WORDS))}{r.choice(['Klass', 'Impl', 'Kind', 'Ref'])}_{r.randint(1000, 9999)}"
                           for _ in range(depth - 1)]
            else:
                aliases = [f"EngineAlias{i + 1}_{r.randint(100, 999)}" for i in range(depth - 1)]
            mod, cls, tpl = LEGACY_CLASSES[chain_no % 2 if chain_no % 3 else 0]
            chain_no += 1
            for i, m in enumerate(members):
                role[m] = ("chain", i, members, aliases, mod, cls, tpl)
            violating += depth
        elif pat == "relative":
            prefix = ("netra_backend/app/agents/supervisor/" if r.random() < 0.4
                      else "netra_backend/app/")
            pick = next((i for i in range(len(pool_app) - 1, -1, -1)
                         if pool_app[i].startswith(prefix)), len(pool_app) - 1)
            role[pool_app.pop(pick)] = ("viol", pat)
            violating += 1
        else:
            role[pool_app.pop()] = ("viol", pat)
            violating += 1

    n_mention_target = round(n_files * 0.13) - violating - len(FIXED_MODULES) - 1
    pool_mention = pool_app + pool_test
    r.shuffle(pool_mention)
    for f in pool_mention[:max(0, n_mention_target)]:
        role[f] = ("mention",)

    # ---- exports (clean names other modules can import) ---------------------------------
    exports: dict[str, list[str]] = {}
    export_mods_by_pkg: dict[str, list[str]] = {}
    export_mods: list[str] = []
    for f in app_modules:
        if f in role and role[f][0] != "mention":
            continue
        names = [r.choice(g.camel) for _ in range(r.randint(1, 2))]
        if r.random() < 0.5:
            names.append(r.choice(g.funcs))
        exports[f] = list(dict.fromkeys(names))
        export_mods.append(f)
        export_mods_by_pkg.setdefault(f.rsplit("/", 1)[0], []).append(f)

    sizes = sizes_for(r, len(modules), max(0, n_lines - 4000 - 25 * (len(files) - len(modules))))
    size_of = dict(zip(modules, sizes, strict=True))
    # a few big fixed modules, like the real ones
    fixed_sizes = {"canonical": 900, "factory": 300, "legacy_ee": 620, "legacy_rs": 619,
                   "legacy_mcp": 400, "legacy_cons": 500, "legacy_tool": 700,
                   "supervisor_ssot": 450, "supervisor_legacy": 800, "emitter": 600}

    # ---- write ------------------------------------------------------------------------
    findings: list[tuple[str, int, str]] = []
    total_lines = 0
    mentioning = 0
    violating_files = 0
    os.makedirs(out, exist_ok=True)
    made_dirs: set[str] = set()

    for idx, rel in enumerate(files):
        fr = random.Random(seed * 1_000_003 + idx)
        name = rel.rsplit("/", 1)[-1]
        pkg = rel.rsplit("/", 1)[0]
        buf = FileBuf()
        if rel in FIXED_MODULES:
            kind = FIXED_MODULES[rel]
            buf = fixed_module(g, fr, kind, fixed_sizes[kind])
        elif name == "__init__.py":
            if rel == "netra_backend/app/agents/__init__.py":
                buf.add("\"\"\"Agents package (re-exports kept for backward compatibility).\"\"\"", "")
                buf.mark(f"from {LEGACY_EE_MOD} import ExecutionEngine", "SSOT001")
                buf.add("", "__all__ = [\"ExecutionEngine\"]")
            else:
                buf.add(f"\"\"\"{pkg.rsplit('/', 1)[-1].replace('_', ' ').capitalize()} package: {fr.choice(g.sentences)}\"\"\"")
                subs = [m for m in export_mods_by_pkg.get(pkg, [])][:3]
                if subs and fr.random() < 0.4:
                    buf.add("")
                    alls = []
                    for m in subs:
                        buf.add(f"from .{m.rsplit('/', 1)[-1][:-3]} import {exports[m][0]}")
                        alls.append(exports[m][0])
                    buf.add("", "__all__ = [" + ", ".join(f"\"{a}\"" for a in dict.fromkeys(alls)) + "]")
        else:
            rl = role.get(rel, ("clean",))
            test = is_test[rel]
            target = size_of[rel]
            # sibling imports
            imported: list[str] = []
            imp_lines: list[str] = []
            cands = [m for m in export_mods_by_pkg.get(pkg, []) if m != rel]
            picks = fr.sample(cands, min(len(cands), fr.randint(0, 3)))
            for _ in range(fr.randint(0, 3)):
                if export_mods:
                    m = export_mods[fr.randrange(len(export_mods))]
                    if m != rel and m not in picks:
                        picks.append(m)
            for m in picks:
                nm = fr.choice(exports[m])
                if nm in imported:
                    continue
                if m.rsplit("/", 1)[0] == pkg and fr.random() < 0.5 and not test:
                    imp_lines.append(f"from .{m.rsplit('/', 1)[-1][:-3]} import {nm}")
                else:
                    imp_lines.append(f"from {dotted(m)} import {nm}")
                imported.append(nm)
            imported_classes = [n for n in imported if n[0].isupper()]
            special_imports: list = []
            specials: list = []
            doc: list[str] = []
            if rl[0] == "mention":
                special_imports, specials, doc = harmless(g, fr, test, fr.choice((1, 1, 2, 3)))
            elif rl[0] == "viol":
                special_imports, specials = violation_plan(fr, g, rl[1], rel)
                if fr.random() < 0.4:  # violations often sit next to harmless mentions
                    hi, hb, doc = harmless(g, fr, test, 1)
                    special_imports = list(special_imports) + hi
                    specials = specials + hb
            elif rl[0] == "chain":
                _, i, members, aliases, mod, cls, tpl = rl
                if i == 0:
                    special_imports = [(f"from {mod} import {cls}", "SSOT001")]
                    specials = [[f"{aliases[0]} = {cls}", f"\"\"\"Compatibility alias of {aliases[0]}.\"\"\""]]
                else:
                    prev = dotted(members[i - 1])
                    special_imports = [(f"from {prev} import {aliases[i - 1]}", "SSOT001")]
                    if i < len(members) - 1:
                        specials = [[f"{aliases[i]} = {aliases[i - 1]}"]]
                    else:
                        specials = [legacy_fn(fr, g, [(f"    engine = {aliases[i - 1]}({call_args(tpl)})", "SSOT002")])]
            if test:
                g.test_header(fr, buf)
            else:
                g.header(fr, buf, doc)
            # plain imports first, then the special ones (marked), then siblings
            seen = set()
            for item in special_imports:
                line = item[0] if isinstance(item, tuple) else item
                if line in seen:
                    continue
                seen.add(line)
                if isinstance(item, tuple):
                    buf.mark(item[0], item[1])
                else:
                    buf.add(item)
            buf.extend(imp_lines)
            if test:
                g.test_fill(fr, buf, target, specials, imported_classes)
            else:
                g.prelude(fr, buf)
                g.fill(fr, buf, target, specials, imported_classes,
                       exports.get(rel, []))
        text = buf.text()
        d = os.path.join(out, pkg)
        if d not in made_dirs:
            os.makedirs(d, exist_ok=True)
            made_dirs.add(d)
        with open(os.path.join(out, rel), "w", encoding="utf-8") as fh:
            fh.write(text)
        total_lines += len(buf.lines)
        if any(tok in text for tok in MENTION_TOKENS):
            mentioning += 1
        if buf.findings:
            violating_files += 1
            findings.extend((rel, ln, code) for ln, code in buf.findings)

    findings.sort()
    counts = Counter(code for _, _, code in findings)
    truth = {
        "seed": seed,
        "files": len(files),
        "lines": total_lines,
        "mentioning_files": mentioning,
        "violating_files": violating_files,
        "counts": {c: counts.get(c, 0) for c in CODES if counts.get(c, 0) or c <= "SSOT007"},
        "findings": [list(f) for f in findings],
    }
    with open(os.path.join(out, "ground_truth.json"), "w", encoding="utf-8") as fh:
        json.dump(truth, fh, indent=1)
        fh.write("\n")
    with open(os.path.join(out, "ruff.toml"), "w", encoding="utf-8") as fh:
        fh.write(ruff_toml())
    truth["seconds"] = time.perf_counter() - t0
    if verify:
        verify_corpus(out, files)
    return truth


def ruff_toml() -> str:
    lines = [
        "# Baseline for benchmarks/bench_check.py: ruff's banned-api rule on the legacy modules.",
        "[lint]",
        "select = [\"TID251\"]",
        "",
        "[lint.flake8-tidy-imports.banned-api]",
    ]
    for m in RUFF_BANNED:
        lines.append(f"\"{m}\".msg = \"legacy module: use {CANONICAL_MOD}.UserExecutionEngine via the factory\"")
    return "\n".join(lines) + "\n"


def verify_corpus(out: str, files: list[str]) -> None:
    import ast

    bad = 0
    for rel in files:
        with open(os.path.join(out, rel), encoding="utf-8") as fh:
            src = fh.read()
        try:
            ast.parse(src, rel)
        except SyntaxError as exc:
            bad += 1
            if bad <= 10:
                print(f"syntax error: {rel}:{exc.lineno}: {exc.msg}", file=sys.stderr)
    print(f"verify: {len(files) - bad}/{len(files)} files parse", file=sys.stderr)
    if bad:
        raise SystemExit(1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output directory (created; existing files are overwritten)")
    ap.add_argument("--files", type=int, default=20000, help="number of .py files (default 20000)")
    ap.add_argument("--lines", type=int, default=8_000_000, help="minimum total lines (default 8,000,000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--verify", action="store_true", help="parse every generated file with ast afterwards")
    args = ap.parse_args(argv)
    if args.files < 300:
        ap.error("--files must be at least 300")
    if os.path.exists(os.path.join(args.out, "ground_truth.json")):
        import shutil

        print(f"removing the previous corpus in {args.out}", file=sys.stderr)
        shutil.rmtree(args.out)
    elif os.path.isdir(args.out) and os.listdir(args.out):
        ap.error(f"{args.out} is not empty and holds no generated corpus (no ground_truth.json)")
    truth = generate(args.out, args.files, args.lines, args.seed, args.verify)
    n = truth["files"]
    print(f"wrote {n} files, {truth['lines']:,} lines to {args.out} in {truth['seconds']:.1f}s")
    print(f"mentioning files: {truth['mentioning_files']} ({100 * truth['mentioning_files'] / n:.1f}%), "
          f"violating files: {truth['violating_files']} ({100 * truth['violating_files'] / n:.2f}%)")
    print("findings: " + ", ".join(f"{c}={k}" for c, k in truth["counts"].items())
          + f" (total {len(truth['findings'])})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
