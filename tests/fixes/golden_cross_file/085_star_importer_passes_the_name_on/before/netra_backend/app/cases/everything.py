"""Console helpers: everything the engine compat layer exports."""
from netra_backend.app.cases.engine_compat import *  # noqa: F403

CONSOLE_NAME = "ops"
