"""SSOT007 string-reference: import and patch helpers naming a legacy module or symbol in a string."""

from __future__ import annotations

from .conftest import APP

TEST = "tests/test_engine.py"
LEGACY_MOD = "netra_backend.app.agents.supervisor.execution_engine"


def refs(project, text):
    return [line for line, code in project.check(TEST, text) if code == "SSOT007"]


def test_mock_patch_of_legacy_class_is_reported(project):
    assert refs(project, f"from unittest import mock\n\nwith mock.patch('{LEGACY_MOD}.ExecutionEngine'):\n    pass\n") \
        == [3]


def test_patch_decorator_is_reported(project):
    assert refs(project, f"from unittest.mock import patch\n\n@patch('{LEGACY_MOD}.ExecutionEngine')\n"
                         "def test_x(m):\n    pass\n") == [3]


def test_patch_with_target_keyword_is_reported(project):
    assert refs(project, f"from unittest.mock import patch\n\nP = patch(target='{LEGACY_MOD}.ExecutionEngine')\n") == [3]


def test_patch_of_legacy_class_attribute_is_reported(project):
    assert refs(project, f"from unittest.mock import patch\n\nP = patch('{LEGACY_MOD}.ExecutionEngine.run')\n") == [3]


def test_patch_object_with_module_alias_is_reported(project):
    assert refs(project, f"from unittest.mock import patch\nimport {LEGACY_MOD} as ee\n\n"
                         "P = patch.object(ee, 'ExecutionEngine')\n") == [4]


def test_patch_object_on_legacy_class_is_reported(project):
    assert refs(project, f"from unittest import mock\nfrom {LEGACY_MOD} import ExecutionEngine\n\n"
                         "P = mock.patch.object(ExecutionEngine, 'run')\n") == [4]


def test_patch_object_on_canonical_module_is_not_reported(project):
    assert refs(project, "from unittest.mock import patch\n"
                         "import netra_backend.app.agents.supervisor.user_execution_engine as u\n\n"
                         "P = patch.object(u, 'UserExecutionEngine')\n") == []


def test_import_module_of_legacy_module_is_reported(project):
    assert refs(project, f"import importlib\n\nM = importlib.import_module('{LEGACY_MOD}')\n") == [3]


def test_dunder_import_of_legacy_module_is_reported(project):
    assert refs(project, f"M = __import__('{LEGACY_MOD}')\n") == [1]


def test_relative_import_module_with_package_is_resolved(project):
    assert refs(project, "import importlib\n\n"
                         "M = importlib.import_module('.execution_engine', 'netra_backend.app.agents.supervisor')\n") \
        == [3]


def test_relative_import_module_with_package_keyword_is_resolved(project):
    assert refs(project, "from importlib import import_module\n\n"
                         "M = import_module('..supervisor.execution_engine', package='netra_backend.app.agents.x')\n") \
        == [3]


def test_string_naming_a_reexported_legacy_symbol_is_reported(project):
    project.write({APP + "agents/__init__.py": "from .supervisor.execution_engine import ExecutionEngine\n"})
    assert refs(project, "from unittest.mock import patch\n\nP = patch('netra_backend.app.agents.ExecutionEngine')\n") \
        == [3]


def test_allowed_names_are_not_reported(project):
    assert refs(project, "from unittest.mock import patch\n\n"
                         "P = patch('netra_backend.app.agents.execution_engine_interface.ExecutionEngineCapabilities')\n") \
        == []


def test_canonical_targets_are_not_reported(project):
    assert refs(project, "from unittest.mock import patch\nimport importlib\n\n"
                         "P = patch('netra_backend.app.agents.supervisor.user_execution_engine.UserExecutionEngine')\n"
                         "M = importlib.import_module('netra_backend.app.agents.supervisor.execution_engine_factory')\n") \
        == []


def test_plain_string_constants_are_not_reported(project):
    assert refs(project, f"TARGET = '{LEGACY_MOD}.ExecutionEngine'\nprint('{LEGACY_MOD}')\n") == []


def test_replacement_names_the_canonical_target(project):
    refs(project, f"from unittest.mock import patch\n\nP = patch('{LEGACY_MOD}.ExecutionEngine')\n")
    (violation,) = [v for v in project.violations(TEST) if v.code == "SSOT007"]
    assert violation.payload.replacement == \
        "netra_backend.app.agents.supervisor.user_execution_engine.UserExecutionEngine"


def test_monkeypatch_setattr_string_target_is_reported(project):
    assert refs(project, f"def test_x(monkeypatch):\n    monkeypatch.setattr('{LEGACY_MOD}.ExecutionEngine', None)\n") \
        == [2]


def test_patch_of_a_legacy_class_nothing_replaces_says_so_and_names_no_target(project):
    project.write({"netra_backend/app/agents/unified_tool_execution.py": "class UnifiedToolExecutionEngine:\n    pass\n"})
    project.check(TEST, "from unittest.mock import patch\n\n\n"
                        '@patch("netra_backend.app.agents.unified_tool_execution.UnifiedToolExecutionEngine")\n'
                        "def test_run(tools):\n    assert tools\n")
    (violation,) = project.violations(TEST)
    assert violation.code == "SSOT007"
    assert violation.payload.replacement == "" and violation.payload.replaces == "none"
    assert 'nothing replaces it automatically (replacements: "none")' in violation.message
    assert "patching the defining module" not in violation.message


def test_a_patch_of_a_module_attribute_names_its_counterpart_not_the_canonical_class(project):
    project.write({"netra_backend/app/agents/supervisor/execution_engine.py": "import logging\nlogger = logging.getLogger()\n"
                   "class ExecutionEngine:\n    pass\n",
                   "netra_backend/app/agents/supervisor/user_execution_engine.py": "import logging\n"
                   "logger = logging.getLogger()\nclass UserExecutionEngine:\n    pass\n"})
    project.check(TEST, f"from unittest.mock import patch\n\nP = patch('{LEGACY_MOD}.logger')\n")
    (violation,) = [v for v in project.violations(TEST) if v.code == "SSOT007"]
    assert violation.payload.replacement == "netra_backend.app.agents.supervisor.user_execution_engine.logger"
    assert violation.payload.moved and not violation.payload.withheld
    assert "the canonical module's own object of that name" in violation.message


def test_a_patch_of_a_method_the_replacement_lacks_says_to_move_it_by_hand(project):
    project.write({"netra_backend/app/agents/supervisor/execution_engine.py": "class ExecutionEngine:\n"
                   "    def shutdown(self):\n        pass\n",
                   "netra_backend/app/agents/supervisor/user_execution_engine.py": "class UserExecutionEngine:\n"
                   "    def cleanup(self):\n        pass\n"})
    project.check(TEST, f"from unittest.mock import patch\n\nP = patch('{LEGACY_MOD}.ExecutionEngine.shutdown')\n")
    (violation,) = [v for v in project.violations(TEST) if v.code == "SSOT007"]
    assert violation.payload.replacement == "" and violation.payload.manual_text() == violation.payload.withheld
    assert "move the patch by hand: UserExecutionEngine does not define `shutdown`" in violation.message
