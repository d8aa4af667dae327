"""Shapes about classes: test doubles, interfaces and delegating emitters (issue 14 §2a-c)."""

from __future__ import annotations

from ..names import (
    EMITTER_MOD,
    EVENTS,
    SUPERVISOR_SSOT_MOD,
)
from ..sites import Mark, Placement
from .common import (
    frame,
    pick_legacy,
    use,
)

# --------------------------------------------------------------------------------------------
# Test doubles, interfaces, delegating classes (issue 14 §2a-c)
# --------------------------------------------------------------------------------------------

def recording_methods(events: list[str]) -> list[str]:
    out = []
    for ev in events:
        out += [f"    async def notify_{ev}(self, run_id: str, agent_name: str, data: Any = None) -> None:",
                f'        self.events.append(("{ev}", run_id, agent_name, data))', ""]
    return out


def test_double(r, is_test, variant):
    info = "information"
    evs = r.sample(EVENTS, r.randint(2, 5))
    if variant == "mock_engine":
        name = r.choice(("Mock", "Fake", "Stub", "Dummy", "Spy")) + r.choice(("", "User", "Legacy")) + "ExecutionEngine"
        block = [Mark(f"class {name}:", "test_double", "named_double", (), f"class {name}", allow={"SSOT004": info}),
                 '    """In-memory engine: records agent runs instead of executing them."""', "",
                 "    def __init__(self) -> None:", "        self.runs: List[str] = []", "",
                 "    async def execute_agent(self, agent_name: str, state: Dict[str, Any]) -> Dict[str, Any]:",
                 "        self.runs.append(agent_name)", '        return {"status": "completed", "agent": agent_name}', "", ""]
        use_line = Mark(f"    engine = {name}()", "test_double", "double_construction", (), f"{name}(")
        return Placement(blocks=[block, frame(r, True, [use_line] + use("engine", True, r))], binds={name})
    if variant == "magicmock_subclass":
        name = r.choice(("EngineDouble", "SpyExecutionEngine", "RecordingExecutionEngine"))
        block = [Mark(f"class {name}(MagicMock):", "test_double", "magicmock_subclass", (), f"class {name}",
                      allow={"SSOT004": info}),
                 '    """MagicMock with the engine\'s async surface."""', "",
                 "    async def execute_agent(self, agent_name: str, state: Any) -> Any:",
                 "        return self.run(agent_name, state)", "", ""]
        return Placement(blocks=[block], binds={name})
    if variant == "legacy_subclass":
        cls, mod, _ = pick_legacy(r)
        name = "Stub" + cls
        block = [Mark(f"class {name}({cls}):", "test_double", "legacy_subclass_double", (), f"class {name}",
                      allow={"SSOT004": info}),
                 '    """Legacy engine with the registry stubbed out."""', "",
                 "    def __init__(self) -> None:", "        pass", "", ""]
        return Placement(imports=[Mark(f"from {mod} import {cls}", "test_double", "legacy_import_for_double", ("SSOT001",), cls)],
                         blocks=[block], binds={cls, name})
    if variant == "fake_supervisor":
        block = [Mark("class FakeSupervisor(SupervisorAgent):", "test_double", "fake_canonical_supervisor", (),
                      "class FakeSupervisor", allow={"SSOT005": info}),
                 '    """Supervisor that routes every request to the triage agent."""', "",
                 "    async def run(self, context: UserExecutionContext, request: Any) -> Dict[str, Any]:",
                 '        return {"routed_to": "triage_agent", "user_id": context.user_id}', "", ""]
        return Placement(imports=[f"from {SUPERVISOR_SSOT_MOD} import SupervisorAgent"], blocks=[block],
                         binds={"SupervisorAgent", "FakeSupervisor"})
    if variant == "supervisor_mock":
        block = [Mark("class SupervisorAgent(MagicMock):  # the real one needs an LLM", "test_double",
                      "same_name_mock", (), "class SupervisorAgent", allow={"SSOT005": info}),
                 '    """Only what the route under test touches."""', "",
                 "    async def run(self, context: Any, request: Any) -> Dict[str, Any]:",
                 '        return {"status": "completed"}', "", ""]
        return Placement(blocks=[block], binds={"SupervisorAgent"})
    if variant == "emitter_double":
        name = r.choice(("MockWebSocketEmitter", "FakeEventEmitter", "StubAgentNotifier", "SpyWebSocketBridge"))
        block = [Mark(f"class {name}:", "test_double", "emitter_double", (), f"class {name}", allow={"SSOT006": info}),
                 '    """Collects agent events for assertions."""', "",
                 "    def __init__(self) -> None:", "        self.events: List[tuple] = []", ""]
        block += recording_methods(evs) + [""]
        return Placement(blocks=[block], binds={name})
    # variant == "test_file_class": a plain class in a test file (test-paths) that records events
    name = r.choice(("RecordingSink", "EventCollector", "CapturingNotifier"))
    block = [Mark(f"class {name}:", "test_double", "class_in_test_file", (), f"class {name}", allow={"SSOT006": info}),
             '    """Captures what the engine emits during the test."""', "",
             "    def __init__(self) -> None:", "        self.events: List[tuple] = []", ""]
    block += recording_methods(evs) + [""]
    return Placement(blocks=[block], binds={name})


