"""SSOT003 factory-bypass: the canonical class constructed outside its factory and canonical modules."""

from __future__ import annotations

from .conftest import APP

SVC = APP + "services/caller.py"
CANONICAL_IMPORT = "from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine\n"


def test_direct_construction_outside_factory_is_reported(project):
    assert project.check(SVC, CANONICAL_IMPORT + "def f(c):\n    return UserExecutionEngine(c, None, None)\n") \
        == [(3, "SSOT003")]


def test_construction_through_module_attribute_is_reported(project):
    assert project.check(SVC, "import netra_backend.app.agents.supervisor.user_execution_engine as u\n"
                              "def f(c):\n    return u.UserExecutionEngine(c, None, None)\n") == [(3, "SSOT003")]


def test_construction_in_the_factory_module_is_allowed(project):
    project.scan()
    assert project.codes(APP + "agents/supervisor/execution_engine_factory.py") == []


def test_construction_in_the_canonical_module_is_allowed(project):
    project.write({APP + "agents/supervisor/user_execution_engine.py": """\
        class UserExecutionEngine:
            @classmethod
            def clone(cls, other):
                return UserExecutionEngine(other.context, None, None)
        """})
    project.scan()
    assert project.codes(APP + "agents/supervisor/user_execution_engine.py") == []


def test_factory_call_is_not_reported(project):
    assert project.check(SVC, """\
        from netra_backend.app.agents.supervisor.execution_engine_factory import get_execution_engine_factory

        async def f(ctx):
            return await (await get_execution_engine_factory()).create_for_user(ctx)
        """) == []


def test_subclass_construction_of_the_canonical_class_is_not_a_bypass(project):
    assert project.check(SVC, CANONICAL_IMPORT + "class Tenant(UserExecutionEngine):\n    pass\nT = Tenant(1, 2, 3)\n") \
        == []


def test_legacy_class_imported_under_the_canonical_name_is_construction_not_bypass(project):
    project.check(SVC, "from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine as "
                       "UserExecutionEngine\nX = UserExecutionEngine(1, 2)\n")
    assert [code for line, code in project.codes(SVC) if line == 2] == ["SSOT002"]


def test_bypass_finding_has_the_factory_in_its_message(project):
    project.check(SVC, CANONICAL_IMPORT + "def f(c):\n    return UserExecutionEngine(c, None, None)\n")
    (finding,) = project.findings(SVC)
    assert "create_for_user(context)" in finding.message


# -- stub fallbacks (issue 14 §1b) ---------------------------------------------------------------

STUB_FALLBACK = ("try:\n    " + CANONICAL_IMPORT + "except ImportError:  # pragma: no cover\n"
                 "    class UserExecutionEngine:  # type: ignore[no-redef]\n"
                 "        def __init__(self, *args):\n            self.args = args\n\n\n")


def test_a_stub_fallback_class_does_not_hide_direct_constructions(project):
    assert project.check(SVC, STUB_FALLBACK + "def f(c):\n    return UserExecutionEngine(c, None, None)\n") \
        == [(10, "SSOT003")]


def test_the_stub_fallback_class_itself_is_no_duplicate_definition(project):
    assert project.check(SVC, STUB_FALLBACK) == []


def test_a_stub_fallback_with_factory_use_is_clean(project):
    factory = "from netra_backend.app.agents.supervisor.execution_engine_factory import get_execution_engine_factory\n"
    assert project.check(SVC, STUB_FALLBACK + factory +
                         "\n\nasync def f(c):\n    return await (await get_execution_engine_factory()).create_for_user(c)\n") \
        == []


def test_a_class_of_the_canonical_name_without_a_sibling_import_is_still_a_duplicate(project):
    assert project.check(SVC, "try:\n    import json\nexcept ImportError:\n"
                              "    class UserExecutionEngine:\n        pass\n") == [(4, "SSOT004")]
