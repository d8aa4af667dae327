from netra_backend.app.agents.supervisor.execution_engine_factory import get_execution_engine_factory


async def lancer(registry, bridge, contexte_é):
    moteur_ü = await (await get_execution_engine_factory()).create_for_user(contexte_é)
    return moteur_ü
