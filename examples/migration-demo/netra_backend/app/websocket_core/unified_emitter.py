"""UnifiedWebSocketEmitter (SSOT): the one path for agent events to the browser."""
import logging
import time
from typing import Any, Dict

logger = logging.getLogger(__name__)


class UnifiedWebSocketEmitter:
    """Sends agent lifecycle events to one user's WebSocket connections."""

    def __init__(self, connection_manager, user_id: str, run_id: str):
        self._connections = connection_manager
        self.user_id = user_id
        self.run_id = run_id

    async def _send(self, event_type: str, payload: Dict[str, Any]) -> None:
        message = {"type": event_type, "run_id": self.run_id, "ts": time.time(), **payload}
        delivered = await self._connections.send_to_user(self.user_id, message)
        if not delivered:
            logger.warning("event %s for run %s was not delivered", event_type, self.run_id)

    async def notify_agent_started(self, agent_name: str) -> None:
        await self._send("agent_started", {"agent": agent_name})

    async def notify_agent_thinking(self, agent_name: str, thought: str) -> None:
        await self._send("agent_thinking", {"agent": agent_name, "thought": thought})

    async def notify_agent_completed(self, agent_name: str, result: Any) -> None:
        await self._send("agent_completed", {"agent": agent_name, "result": result})
