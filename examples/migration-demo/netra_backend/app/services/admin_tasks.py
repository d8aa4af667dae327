"""Admin tasks triggered from the operations console."""
import logging

from netra_backend.app.agents import *  # noqa: F403 - the console used to import everything

logger = logging.getLogger(__name__)


async def rebuild_agent_cache(registry, websocket_bridge, ctx) -> int:
    """Warm every registered agent once so the first user request is fast."""
    engine = ExecutionEngine(registry, websocket_bridge, user_context=ctx)  # noqa: F405
    warmed = 0
    for agent_name in registry.names():
        await engine.execute_agent(agent_name, {"warmup": True})
        warmed += 1
    logger.info("warmed %d agents", warmed)
    return warmed


def supervisor_pipeline() -> list:
    """The default pipeline, shown on the console's status page."""
    return list(SupervisorAgent.default_pipeline)  # noqa: F405
