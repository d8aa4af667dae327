"""Data pipelines that still run on the legacy engine."""
import logging

import netra_backend.app.agents.supervisor.execution_engine as ee
from netra_backend.app.compat import LegacyEngine
from netra_backend.app.compat2 import OldEngine

logger = logging.getLogger(__name__)


async def run_ingest(registry, websocket_bridge, ctx, source: str):
    """Ingest one data source through the data agent."""
    engine = ee.ExecutionEngine(registry, websocket_bridge, user_context=ctx)
    return await engine.execute_agent("data", {"source": source})


async def run_nightly_rollup(registry, websocket_bridge, ctx):
    """Aggregate yesterday's usage for every account."""
    engine = LegacyEngine(registry, websocket_bridge, user_context=ctx)
    result = await engine.execute_agent("rollup", {"window": "1d"})
    logger.info("nightly rollup done: %s", result)
    return result


async def run_reindex(registry, websocket_bridge, ctx, index_name: str):
    """v0.9 reindex job, ported as-is."""
    engine = OldEngine(registry, websocket_bridge, user_context=ctx)
    return await engine.execute_agent("reindex", {"index": index_name})
