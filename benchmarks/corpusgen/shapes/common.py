"""What the shapes share: the fix records, the function frame a shape's lines live in, the engine's use."""

from __future__ import annotations

import random

from ..names import (
    AGENT_NAMES,
    CANONICAL_MOD,
    FACTORY_MOD,
    LEGACY_CLASSES,
    TOOL_ENGINES,
    words,
)
from ..sites import Placement

FACTORY_IMPORT = f"from {FACTORY_MOD} import get_execution_engine_factory"
CANONICAL_IMPORT = f"from {CANONICAL_MOD} import UserExecutionEngine"
FACTORY_CALL = "await (await get_execution_engine_factory()).create_for_user(user_context)"
SCOPE_CALL = "(await get_execution_engine_factory()).user_execution_scope(user_context)"


def rewrite(to: str, safety: str = "unsafe", **extra) -> dict:
    return {"action": "rewrite", "safety": safety, "to": to, **extra}


def withhold(reason: str) -> dict:
    return {"action": "withhold", "reason": reason}


# --------------------------------------------------------------------------------------------
# Function frames: app functions take the collaborators as parameters, tests build mocks
# --------------------------------------------------------------------------------------------

def frame(r: random.Random, is_test: bool, body: list, is_async: bool = True, what: str = "") -> list:
    """Wrap ``body`` (lines at 4 spaces, may hold Marks) in an app function or a pytest test."""
    agent = r.choice(AGENT_NAMES)
    what = what or r.choice(("executes", "runs", "streams", "isolates", "recovers"))
    if is_test:
        head = (["@pytest.mark.asyncio", f"async def test_{agent}_{what}_{r.randint(1, 99)}(user_context):"]
                if is_async else [f"def test_{agent}_{what}_{r.randint(1, 99)}(user_context):"])
        head += [f'    """{r.choice(TEST_DOCS).format(agent=words(agent))}"""',
                 "    registry = MagicMock()", "    websocket_bridge = AsyncMock()",
                 "    agent_factory = MagicMock()", "    websocket_emitter = AsyncMock()",
                 "    tool_registry = MagicMock()", "    websocket_manager = AsyncMock()"]
        return head + body + ["", ""]
    params = ("registry: Any, websocket_bridge: Any, user_context: UserExecutionContext, "
              "agent_factory: Any = None, websocket_emitter: Any = None")
    name = f"{r.choice(('run', 'execute', 'dispatch', 'handle'))}_{agent}_{r.choice(('request', 'pipeline', 'for_user', 'step'))}"
    return ([f"{'async def' if is_async else 'def'} {name}({params}) -> Any:",
             f'    """{r.choice(APP_DOCS).format(agent=words(agent))}"""']
            + body + ["", ""])


TEST_DOCS = ["Golden Path: the {agent} completes and the user sees the result.",
             "The {agent} runs with an isolated engine per user.",
             "SSOT regression: {agent} events reach the right user.",
             "Mission critical: {agent} must not leak state between users."]
APP_DOCS = ["Run the {agent} for one user request.",
            "Execute the {agent} and stream its events to the user.",
            "Entry point used by the chat route for the {agent}."]


def use(engine: str, is_test: bool, r: random.Random, awaited: bool = True) -> list[str]:
    agent = r.choice(AGENT_NAMES)
    call = f'{"await " if awaited else ""}{engine}.execute_agent("{agent}", {{"user_request": "analyse costs"}})'
    if is_test:
        return [f"    result = {call}", "    assert result is not None"]
    return [f"    result = {call}",
            f'    logger.info(f"{agent} finished for user {{user_context.user_id}}")',
            "    return result"]


def pick_legacy(r: random.Random, allow_tool: bool = False) -> tuple[str, str, str]:
    names = [n for n in LEGACY_CLASSES if allow_tool or n not in TOOL_ENGINES]
    cls = r.choice(names)
    mod, args = LEGACY_CLASSES[cls]
    return cls, mod, args


def legacy_fix(cls: str, ctx: str = "user_context", scope: bool = False) -> dict:
    if cls in TOOL_ENGINES:
        return withhold("no-replacement")
    if ctx == "None":
        return withhold("none-context")
    return rewrite((SCOPE_CALL if scope else FACTORY_CALL).replace("user_context", ctx))


def import_then_use(r, is_test, imp, first, binds: set) -> Placement:
    """One import (a ``Mark`` or line) and one function whose first line (``first``, a ``Mark`` or
    line) gets the engine through it, then uses the engine."""
    return Placement(imports=[imp], blocks=[frame(r, is_test, [first] + use("engine", is_test, r))], binds=binds)
