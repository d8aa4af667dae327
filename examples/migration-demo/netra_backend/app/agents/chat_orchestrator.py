"""ChatOrchestrator: conversational front-end over the supervisor."""
import logging
from typing import Any, Dict

from netra_backend.app.agents.supervisor_consolidated import SupervisorAgent

logger = logging.getLogger(__name__)


class ChatOrchestrator(SupervisorAgent):
    """Keeps a short chat history and passes it to every step."""

    def __init__(self, llm_manager, engine, history_size: int = 10):
        super().__init__(llm_manager, engine, steps=("triage", "chat", "report"))
        self.history_size = history_size
        self.history: list = []

    async def run(self, context, user_request: str) -> Dict[str, Any]:
        """Record the message, then run the supervisor steps."""
        self.history = (self.history + [user_request])[-self.history_size:]
        result = await super().run(context, user_request)
        result["history"] = list(self.history)
        return result
