from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine


class Holder:
    engine: ExecutionEngine

    def get(self) -> 'ExecutionEngine':
        return self.engine
