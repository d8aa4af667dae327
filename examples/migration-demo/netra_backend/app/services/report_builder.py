"""Builds the weekly optimisation report shown on the dashboard."""
import logging
from typing import Any, Dict

from netra_backend.app.agents.unified_tool_execution import UnifiedToolExecutionEngine

logger = logging.getLogger(__name__)


def report_title(payload: Dict[str, Any]) -> str:
    """Title line, e.g. ``Acme Corp: 2025-W02``."""
    return f"{payload["name"]}: {payload["period"]}"


def format_savings(rows: list) -> str:
    lines = [f"- {row["service"]}: ${row["monthly_savings"]:,.2f}" for row in rows]
    return "\n".join(lines) or "- no savings found"


async def build_report(ctx, tool_registry, payload: Dict[str, Any]) -> str:
    """Collect cost data through the tools and render the report as Markdown."""
    engine = UnifiedToolExecutionEngine(tool_registry, user_context=ctx)
    rows = await engine.execute_tool("cost_breakdown", {"account": payload["account"]})
    logger.info("report for %s has %d rows", ctx.user_id, len(rows))
    return f"# {report_title(payload)}\n\n{format_savings(rows)}\n"
