import importlib


def load():
    return importlib.import_module('netra_backend.app.agents.supervisor.request_scoped_execution_engine')
