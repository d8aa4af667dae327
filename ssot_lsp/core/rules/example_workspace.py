"""The built-in profile as the rules' docs show it: the example workspace and the story behind it.

Examples (``Rule.valid`` / ``Rule.invalid``) are files of a workspace laid out like the built-in
profile describes (the test suite builds it, see ``tests/core/conftest.py``), so they — and the docs
pages generated from them — name the profile's modules. Only documentation uses these names; no rule
logic does (``tests/core/test_profile_independence.py``).
"""

from __future__ import annotations

EXAMPLE_PATH = "netra_backend/app/services/example.py"
LEGACY_ENGINE_MODULE = "netra_backend.app.agents.supervisor.execution_engine"
CANONICAL_ENGINE_MODULE = "netra_backend.app.agents.supervisor.user_execution_engine"
FACTORY_MODULE = "netra_backend.app.agents.supervisor.execution_engine_factory"

# shared sections of every rule page
CONTEXT = ("The audit behind this tool (issue #759) found a dozen execution engines where one, "
           "`UserExecutionEngine`, should exist. Every extra path is a place where one user's context can leak "
           "into another user's run (a shared engine holds state across requests), where concurrent requests "
           "race on that shared state, and where WebSocket events are sent through a path nobody watches, so "
           "agents run but the user never sees the answer.")

RESOLUTION = ("Names are resolved through the workspace index (imports, relative imports, package `__init__` "
              "re-exports, module-level aliases such as `Old = ExecutionEngine`, star imports, function-local "
              "imports), to a fixpoint with a cycle guard. The core does **not** use jedi: findings never depend "
              "on jedi's inference, only on the index built from the workspace's own files.")

