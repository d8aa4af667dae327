"""SupervisorAgent (SSOT): routes a user request to the right sub-agents."""
import logging
from typing import Any, Dict, List

from .supervisor.execution_engine_factory import get_execution_engine_factory

logger = logging.getLogger(__name__)


class SupervisorAgent:
    """Plans which agents to run and runs them in the user's own engine."""

    default_pipeline: List[str] = ["triage", "data", "optimization", "report"]

    def __init__(self, llm_manager, pipeline: List[str] = None):
        self.llm_manager = llm_manager
        self.pipeline = list(pipeline or self.default_pipeline)

    async def plan(self, user_request: str) -> List[str]:
        """Ask the LLM which steps of the pipeline this request needs."""
        chosen = await self.llm_manager.choose_steps(user_request, self.pipeline)
        return [step for step in self.pipeline if step in chosen]

    async def run(self, context, user_request: str) -> Dict[str, Any]:
        """Run the planned agents in order, feeding each result forward."""
        factory = await get_execution_engine_factory()
        state: Dict[str, Any] = {"request": user_request}
        async with factory.user_execution_scope(context) as engine:
            for step in await self.plan(user_request):
                state[step] = await engine.execute_agent(step, state)
        logger.info("supervisor finished %d steps for %s", len(state) - 1, context.user_id)
        return state
