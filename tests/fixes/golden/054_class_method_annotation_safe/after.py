from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


class Holder:
    engine: UserExecutionEngine

    def get(self) -> 'UserExecutionEngine':
        return self.engine
