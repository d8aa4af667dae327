# -*- coding: latin-1 -*-
from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine

NAME = 'café'


def f(e: ExecutionEngine):
    return NAME
