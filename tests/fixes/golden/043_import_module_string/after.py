import importlib


def load():
    return importlib.import_module('netra_backend.app.agents.supervisor.user_execution_engine')
