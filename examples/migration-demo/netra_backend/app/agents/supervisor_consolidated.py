"""SupervisorAgent from the first consolidation (to be deleted).

Same public name as ``supervisor_ssot.SupervisorAgent`` but it keeps a single
engine for every user, which is what issue #759 is about.
"""
import logging
from typing import Any, Dict, List

logger = logging.getLogger(__name__)


class SupervisorAgent:
    """Older supervisor that shares one engine between all requests."""

    def __init__(self, llm_manager, engine, steps: List[str] = ("triage", "report")):
        self.llm_manager = llm_manager
        self.engine = engine
        self.steps = list(steps)

    async def run(self, context, user_request: str) -> Dict[str, Any]:
        """Run every configured step; no per-user isolation."""
        state: Dict[str, Any] = {"request": user_request, "user_id": context.user_id}
        for step in self.steps:
            state[step] = await self.engine.execute_agent(step, state)
        return state

    def describe(self) -> str:
        return " -> ".join(self.steps)
