"""HTTP routes that start agent runs (v1 endpoints, still on the legacy engines)."""
import logging
from dataclasses import asdict

from fastapi import APIRouter, Request

from netra_backend.app.agents import (  # re-exported names, see agents/__init__.py
    ExecutionEngine,  # v1 endpoints only; v2 uses the factory
    ExecutionEngineCapabilities,
)
from netra_backend.app.agents.supervisor.request_scoped_execution_engine import RequestScopedExecutionEngine
from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/agents")


def _deps(request: Request):
    """Registry, WebSocket bridge and user context set up by the middleware."""
    state = request.app.state
    return state.agent_registry, state.websocket_bridge, request.state.user_context


@router.post("/{agent_name}/run")
async def run_agent(agent_name: str, request: Request):
    registry, websocket_bridge, ctx = _deps(request)
    engine = ExecutionEngine(registry, websocket_bridge, user_context=ctx)
    return await engine.execute_agent(agent_name, await request.json())


@router.post("/parallel")
async def run_parallel(request: Request):
    registry, bridge, ctx = _deps(request)
    body = await request.json()
    engine = RequestScopedExecutionEngine(ctx, registry, bridge)
    return await engine.execute_parallel(body["agents"], body.get("state", {}))


@router.post("/{agent_name}/run-isolated")
async def run_isolated(agent_name: str, request: Request):
    registry, bridge, ctx = _deps(request)
    engine = await UserExecutionEngine.create_from_legacy(registry, bridge, user_context=ctx)
    try:
        return await engine.execute_agent(agent_name, await request.json())
    finally:
        await engine.cleanup()


@router.post("/{agent_name}/run-scoped")
async def run_scoped(agent_name: str, request: Request):
    registry, bridge, ctx = _deps(request)
    async with ExecutionEngine(registry, bridge, user_context=ctx) as engine:
        result = await engine.execute_agent(agent_name, await request.json())
    logger.info("scoped run of %s finished for %s", agent_name, ctx.user_id)
    return result


@router.get("/capabilities")
async def capabilities():
    return asdict(ExecutionEngineCapabilities(user_isolation=False))
