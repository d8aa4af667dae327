"""Synchronous runner used by the cron jobs (no event loop available here)."""
import asyncio
import logging

from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine

logger = logging.getLogger(__name__)


def run_agent_blocking(registry, websocket_bridge, ctx, agent_name: str, state: dict):
    """Run one agent to completion from synchronous code."""
    engine = ExecutionEngine(registry, websocket_bridge, user_context=ctx)
    try:
        return asyncio.run(engine.execute_agent(agent_name, state))
    finally:
        logger.info("blocking run of %s finished for %s", agent_name, ctx.user_id)


def run_nightly_report(registry, websocket_bridge, ctx):
    """Entry point of the nightly report cron job."""
    engine = ExecutionEngine.create_for_request(registry, websocket_bridge, ctx)
    return asyncio.run(engine.execute_agent("report", {"period": "nightly"}))
