"""SSOT006 duplicate-event-path: classes other than the canonical emitter defining notify_agent_* methods."""

from __future__ import annotations

from .conftest import APP

SVC = APP + "services/bridge.py"


SENDS = "        self.socket.send(run)\n"


def test_class_defining_event_methods_is_reported_once(project):
    assert project.check(SVC, """\
        class AgentWebSocketBridge:
            async def notify_agent_started(self, run):
                await self.socket.send_json({"type": "agent_started", "run": run})

            async def notify_agent_completed(self, run):
                await self.socket.send_json({"type": "agent_completed", "run": run})
        """) == [(1, "SSOT006")]


def test_message_lists_the_event_methods(project):
    project.check(SVC, "class Bridge:\n    def notify_agent_started(self, run):\n" + SENDS +
                       "    def notify_agent_thinking(self, run):\n" + SENDS)
    (finding,) = project.findings(SVC)
    assert "notify_agent_started, notify_agent_thinking" in finding.message


def test_default_severity_comes_from_the_group(project):
    project.check(SVC, "class Bridge:\n    def notify_agent_started(self, run):\n" + SENDS)
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


# -- interfaces (issue 14 §2b): they declare the event path, they deliver nothing ---------------

def test_protocol_class_is_not_reported(project):
    assert project.check(SVC, """\
        from typing import Protocol

        class AgentEventSink(Protocol):
            async def notify_agent_started(self, run_id: str) -> None:
                await self.send(run_id)
        """) == []


def test_generic_protocol_class_is_not_reported(project):
    assert project.check(SVC, """\
        import typing

        class AgentEventSink(typing.Protocol[T]):
            async def notify_agent_started(self, run_id: str) -> None: ...
        """) == []


def test_class_whose_event_methods_are_all_abstract_is_not_reported(project):
    assert project.check(SVC, """\
        from abc import ABC, abstractmethod

        class BaseAgentNotifier(ABC):
            @abstractmethod
            async def notify_agent_started(self, run_id: str) -> None:
                \"\"\"Deliver the started event.\"\"\"

            @abstractmethod
            async def notify_agent_completed(self, run_id: str) -> None:
                raise NotImplementedError
        """) == []


def test_class_whose_event_methods_are_all_stubs_is_not_reported(project):
    assert project.check(SVC, """\
        class NullAgentNotifier:
            async def notify_agent_started(self, *args):
                pass

            async def notify_agent_thinking(self, *args):
                ...

            async def notify_agent_completed(self, *args):
                \"\"\"Not sent in batch mode.\"\"\"

            async def notify_agent_error(self, *args):
                raise NotImplementedError("batch jobs have no listener")
        """) == []


def test_partly_implemented_interface_is_reported_with_the_implemented_method(project):
    assert project.check(SVC, """\
        from abc import ABC, abstractmethod

        class PartialAgentNotifier(ABC):
            @abstractmethod
            async def notify_agent_started(self, run_id): ...

            async def notify_agent_completed(self, run_id):
                await self.socket.send_json({"type": "agent_completed", "run_id": run_id})
        """) == [(3, "SSOT006")]
    (finding,) = project.findings(SVC)
    assert "(notify_agent_completed)" in finding.message


def test_a_method_defined_twice_is_what_its_last_definition_does(project):
    # Python keeps the last definition: the abstract declaration above it declares nothing any more
    project.check(SVC, """\
        from abc import ABC, abstractmethod


        class PartialAgentNotifier(ABC):
            @abstractmethod
            async def notify_agent_completed(self, run_id):
                ...

            async def notify_agent_completed(self, run_id):
                await self.socket.send_json({"type": "agent_completed"})
        """)
    (finding,) = project.findings(SVC)
    assert (finding.line, finding.code) == (4, "SSOT006")
    assert "(notify_agent_completed)" in finding.message


# -- delegation (issue 14 §2c): forwarding to the same method elsewhere is no second path --------

def test_class_whose_event_methods_all_delegate_is_not_reported(project):
    assert project.check(SVC, """\
        class AgentEventRelay:
            def __init__(self, emitter):
                self._emitter = emitter

            async def notify_agent_started(self, run_id):
                return await self._emitter.notify_agent_started(run_id)

            async def notify_agent_thinking(self, run_id):
                await self._emitter.notify_agent_thinking(run_id)

            def notify_agent_completed(self, run_id):
                \"\"\"Forward to the SSOT emitter.\"\"\"
                return self._emitter.notify_agent_completed(run_id)

            def notify_agent_error(self, run_id):
                self._emitter.notify_agent_error(run_id)
        """) == []


def test_super_delegation_is_not_reported(project):
    assert project.check(SVC, """\
        class AuditedNotifier(BaseNotifier):
            async def notify_agent_started(self, run_id):
                \"\"\"Audit, then deliver.\"\"\"
                return await super().notify_agent_started(run_id)
        """) == []


def test_forwarding_to_another_method_name_is_own_delivery(project):
    assert project.check(SVC, """\
        class Renaming:
            async def notify_agent_started(self, run_id):
                return await self._emitter.emit_started(run_id)
        """) == [(1, "SSOT006")]


def test_delegation_with_more_statements_is_own_delivery(project):
    assert project.check(SVC, """\
        class Logging:
            async def notify_agent_started(self, run_id):
                self.seen.append(run_id)
                return await self._emitter.notify_agent_started(run_id)
        """) == [(1, "SSOT006")]


def test_class_mixing_delegation_and_own_delivery_names_only_its_own(project):
    project.check(SVC, """\
        class ChatEventForwarder:
            async def notify_agent_started(self, run_id):
                return await self._emitter.notify_agent_started(run_id)

            async def notify_agent_completed(self, run_id):
                await self._websocket.send_json({"type": "agent_completed"})
        """)
    (finding,) = project.findings(SVC)
    assert (finding.line, finding.code) == (1, "SSOT006")
    assert "(notify_agent_completed)" in finding.message


# -- test doubles (issue 14 §2a): at most information, and said so -----------------------------

TEST_FILE = "tests/test_notifications.py"


def test_named_double_is_information_and_says_test_double(project):
    project.check(SVC, "class FakeEventEmitter:\n    def notify_agent_started(self, run):\n"
                       "        self.events.append(run)\n")
    (finding,) = project.findings(SVC)
    assert (finding.code, finding.severity) == ("SSOT006", "information")
    assert "test double (its name starts with Fake)" in finding.message


def test_class_in_a_test_file_is_a_test_double(project):
    project.check(TEST_FILE, "class RecordingSink:\n    def notify_agent_started(self, run):\n"
                             "        self.events.append(run)\n")
    (finding,) = project.findings(TEST_FILE)
    assert "test double (it is defined in a test file (test-paths))" in finding.message


def test_test_double_stays_information_when_the_project_raises_the_rule(project):
    from .test_configuration import profile_with, write_profile

    write_profile(project, profile_with(severity={"SSOT006": "error"}))
    project.check(SVC, "class SpyWebSocketBridge:\n    def notify_agent_started(self, run):\n"
                       "        self.events.append(run)\n")
    assert [f.severity for f in project.findings(SVC)] == ["information"]
