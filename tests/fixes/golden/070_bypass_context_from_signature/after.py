"""Engine construction for the internal evaluation harness."""
import logging

from netra_backend.app.agents.supervisor.execution_engine_factory import get_execution_engine_factory

logger = logging.getLogger(__name__)


async def evaluate_agent(context, agent_factory, emitter, agent_name: str, cases: list) -> list:
    engine = await (await get_execution_engine_factory()).create_for_user(context)  # one engine per evaluation
    results = [await engine.execute_agent(agent_name, case) for case in cases]
    logger.info("evaluated %s on %d cases", agent_name, len(results))
    return results
