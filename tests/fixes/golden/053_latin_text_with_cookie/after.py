# -*- coding: latin-1 -*-
from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine

NAME = 'café'


def f(e: UserExecutionEngine):
    return NAME
