from unittest.mock import patch

from netra_backend.app.agents.supervisor import execution_engine as eem


def test():
    with patch.object(eem, 'ExecutionEngine') as cls:
        return cls
