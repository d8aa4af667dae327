"""Engine construction for the internal evaluation harness."""
import logging

from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine

logger = logging.getLogger(__name__)


async def evaluate_agent(context, factory, emitter, agent_name: str, cases: list) -> list:
    """Run ``agent_name`` against every evaluation case and collect results."""
    engine = UserExecutionEngine(context, factory, emitter)
    results = []
    try:
        for case in cases:
            results.append(await engine.execute_agent(agent_name, case))
    finally:
        await engine.cleanup()
    logger.info("evaluated %s on %d cases", agent_name, len(results))
    return results
