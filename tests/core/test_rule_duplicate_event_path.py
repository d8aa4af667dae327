"""SSOT006 duplicate-event-path: classes other than the canonical emitter defining notify_agent_* methods."""

from __future__ import annotations

from .conftest import APP

SVC = APP + "services/bridge.py"


def test_class_defining_event_methods_is_reported_once(project):
    assert project.check(SVC, """\
        class AgentWebSocketBridge:
            async def notify_agent_started(self, run):
                pass

            async def notify_agent_completed(self, run):
                pass
        """) == [(1, "SSOT006")]


def test_message_lists_the_event_methods(project):
    project.check(SVC, "class Bridge:\n    def notify_agent_started(self):\n        pass\n"
                       "    def notify_agent_thinking(self):\n        pass\n")
    (finding,) = project.findings(SVC)
    assert "notify_agent_started, notify_agent_thinking" in finding.message


def test_default_severity_comes_from_the_group(project):
    project.check(SVC, "class Bridge:\n    def notify_agent_started(self):\n        pass\n")
    (finding,) = project.findings(SVC)
    assert finding.severity == "information"


def test_canonical_emitter_is_not_reported(project):
    project.scan()
    assert project.codes(APP + "websocket_core/unified_emitter.py") == []


def test_subclass_of_canonical_emitter_is_not_reported(project):
    assert project.check(SVC, """\
        from netra_backend.app.websocket_core.unified_emitter import UnifiedWebSocketEmitter

        class TracingEmitter(UnifiedWebSocketEmitter):
            async def notify_agent_started(self, name):
                return await super().notify_agent_started(name)
        """) == []


def test_class_without_event_methods_is_not_reported(project):
    assert project.check(SVC, "class _BridgeEmitter:\n    def send(self):\n        pass\n"
                              "    def agent_notify_started(self):\n        pass\n") == []


def test_module_level_function_named_like_an_event_is_not_reported(project):
    assert project.check(SVC, "async def notify_agent_started(run):\n    pass\n") == []


def test_calls_to_event_methods_are_not_reported(project):
    assert project.check(SVC, "async def f(emitter):\n    await emitter.notify_agent_started('x')\n") == []
