from netra_backend.app.agents.supervisor.mcp_execution_engine import MCPEnhancedExecutionEngine


async def engine_for(registry, websocket_bridge, ctx):
    engine = MCPEnhancedExecutionEngine(registry, websocket_bridge, ctx)
    return engine
