"""AgentWebSocketBridge: the older event path used by the legacy engines."""
import asyncio
import logging
from typing import Any, Dict

logger = logging.getLogger(__name__)


class AgentWebSocketBridge:
    """Maps run ids to users and forwards agent events to their sockets."""

    def __init__(self, connection_manager):
        self._connections = connection_manager
        self._run_owners: Dict[str, str] = {}
        self._lock = asyncio.Lock()

    async def register_run(self, run_id: str, user_id: str) -> None:
        async with self._lock:
            self._run_owners[run_id] = user_id

    async def _emit(self, run_id: str, event_type: str, payload: Dict[str, Any]) -> bool:
        user_id = self._run_owners.get(run_id)
        if user_id is None:
            logger.error("no user registered for run %s; dropping %s", run_id, event_type)
            return False
        return await self._connections.send_to_user(user_id, {"type": event_type, **payload})

    async def notify_agent_started(self, run_id: str, agent_name: str) -> bool:
        return await self._emit(run_id, "agent_started", {"agent": agent_name})

    async def notify_agent_thinking(self, run_id: str, agent_name: str, thought: str) -> bool:
        return await self._emit(run_id, "agent_thinking", {"agent": agent_name, "thought": thought})

    async def notify_agent_completed(self, run_id: str, agent_name: str, result: Any) -> bool:
        return await self._emit(run_id, "agent_completed", {"agent": agent_name, "result": result})

    def emitter_for(self, user_context):
        """Used by UserExecutionEngine.create_from_legacy during the migration."""
        return _BridgeEmitter(self, user_context.run_id)


class _BridgeEmitter:
    """Binds a run id so the bridge looks like a per-user emitter."""

    def __init__(self, bridge: AgentWebSocketBridge, run_id: str):
        self._bridge = bridge
        self._run_id = run_id

    def __getattr__(self, name):
        method = getattr(self._bridge, name)
        return lambda *args: method(self._run_id, *args)
