from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


def build_engine(context, agent_factory, emitter):
    return UserExecutionEngine(context, agent_factory, emitter)
