"""Streams agent output token by token to the chat window."""
import logging
from typing import AsyncIterator

from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine as UserExecutionEngine

logger = logging.getLogger(__name__)


async def stream_answer(registry, websocket_bridge, ctx, message: str) -> AsyncIterator[str]:
    """Yield the answer in chunks as the agent produces them."""
    engine = UserExecutionEngine(registry, websocket_bridge, user_context=ctx)
    result = await engine.execute_agent("chat", {"message": message, "stream": True})
    for chunk in result.get("chunks", []):
        yield chunk
    logger.debug("stream finished for %s", ctx.user_id)
