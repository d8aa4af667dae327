"""ResearchAgent: draft of a web research agent (work in progress)."""
import logging

from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine

logger = logging.getLogger(__name__)


class ResearchAgent:
    """Searches the web and summarises what it finds."""

    def __init__(self, registry, websocket_bridge):
        self._registry = registry
        self._bridge = websocket_bridge

    async def run(self, ctx, query: str):
        engine = ExecutionEngine(self._registry, self._bridge, user_context=ctx)
        result = await engine.execute_agent("research", {"query": query}
        logger.info("research finished for %s", ctx.user_id)
        return result

    async def summarise(self, documents):
        return "\n".join(doc.title for doc in documents)
