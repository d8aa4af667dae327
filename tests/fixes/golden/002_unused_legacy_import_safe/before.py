import os
from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine

print(os.name)
