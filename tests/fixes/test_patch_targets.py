"""Patch targets that name a legacy class where it is used (another module's own binding of it).

``patch("app.runner.ExecutionEngine")`` patches the runner's binding, not the legacy module's: its
counterpart is the runner's binding of the replacement, which exists only once the runner imports it.
"""

from __future__ import annotations

EE = "netra_backend.app.agents.supervisor.execution_engine"
UEE = "netra_backend.app.agents.supervisor.user_execution_engine"
RSEE = "netra_backend.app.agents.supervisor.request_scoped_execution_engine"


def patching(target: str) -> str:
    return f"from unittest.mock import patch\n\n\n@patch({target!r})\ndef test_it(cls):\n    assert cls\n"


def test_a_patch_where_the_legacy_class_is_used_waits_until_that_module_imports_the_replacement(bench):
    bench.place(f"from {EE} import ExecutionEngine\n\n\ndef build(*args):\n    return ExecutionEngine(*args)\n",
                name="runner_unmigrated")
    result = bench.fix(patching("netra_backend.app.cases.runner_unmigrated.ExecutionEngine"), name="where_used_1")
    assert result.applied == []
    (left,) = [o for o in result.unfixable if o.violation.code == "SSOT007"]
    assert left.reason == ("`netra_backend.app.cases.runner_unmigrated.ExecutionEngine` patches "
                           "netra_backend.app.cases.runner_unmigrated's own binding of ExecutionEngine, and "
                           "netra_backend.app.cases.runner_unmigrated does not bind UserExecutionEngine: "
                           "migrate its import first")


def test_a_patch_where_the_legacy_class_is_used_moves_to_that_module_binding_of_the_replacement(bench):
    bench.place(f"from {RSEE} import RequestScopedExecutionEngine\nfrom {UEE} import UserExecutionEngine\n\n\n"
                "def build(*args):\n    return (RequestScopedExecutionEngine, UserExecutionEngine)\n",
                name="runner_half_migrated")
    result = bench.fix(patching("netra_backend.app.cases.runner_half_migrated.RequestScopedExecutionEngine"),
                       name="where_used_2")
    assert [o.title for o in result.applied] == ["Unsafe: patch UserExecutionEngine instead"]
    assert "@patch('netra_backend.app.cases.runner_half_migrated.UserExecutionEngine')" in result.new_text