def interface(r, is_test, variant):
    evs = r.sample(EVENTS, r.randint(2, 5))
    if variant == "protocol":
        block = [Mark("class AgentEventSink(Protocol):", "interface", "protocol", (), "class AgentEventSink"),
                 '    """What an engine needs to report progress."""', ""]
        for ev in evs:
            block += [f"    async def notify_{ev}(self, run_id: str, agent_name: str, data: Any = None) -> None:", "        ...", ""]
        return Placement(imports_extra=["from typing import Protocol"], blocks=[block + [""]], binds={"AgentEventSink"})
    if variant == "abc":
        block = [Mark("class BaseAgentNotifier(ABC):", "interface", "abstract_methods", (), "class BaseAgentNotifier"),
                 '    """Contract of every agent event notifier."""', ""]
        for ev in evs:
            block += ["    @abstractmethod", f"    async def notify_{ev}(self, run_id: str, agent_name: str, data: Any = None) -> None:",
                      f'        """Deliver the {ev} event."""', ""]
        return Placement(imports_extra=["from abc import ABC, abstractmethod"], blocks=[block + [""]],
                         binds={"BaseAgentNotifier"})
    if variant == "abstract_engine":
        block = [Mark("class AbstractExecutionEngine(ABC):", "interface", "abstract_engine", (), "class AbstractExecutionEngine"),
                 '    """Interface the supervisor programs against (kept after the SSOT migration)."""', "",
                 "    @abstractmethod",
                 "    async def execute_agent(self, agent_name: str, state: Dict[str, Any]) -> Any:",
                 '        """Run one agent."""', "",
                 "    @abstractmethod", "    async def cleanup(self) -> None:", "        ...", "", ""]
        return Placement(imports_extra=["from abc import ABC, abstractmethod"], blocks=[block],
                         binds={"AbstractExecutionEngine"})
    if variant == "stub_bodies":
        bodies = ["        pass", "        ...", "        raise NotImplementedError", '        """Not sent in batch mode."""']
        block = [Mark("class NullAgentNotifier:", "interface", "stub_bodies", (), "class NullAgentNotifier"),
                 '    """Notifier for batch jobs: nobody listens."""', ""]
        for ev in evs:
            block += [f"    async def notify_{ev}(self, *args: Any, **kwargs: Any) -> None:", r.choice(bodies), ""]
        return Placement(blocks=[block + [""]], binds={"NullAgentNotifier"})
    # variant == "partial": one abstract method, one real implementation -> a real second path
    block = [Mark("class PartialAgentNotifier(ABC):", "interface", "partly_implemented", ("SSOT006",),
                  "class PartialAgentNotifier"),
             '    """Half interface, half implementation: sends completion events itself."""', "",
             "    @abstractmethod",
             f"    async def notify_{evs[0]}(self, run_id: str, agent_name: str, data: Any = None) -> None:", "        ...", "",
             "    async def notify_agent_completed(self, run_id: str, agent_name: str, data: Any = None) -> None:",
             '        await self.socket.send_json({"type": "agent_completed", "run_id": run_id, "agent": agent_name})', "", ""]
    return Placement(imports_extra=["from abc import ABC, abstractmethod"], blocks=[block],
                     binds={"PartialAgentNotifier"})


