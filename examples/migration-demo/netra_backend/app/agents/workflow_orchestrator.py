"""WorkflowOrchestrator: a fixed multi-step workflow on the SSOT supervisor."""
from typing import Any, Dict, List

from netra_backend.app.agents.supervisor_ssot import SupervisorAgent


class WorkflowOrchestrator(SupervisorAgent):
    """Runs a predefined workflow instead of asking the LLM for a plan."""

    def __init__(self, llm_manager, workflow: List[str]):
        super().__init__(llm_manager, pipeline=workflow)

    async def plan(self, user_request: str) -> List[str]:
        """The workflow is fixed: every step runs."""
        return list(self.pipeline)

    async def run_workflow(self, context, payload: Dict[str, Any]) -> Dict[str, Any]:
        """Run the workflow with a structured payload instead of free text."""
        return await self.run(context, payload.get("request", ""))
