from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


async def build_engine(context, agent_factory, emitter):
    return UserExecutionEngine(context, agent_factory, emitter, run_timeout=30.0)