def delegating(r, is_test, variant):
    evs = r.sample(EVENTS, r.randint(2, 5))
    if variant == "all_delegate":
        name = r.choice(("WebSocketNotifier", "AgentEventRelay", "UserEventPublisher", "RunProgressReporter"))
        block = [Mark(f"class {name}:", "delegating", "all_methods_delegate", (), f"class {name}"),
                 '    """Thin wrapper kept for the old call sites; the SSOT emitter does the work."""', "",
                 "    def __init__(self, emitter: UnifiedWebSocketEmitter) -> None:", "        self._emitter = emitter", ""]
        forms = ["        return await self._emitter.notify_{ev}(run_id, agent_name, data)",
                 "        await self._emitter.notify_{ev}(run_id, agent_name, data)",
                 '        """Forward to the SSOT emitter."""\n        return await self._emitter.notify_{ev}(run_id, agent_name, data)']
        for ev in evs:
            block += [f"    async def notify_{ev}(self, run_id: str, agent_name: str, data: Any = None) -> None:"]
            block += r.choice(forms).format(ev=ev).split("\n") + [""]
        return Placement(imports=[f"from {EMITTER_MOD} import UnifiedWebSocketEmitter"], blocks=[block + [""]],
                         binds={name, "UnifiedWebSocketEmitter"})
    if variant == "super_delegate":
        block = [Mark("class AuditedEmitter(UnifiedWebSocketEmitter):", "delegating", "canonical_subclass_super", (),
                      "class AuditedEmitter"),
                 '    """Adds an audit log line; delivery stays in the SSOT emitter."""', ""]
        for ev in evs:
            block += [f"    async def notify_{ev}(self, run_id: str, agent_name: str, data: Any = None) -> None:",
                      '        """Audit, then deliver."""',
                      f"        return await super().notify_{ev}(run_id, agent_name, data)", ""]
        return Placement(imports=[f"from {EMITTER_MOD} import UnifiedWebSocketEmitter"], blocks=[block + [""]],
                         binds={"AuditedEmitter", "UnifiedWebSocketEmitter"})
    # variant == "mixed": one method delegates, another sends on its own -> a real second path
    block = [Mark("class ChatEventForwarder:", "delegating", "partly_own_delivery", ("SSOT006",), "class ChatEventForwarder"),
             '    """Forwards most events; completion is sent directly (second delivery path)."""', "",
             "    def __init__(self, emitter: Any, websocket: Any) -> None:",
             "        self._emitter = emitter", "        self._websocket = websocket", "",
             "    async def notify_agent_started(self, run_id: str, agent_name: str, data: Any = None) -> None:",
             "        return await self._emitter.notify_agent_started(run_id, agent_name, data)", "",
             "    async def notify_agent_completed(self, run_id: str, agent_name: str, data: Any = None) -> None:",
             '        await self._websocket.send_json({"type": "agent_completed", "run_id": run_id, "result": data})', "", ""]
    return Placement(blocks=[block], binds={"ChatEventForwarder"})


def real_second_emitter(r, is_test):
    evs = EVENTS
    block = [Mark("class UserWebSocketEmitter:", "delegating", "own_delivery", ("SSOT006",), "class UserWebSocketEmitter"),
             '    """Per-user emitter written before the SSOT emitter existed; sends events itself."""', "",
             "    def __init__(self, websocket_manager: Any, user_id: str) -> None:",
             "        self._manager = websocket_manager", "        self._user_id = user_id", ""]
    for ev in evs:
        block += [f"    async def notify_{ev}(self, run_id: str, agent_name: str, data: Any = None) -> None:",
                  f'        message = {{"type": "{ev}", "run_id": run_id, "agent_name": agent_name, "payload": data}}',
                  "        await self._manager.send_to_user(self._user_id, message)", ""]
    return Placement(blocks=[block + [""]], binds={"UserWebSocketEmitter"})


def mock_module_double(r, is_test):
    """``from unittest import mock``, then a subclass of ``mock.AsyncMock`` / ``mock.MagicMock``
    outside test-paths (shared test support): a test double by its base alone (issue 14 §2a)."""
    name = r.choice(("RecordingExecutionEngine", "ScriptedExecutionEngine", "CannedExecutionEngine"))
    base = r.choice(("mock.AsyncMock", "mock.MagicMock"))
    block = [Mark(f"class {name}({base}):", "test_double", "mock_module_subclass", (), f"class {name}",
                  allow={"SSOT004": "information"}),
             '    """Engine double shared by the integration suites: replies with canned results."""', "",
             "    async def execute_agent(self, agent_name: str, state: Any) -> Any:",
             '        return {"status": "completed", "agent": agent_name}', "", ""]
    return Placement(imports_extra=["from unittest import mock"], blocks=[block], binds={name, "mock"})


def sync_delegation(r, is_test):
    """Synchronous forwarding (``return x.same(...)``, ``x.same(...)``) delivers nothing (issue 14 §2c)."""
    evs = r.sample(EVENTS, r.randint(2, 4))
    name = r.choice(("SyncEventRelay", "LegacyNotifierShim", "ThreadedEventForwarder"))
    block = [Mark(f"class {name}:", "delegating", "sync_forwarding", (), f"class {name}"),
             '    """Called from worker threads; the SSOT emitter schedules the delivery."""', "",
             "    def __init__(self, emitter: Any) -> None:", "        self._emitter = emitter", ""]
    forms = ["        return self._emitter.notify_{ev}(run_id, agent_name, data)",
             "        self._emitter.notify_{ev}(run_id, agent_name, data)"]
    for ev in evs:
        block += [f"    def notify_{ev}(self, run_id: str, agent_name: str, data: Any = None) -> None:",
                  r.choice(forms).format(ev=ev), ""]
    return Placement(blocks=[block + [""]], binds={name})
