"""Ordinary code of the project: what most of every file is.

App modules hold FastAPI routes, pydantic models, async services with sessions and caches,
agents that emit progress, enums and helpers; test modules hold pytest fixtures, ``AsyncMock``
set-ups, ``patch`` of live (non-legacy) modules and ``SSotAsyncTestCase`` classes.  Which units a
module gets follows its name (``*_routes.py`` -> routes, ``*_models.py`` -> models ...).  Files
that "talk about SSOT" (``FileCtx.ssot``) carry the word in docstrings, comments and log strings;
the others never contain it.  None of this code mentions an engine, supervisor or emitter name:
those come from ``shapes`` only, so the share of mentioning files is controlled.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .names import (
    BVJ,
    COMMENTS,
    EVENTS,
    EXCEPTIONS,
    GOALS,
    HTTP_VERBS,
    IMPACTS,
    NOUNS,
    PLAIN_SENTENCES,
    SEGMENTS,
    SSOT_COMMENTS,
    SSOT_LOGS,
    SSOT_SENTENCES,
    SUPPRESSION_LIKE_COMMENT,
    TEST_ASPECTS,
    camel,
    words,
)

# Infrastructure the generated modules import (the fixed modules in ``migration`` define them).
INFRA_IMPORTS = {
    "logger": "from netra_backend.app.logging_config import central_logger",
    "config": "from netra_backend.app.core.configuration.base import get_config",
    "env": "from shared.isolated_environment import get_env",
    "context": "from netra_backend.app.services.user_execution_context import UserExecutionContext",
    "db": "from netra_backend.app.db.database import get_db_session",
    "auth": "from netra_backend.app.auth_integration.auth import get_current_user",
    "redis": "from netra_backend.app.redis_manager import redis_manager",
    "agent": "from netra_backend.app.agents.base_agent import BaseAgent",
    "llm": "from netra_backend.app.llm.llm_manager import LLMManager",
    "types": "from shared.types.core_types import RunID, ThreadID, UserID",
    "testcase": "from test_framework.ssot.base_test_case import SSotAsyncTestCase",
    "mockfactory": "from test_framework.ssot.mock_factory import SSotMockFactory",
}

TYPES = ["str", "int", "bool", "float", "Optional[str]", "List[str]", "Dict[str, Any]", "Optional[int]"]


@dataclass
class FileCtx:
    """What the writer needs to know about the file it writes."""

    rel: str
    module: str
    test: bool
    noun: str
    flavour: str                       # module suffix: routes, models, service, agent, ... / test
    ssot: bool                         # talks about SSOT in comments, docstrings and logs
    emoji: bool = False                # log strings with emoji (non-ASCII source)
    imported: list[tuple[str, str]] = field(default_factory=list)  # (module, name) from siblings
    exports: list[str] = field(default_factory=list)               # names other modules import


class Writer:
    """Lines of ordinary code for one file; ``r`` is the file's own random stream."""

    def __init__(self, r: random.Random, ctx: FileCtx) -> None:
        self.r = r
        self.ctx = ctx
        self.ssot_left = r.randint(1, 4) if ctx.ssot else 0  # SSOT mentions still to place in the body
        self.has_testcase = False  # the test module imports SSotAsyncTestCase
        self.doc_has_ssot = False

    # -- words ---------------------------------------------------------------------------------
    def noun(self) -> str:
        return self.ctx.noun if self.r.random() < 0.5 else self.r.choice(NOUNS)

    def sentence(self, what: str | None = None) -> str:
        return self.r.choice(PLAIN_SENTENCES).format(what=words(what or self.noun()))

    def ssot_sentence(self) -> str:
        return self.r.choice(SSOT_SENTENCES).format(what=words(self.noun()))

    def comment(self, ind: str) -> str:
        if self.ssot_left and self.r.random() < 0.5:
            self.ssot_left -= 1
            text = SUPPRESSION_LIKE_COMMENT if self.r.random() < 0.04 else self.r.choice(SSOT_COMMENTS)
            return ind + text.format(what=words(self.noun()))
        return ind + self.r.choice(COMMENTS).format(what=words(self.noun()))

    def log(self, ind: str, var: str = "user_id") -> str:
        if self.ssot_left and self.r.random() < 0.5:
            self.ssot_left -= 1
            line = self.r.choice(SSOT_LOGS).format(what=camel(self.noun()))
            if not self.ctx.emoji:
                line = line.replace("\u2705 ", "").replace("\U0001f6a8 ", "")
            return ind + line.replace("user_id", var)
        n = words(self.noun())
        level = self.r.choice(("info", "info", "debug", "warning"))
        if self.r.random() < 0.6:
            return f'{ind}logger.{level}(f"{n.capitalize()} updated for {{{var}}}")'
        return f'{ind}logger.{level}("{n} %s processed", {var})'

    # -- module header ---------------------------------------------------------------------------
    def module_doc(self, extra: list[str] | None = None) -> list[str]:
        r, ctx = self.r, self.ctx
        stem = ctx.rel.rsplit("/", 1)[-1][:-3].removeprefix("test_")
        title = (f"{camel(ctx.noun)} {ctx.flavour.replace('_', ' ')}" if not ctx.test
                 else f"{words(stem).capitalize()} tests")
        out = [f'"""{title}.', ""]
        if r.random() < 0.7:
            out.append(self.sentence(ctx.noun))
        self.doc_has_ssot = ctx.ssot and r.random() < 0.75
        if self.doc_has_ssot:
            out.append(self.ssot_sentence())
            if r.random() < 0.5:
                out += [""] + [line.format(segment=r.choice(SEGMENTS), goal=r.choice(GOALS),
                                           impact=r.choice(IMPACTS)) for line in BVJ]
        out.extend(extra or ())
        out.append('"""')
        return out

    def header(self, future: bool, extra_doc: list[str] | None, shape_imports: list) -> list:
        """Docstring and imports; ``shape_imports`` (str or Mark) go after the project imports."""
        r, ctx = self.r, self.ctx
        out: list = self.module_doc(extra_doc)
        out.append("")
        if future:
            out += ["from __future__ import annotations", ""]
        std = ["import asyncio", "import json", "import time", "import uuid",
               "from typing import Any, Callable, Dict, List, Optional"]
        if ctx.test:
            std += ["import logging"]
        else:
            std += ["from datetime import datetime, timezone", "from enum import Enum"]
        std += r.sample(["import hashlib", "import os", "from dataclasses import dataclass, field",
                         "from collections import defaultdict"], r.randint(0, 2))
        out += sorted(set(std), key=lambda s: (s.startswith("from"), s))
        out.append("")
        if ctx.test:
            out += ["import pytest", "from unittest.mock import AsyncMock, MagicMock, patch", ""]
            # the SSOT test base classes come with tests that talk about SSOT (test_framework.ssot ...)
            proj = ["context", "types"] + (["testcase"] if ctx.ssot and r.random() < 0.8 else []) + \
                   (["mockfactory"] if ctx.ssot and r.random() < 0.3 else [])
            self.has_testcase = "testcase" in proj
        else:
            third = {"routes": ["from fastapi import APIRouter, Depends, HTTPException, status"],
                     "models": ["from pydantic import BaseModel, Field, field_validator"],
                     "schemas": ["from pydantic import BaseModel, Field, field_validator"]}.get(ctx.flavour, [])
            if ctx.flavour in ("service", "repository", "manager", "queries", "session"):
                third = ["from sqlalchemy.ext.asyncio import AsyncSession"]
            if third:
                out += third + [""]
            proj = ["logger", "context", "env"] + r.sample(["config", "redis", "types"], r.randint(0, 2))
            if ctx.flavour in ("routes", "route", "api"):
                proj += ["auth", "db"]
            if ctx.flavour in ("agent", "sub_agent"):
                proj += ["agent", "llm"]
        out += sorted({INFRA_IMPORTS[k] for k in proj})
        for mod, name in ctx.imported:
            out.append(f"from {mod} import {name}")
        out.extend(shape_imports)
        out.append("")
        if not ctx.test:
            out.append("logger = central_logger.get_logger(__name__)")
        else:
            out.append("logger = logging.getLogger(__name__)")
        out += ["", ""]
        if ctx.ssot and not self.doc_has_ssot:  # the file talks about SSOT, just not in its docstring
            out += [r.choice(SSOT_COMMENTS).format(what=words(ctx.noun)), ""]
        if ctx.flavour in ("routes", "route", "api") and not ctx.test:
            out += [f'router = APIRouter(prefix="/api/{ctx.noun.replace("_", "-")}s", tags=["{words(ctx.noun)}"])', ""]
        return out

    # -- statements ------------------------------------------------------------------------------
    def statements(self, ind: str, n: int, is_async: bool, var: str = "user_id") -> list[str]:
        """About ``n`` lines of ordinary statements ending in a return of the last value."""
        r = self.r
        out: list[str] = []
        last = var
        while len(out) < n:
            k = r.randrange(11)
            noun = self.noun()
            v = f"{noun}_{r.choice(('data', 'items', 'result', 'payload', 'record', 'count'))}"
            if k == 0:
                out.append(self.comment(ind))
            elif k == 1:
                out += [f'{ind}{v} = {{"user_id": {var}, "{noun}": {last}, "timestamp": time.time()}}']
                last = v
            elif k == 2:
                out += [f"{ind}if not {last}:", self.log(ind + "    ", var), f"{ind}    return None"]
            elif k == 3 and is_async:
                exc = r.choice(EXCEPTIONS)
                out += [f"{ind}try:",
                        f"{ind}    async with asyncio.timeout({r.randint(2, 30)}):",
                        f"{ind}        {v} = await asyncio.to_thread(json.loads, {last} or \"{{}}\")",
                        f"{ind}except {exc} as exc:",
                        f'{ind}    logger.error(f"{words(noun).capitalize()} lookup failed for {{{var}}}: {{exc}}")',
                        f"{ind}    raise"]
                last = v
            elif k == 4:
                out += [f"{ind}{v} = [item for item in ({last} or []) if item is not None]"]
                last = v
            elif k == 5:
                out.append(self.log(ind, var))
            elif k == 6:
                out += [f"{ind}for index, item in enumerate({last} or []):",
                        f"{ind}    if index >= {r.choice((10, 25, 50, 100, 500))}:",
                        f"{ind}        break",
                        f'{ind}    logger.debug("{words(noun)} item %d: %r", index, item)']
            elif k == 7:
                out += [f"{ind}{v} = json.dumps({last}, default=str) if {last} else \"{{}}\""]
                last = v
            elif k == 8:
                out += [f'{ind}{v} = f"{noun}:{{{var}}}:{{uuid.uuid4().hex[:8]}}"']
                last = v
            elif k == 9:
                out += [f'{ind}{v} = get_env().get("{noun.upper()}_LIMIT", "{r.randint(1, 500)}")']
                last = v
            else:
                out += [f"{ind}{v} = len(str({last})) if {last} is not None else 0"]
                last = v
        out.append(f"{ind}return {last}")
        return out

    def function(self, name: str | None = None, ind: str = "", method: bool = False, n: int | None = None) -> list[str]:
        r = self.r
        is_async = r.random() < 0.6
        noun = self.noun()
        name = name or f"{r.choice(('get', 'build', 'load', 'resolve', 'validate', 'format', 'sync', 'refresh'))}_{noun}"
        params = ["self"] if method else []
        params += ["user_id: str"] + ([f"{noun}_id: Optional[str] = None"] if r.random() < 0.5 else [])
        if r.random() < 0.3:
            params.append("context: Optional[UserExecutionContext] = None")
        head = "async def" if is_async else "def"
        out = [f"{ind}{head} {name}({', '.join(params)}) -> {r.choice(TYPES)}:",
               f'{ind}    """{self.sentence(noun)}"""']
        out += self.statements(ind + "    ", n if n is not None else r.randint(4, 18), is_async)
        out.append("")
        return out

    # -- app units -------------------------------------------------------------------------------
    def pydantic_model(self, name: str | None = None) -> list[str]:
        r = self.r
        noun = self.noun()
        name = name or camel(noun) + r.choice(("Request", "Response", "Create", "Update", "Summary", "Payload"))
        fields = r.sample(["id", "user_id", "thread_id", "run_id", "title", "content", "status", "metadata",
                           "score", "tokens_used", "model_name", "created_at", "updated_at", "tags", "priority"],
                          r.randint(3, 8))
        out = [f"class {name}(BaseModel):", f'    """{self.sentence(noun)}"""', ""]
        for f in fields:
            typ = {"metadata": "Dict[str, Any]", "score": "float", "tokens_used": "int", "priority": "int",
                   "tags": "List[str]", "created_at": "datetime", "updated_at": "Optional[datetime]"}.get(f, "str")
            if f in ("created_at",):
                out.append(f"    {f}: {typ} = Field(default_factory=lambda: datetime.now(timezone.utc))")
            elif typ.startswith(("Dict", "List")):
                out.append(f"    {f}: {typ} = Field(default_factory={'dict' if typ.startswith('Dict') else 'list'})")
            else:
                out.append(f'    {f}: {typ} = Field(..., description="{words(f).capitalize()} of the {words(noun)}")')
        v = r.choice(fields)
        out += ["", f'    @field_validator("{v}")', "    @classmethod",
                f"    def validate_{v}(cls, value: Any) -> Any:",
                "        if value is None:",
                f'            raise ValueError("{v} must be set")',
                "        return value", "",
                '    model_config = {"from_attributes": True}', "", ""]
        return out

    def route(self) -> list[str]:
        r = self.r
        noun = self.ctx.noun
        verb = r.choice(HTTP_VERBS)
        model = camel(noun) + "Response"
        path = f"/{{{noun}_id}}" if verb != "post" else ""
        exc = r.choice(EXCEPTIONS)
        code = r.choice(("HTTP_500_INTERNAL_SERVER_ERROR", "HTTP_400_BAD_REQUEST", "HTTP_409_CONFLICT"))
        out = [f'@router.{verb}("{path}", response_model=Dict[str, Any])',
               f"async def {verb}_{noun}_{r.choice(NOUNS)}(",
               f"    {noun}_id: str,",
               "    current_user: Dict[str, Any] = Depends(get_current_user),",
               "    db=Depends(get_db_session),",
               ") -> Dict[str, Any]:",
               f'    """{self.sentence(noun)}"""',
               '    user_id = current_user["user_id"]',
               f'    logger.info(f"{verb.upper()} {words(noun)} {{{noun}_id}} for user {{user_id}}")']
        if self.ssot_left and r.random() < 0.4:
            out.append(self.comment("    "))
        out += ["    try:",
                f"        result = await db.execute({noun}_id, user_id=user_id)",
                f"    except {exc} as exc:",
                f'        logger.error(f"Failed to {verb} {words(noun)} {{{noun}_id}}: {{exc}}")',
                f"        raise HTTPException(status_code=status.{code}, detail=str(exc)) from exc",
                "    if result is None:",
                f'        raise HTTPException(status_code=404, detail="{words(noun).capitalize()} not found")',
                f'    return {{"{noun}_id": {noun}_id, "model": "{model}", "data": result}}', "", ""]
        return out

    def service_class(self, name: str | None = None, n_methods: int | None = None, bases: str = "") -> list[str]:
        r = self.r
        noun = self.ctx.noun
        name = name or camel(noun) + r.choice(("Service", "Manager", "Repository", "Handler", "Tracker"))
        out = [f"class {name}{bases}:", f'    """{self.sentence(noun)}', ""]
        if self.ctx.ssot and r.random() < 0.5:
            out.append(f"    {self.ssot_sentence()}")
        else:
            out.append(f"    {self.sentence()}")
        out += ['    """', "",
                "    def __init__(self, session_factory: Callable[..., Any], redis_client: Optional[Any] = None) -> None:",
                "        self._session_factory = session_factory",
                "        self._redis = redis_client",
                "        self._cache: Dict[str, Any] = {}",
                "        self._lock = asyncio.Lock()", ""]
        for _ in range(n_methods if n_methods is not None else r.randint(2, 7)):
            out += self.method(noun)
        out.append("")
        return out

    def method(self, noun: str) -> list[str]:
        r = self.r
        k = r.randrange(3)
        if k == 0:
            verb = r.choice(("get", "load", "fetch"))
            return [f"    async def {verb}_{noun}_{r.choice(NOUNS)}(self, {noun}_id: str, user_id: str) -> Optional[Dict[str, Any]]:",
                    f'        """{self.sentence(noun)}"""',
                    f'        cache_key = f"{noun}:{{user_id}}:{{{noun}_id}}"',
                    "        if cache_key in self._cache:",
                    "            return self._cache[cache_key]",
                    "        async with self._session_factory() as session:",
                    f"            row = await session.get(dict, {noun}_id)",
                    "        if row is None:",
                    self.log("            "),
                    "            return None",
                    "        async with self._lock:",
                    "            self._cache[cache_key] = row",
                    "        return row", ""]
        if k == 1:
            return self.function(ind="    ", method=True)
        return [f"    async def record_{r.choice(NOUNS)}(self, user_id: str, payload: Dict[str, Any]) -> None:",
                f'        """{self.sentence(noun)}"""',
                "        if self._redis is None:",
                "            return",
                "        try:",
                f'            await self._redis.set(f"{noun}:{{user_id}}", json.dumps(payload, default=str), ex={r.choice((60, 300, 3600))})',
                "        except ConnectionError as exc:",
                f'            logger.warning(f"Redis unavailable while recording {words(noun)}: {{exc}}")', ""]

    def agent_class(self, name: str | None = None) -> list[str]:
        r = self.r
        noun = self.ctx.noun
        name = name or camel(noun) + "Agent"
        ev = r.choice(("thinking", "progress", "tool_executing"))
        out = [f"class {name}(BaseAgent):", f'    """{self.sentence(noun)}"""', "",
               "    def __init__(self, llm_manager: LLMManager, tool_dispatcher: Any = None) -> None:",
               f'        super().__init__(llm_manager=llm_manager, name="{name}", description="{words(noun)} agent")',
               "        self.tool_dispatcher = tool_dispatcher", "",
               "    async def execute(self, context: UserExecutionContext, stream_updates: bool = False) -> Dict[str, Any]:",
               f'        """{self.sentence(noun)}"""',
               f'        await self.emit_{ev}("Analysing {words(noun)} for the user request")',
               '        user_request = context.metadata.get("user_request", "")',
               f'        prompt = f"Summarise the {words(noun)} for: {{user_request}}"',
               f'        response = await self.llm_manager.ask_llm(prompt, llm_config_name="{r.choice(("default", "analysis", "triage"))}")',
               self.log("        ", "context.user_id"),
               f'        return {{"status": "completed", "{noun}": response, "run_id": context.run_id}}', ""]
        for _ in range(r.randint(1, 4)):
            out += self.function(ind="    ", method=True)
        out.append("")
        return out

    def enum(self) -> list[str]:
        noun = self.noun()
        members = self.r.sample(["PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT",
                                 "QUEUED", "RETRYING", "ARCHIVED"], self.r.randint(3, 6))
        return [f"class {camel(noun)}Status(str, Enum):", f'    """{self.sentence(noun)}"""', ""] + \
               [f'    {m} = "{m.lower()}"' for m in members] + ["", ""]

    def constants(self) -> list[str]:
        r = self.r
        return [f"{r.choice(NOUNS).upper()}_{r.choice(('TIMEOUT', 'LIMIT', 'TTL', 'RETRIES', 'BATCH_SIZE'))} = {r.randint(1, 600)}"
                for _ in range(r.randint(1, 4))] + ["", ""]

    def app_unit(self) -> list[str]:
        r, flav = self.r, self.ctx.flavour
        x = r.random()
        if flav in ("routes", "route", "api"):
            return self.route() if x < 0.7 else self.function()
        if flav in ("models", "schemas", "types"):
            return self.pydantic_model() if x < 0.75 else (self.enum() if x < 0.9 else self.function())
        if flav in ("agent", "sub_agent"):
            return self.agent_class() if x < 0.25 else self.function()
        if x < 0.3:
            return self.service_class(n_methods=r.randint(1, 4))
        if x < 0.37:
            return self.enum()
        if x < 0.42:
            return self.pydantic_model()
        return self.function() + [""]

    # -- test units ------------------------------------------------------------------------------
    def fixture(self) -> list[str]:
        r = self.r
        noun = self.noun()
        if r.random() < 0.5:
            return ["@pytest.fixture",
                    f"def mock_{noun}_service():",
                    f'    """Mocked {words(noun)} service (no database)."""',
                    "    service = AsyncMock()",
                    f'    service.get_{noun}.return_value = {{"id": "{noun}-{r.randint(100, 999)}", "user_id": "user-{r.randint(100, 999)}"}}',
                    f"    service.record_{noun}.return_value = None",
                    "    return service", "", ""]
        return ["@pytest.fixture",
                "def user_context():",
                '    """A per-test user context (never shared between tests)."""',
                "    return UserExecutionContext(",
                f'        user_id=UserID("user-{r.randint(1000, 9999)}"),',
                f'        thread_id=ThreadID("thread-{r.randint(1000, 9999)}"),',
                f'        run_id=RunID("run-{r.randint(1000, 9999)}"),',
                f'        request_id="req-{r.randint(1000, 9999)}",',
                "    )", "", ""]

    def test_function(self, ind: str = "", in_class: bool = False) -> list[str]:
        r = self.r
        noun = self.noun()
        # tests named *_ssot_compliance live in files that talk about SSOT
        aspect = r.choice(TEST_ASPECTS) if not self.ctx.ssot or r.random() < 0.9 else "ssot_compliance"
        is_async = r.random() < 0.65
        out = []
        if is_async and not in_class:
            out.append(f"{ind}@pytest.mark.asyncio")
        if r.random() < 0.15:
            out.append(f"{ind}@pytest.mark.{r.choice(('mission_critical', 'integration', 'unit', 'slow'))}")
        params = "self" if in_class else r.choice(("", "user_context", f"mock_{noun}_service", "user_context, caplog"))
        head = "async def" if is_async else "def"
        out.append(f"{ind}{head} test_{r.choice(('get', 'create', 'update', 'reject', 'isolate', 'retry'))}_{noun}_{aspect}({params}):")
        doc = self.sentence(noun) if not (self.ctx.ssot and self.ssot_left and r.random() < 0.5) else self.ssot_sentence()
        if doc.startswith(("SSOT", "Part of", "Golden", "Migrated", "Follows", "Business")) and self.ssot_left:
            self.ssot_left -= 1
        out.append(f'{ind}    """{doc}"""')
        b = ind + "    "
        mock = f"mock_{noun}"
        out += [f"{b}# Arrange", f"{b}{mock} = {'AsyncMock' if is_async else 'MagicMock'}()",
                f'{b}{mock}.process.return_value = {{"status": "ok", "user_id": "user-{r.randint(100, 999)}"}}']
        k = r.randrange(4)
        if k == 0:
            target = f"netra_backend.app.services.{r.choice(NOUNS)}_service.get_db_session"
            out += [f'{b}with patch("{target}") as mock_session:',
                    f"{b}    mock_session.return_value = AsyncMock()",
                    f"{b}    result = {'await ' if is_async else ''}{mock}.process({{\"{noun}\": 1}})"]
        elif k == 1:
            out += [f"{b}# Act", f"{b}result = {'await ' if is_async else ''}{mock}.process({{\"{noun}\": {r.randint(1, 99)}}})"]
            if self.ssot_left and r.random() < 0.5:
                out.append(self.comment(b))
        elif k == 2:
            out += [f"{b}payloads = [{{\"index\": i, \"{noun}\": f\"{noun}-{{i}}\"}} for i in range({r.randint(2, 12)})]",
                    f"{b}results = [{'await ' if is_async else ''}{mock}.process(p) for p in payloads]",
                    f"{b}result = results[-1]"]
        else:
            out += [f"{b}result = {'await ' if is_async else ''}{mock}.process(None)",
                    self.log(b, "result")]
        out += [f"{b}# Assert", f'{b}assert result["status"] == "ok"',
                f"{b}{mock}.process.assert_{'awaited' if is_async else 'called'}{r.choice(('', '_once'))}()"
                if k != 2 else f"{b}assert {mock}.process.call_count == len(payloads)", ""]
        if not in_class:
            out.append("")
        return out

    def test_class(self, n: int) -> list[str]:
        r = self.r
        noun = self.ctx.noun
        base = "(SSotAsyncTestCase)" if self.has_testcase else ""
        aspect = r.choice(TEST_ASPECTS) if not self.ctx.ssot or r.random() < 0.8 else "ssot_compliance"
        out = [f"class Test{camel(noun)}{camel(aspect)}{base}:",
               f'    """{self.ssot_sentence() if self.ctx.ssot and r.random() < 0.5 else self.sentence(noun)}"""', "",
               "    def setup_method(self, method):",
               ("        super().setup_method(method)" if base else "        self.calls = []"),
               f'        self.user_id = UserID("user-{r.randint(1000, 9999)}")',
               "        self.mock_db = AsyncMock()", ""]
        for _ in range(n):
            out += self.test_function(ind="    ", in_class=True)
        out.append("")
        return out

    def test_unit(self) -> list[str]:
        x = self.r.random()
        if x < 0.12:
            return self.fixture()
        if x < 0.32:
            return self.test_class(self.r.randint(1, 5))
        return self.test_function()


def event_names() -> list[str]:
    return list(EVENTS)
