"""Chat service: answers one user message with the SSOT execution path."""
import logging
from typing import Any, Dict

from netra_backend.app.agents.supervisor import UserExecutionEngine
from netra_backend.app.agents.supervisor.execution_engine_factory import get_execution_engine_factory

logger = logging.getLogger(__name__)


async def answer_message(ctx, message: str) -> Dict[str, Any]:
    """Run the triage agent for one message and return its answer."""
    engine = await (await get_execution_engine_factory()).create_for_user(ctx)
    try:
        return await engine.execute_agent("triage", {"message": message})
    finally:
        await engine.cleanup()


async def answer_with_followups(ctx, message: str, followups: list) -> list:
    """Answer a message and its follow-ups in the same per-user engine."""
    factory = await get_execution_engine_factory()
    answers = []
    async with factory.user_execution_scope(ctx) as engine:
        answers.append(await _ask(engine, message))
        for followup in followups:
            answers.append(await _ask(engine, followup))
    logger.info("answered %d messages for %s", len(answers), ctx.user_id)
    return answers


async def _ask(engine: UserExecutionEngine, text: str) -> Any:
    return await engine.execute_agent("chat", {"message": text})
