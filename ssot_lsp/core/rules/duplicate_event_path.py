"""SSOT006 duplicate-event-path: a class other than the canonical one defining the group's methods."""

from __future__ import annotations

from ssot_lsp.core.classify import Duplicate
from ssot_lsp.core.rules.context import RuleContext
from ssot_lsp.core.rules.definitions import TEST_DOUBLE, DefinitionPayload, report_definitions
from ssot_lsp.core.rules.rule import Bucket, Example, Rule


def check(ctx: RuleContext) -> None:
    report_definitions(ctx, RULE, Duplicate.EVENT_PATH, lambda cls, discovery, _: RULE.message(
        "event-path", name=cls.name, methods=discovery.reason, canonical=discovery.group.canonical_name,
        module=discovery.group.canonical_module))


RULE = Rule(code="SSOT006", name="duplicate-event-path", default_severity="warning", check=check,
            payload=DefinitionPayload, summary="Duplicate event delivery path",
            finds="""\
A class other than the canonical one that defines methods matching the group's `method-pattern`
(`^notify_agent_` in the default profile): a second WebSocket event delivery path such as
`AgentWebSocketBridge.notify_agent_started`. One finding per class, listing its methods. The canonical
emitter and its subclasses are not reported; module-level functions and calls of such methods are not
reported.

Only methods that deliver events themselves count, and only they are listed:

- **Interfaces** deliver nothing: `typing.Protocol` classes, and methods that are `@abstractmethod` or
  stubs (body only a docstring, `...`, `pass` or `raise NotImplementedError`).
- **Delegation** delivers nothing: a method whose body (after a docstring) is only `x.same(...)`,
  `await x.same(...)`, `return x.same(...)`, `return await x.same(...)` or `super().same(...)`, where
  `same` is the method's own name — a thin wrapper forwarding to the canonical emitter. Forwarding to
  another method name, or doing anything else as well, is delivery.

A class whose event methods all declare or delegate is not reported; a class mixing them is reported
with its own delivering methods (`ChatEventForwarder delivers events itself (notify_agent_completed)`).
Test doubles (`MockWebSocketEmitter`, a recording class in a `test-paths` file) are reported at most as
**information**, with a message saying it is a test double.""",
            why="Delivering events outside the canonical emitter duplicates the event path, so events can be sent "
                "twice or skip the canonical ordering and filtering.",
            messages={"event-path": "{name} delivers events itself ({methods}); "
                                     "route them through {canonical} ({module})",
                      "test-double": TEST_DOUBLE},
            config_keys="`method-pattern`, `canonical`, group `severity` (the default profile sets SSOT006 to "
                        "information), `needles`, `test-paths`",
            by_hand="""\
Delegate to the canonical emitter instead of delivering events yourself. Events sent through two paths
arrive twice, out of order, or not at all when one path is not connected for that user; the seed
audit calls this "agents execute but responses never reach users".""",
            bucket=Bucket("duplicate event paths", "list"),
            migration=("import",),
            invalid=(
                Example("class AgentWebSocketBridge:\n"
                        "    async def notify_agent_started(self, run):\n        return run\n\n"
                        "    async def notify_agent_completed(self, run):\n        return run\n"),
            ),
            valid=(
                Example("from netra_backend.app.websocket_core.unified_emitter import UnifiedWebSocketEmitter\n\n\n"
                        "class AgentWebSocketBridge:\n"
                        "    def __init__(self, emitter: UnifiedWebSocketEmitter):\n        self.emitter = emitter\n"),
            ),
)
