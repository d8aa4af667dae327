from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


async def lancer(registry, bridge, contexte_é):
    moteur_ü = ExecutionEngine(registry, bridge, user_context=contexte_é)
    return moteur_ü
