"""SSOT004 duplicate-definition: a class discovery assigns to a group, outside the canonical module."""

from __future__ import annotations

from ssot_lsp.config.model import REPLACEMENT_NONE
from ssot_lsp.core.classify import Discovery, Duplicate
from ssot_lsp.core.facts import ClassFact
from ssot_lsp.core.rules.context import RuleContext, short
from ssot_lsp.core.rules.definitions import TEST_DOUBLE, DefinitionPayload, report_definitions
from ssot_lsp.core.rules.example_workspace import CANONICAL_ENGINE_MODULE
from ssot_lsp.core.rules.rule import Bucket, Example, Rule


def check(ctx: RuleContext) -> None:
    def message(cls: ClassFact, discovery: Discovery, payload: DefinitionPayload) -> str:
        group = discovery.group
        if payload.replacement == REPLACEMENT_NONE:
            return RULE.message("no-replacement", name=cls.name, group=group.name, reason=discovery.reason)
        module, _, name = (payload.replacement or group.canonical).partition(":")
        return RULE.message("duplicate", name=cls.name, group=group.name, reason=discovery.reason,
                            canonical=short(name), module=module)

    report_definitions(ctx, RULE, Duplicate.DEFINITION, message)


RULE = Rule(code="SSOT004", name="duplicate-definition", default_severity="warning", check=check,
            payload=DefinitionPayload, summary="Duplicate definition of a canonical concept",
            finds="""\
A class definition that belongs to a group but is not the canonical class ("duplicate engine
definition"): classes listed in `legacy-symbols`, classes whose name matches `class-pattern`
(`ExecutionEngine$`, so `ExecutionEngineFactory` and `ExecutionEngineRegistry` are not engines), and
subclasses of legacy classes — also transitive ones and through aliases or module attributes — when
`subclasses-of-legacy` is true. A class matching several reasons gives one finding. Subclasses of the
canonical class are not reported unless `canonical-subclasses-are-duplicates = true`. Names in
`allowed` are never reported. Definitions inside legacy modules are reported (they are what has to go).

**Not duplicates.** *Interfaces* — `typing.Protocol` classes, and classes all of whose methods (those
matching `method-pattern` when the group has one, else all but the dunder methods; at least one) are
`@abstractmethod` or stubs (a docstring, `...`, `pass` or `raise NotImplementedError`) — declare the
concept and implement nothing. *Fallback stubs* — `class UserExecutionEngine: ...` in the `except
ImportError` branch of a `try` that imports that name — run only when the import fails. A class listed
in `legacy-symbols` is reported even when it only declares.

**Test doubles** — classes whose name starts with `Mock`, `Fake`, `Stub`, `Dummy` or `Spy` (followed by
a capital, a digit or `_`), subclasses of `Mock`/`MagicMock`/`AsyncMock`/`NonCallableMock` (also
through a subclass), and classes defined in `test-paths` files — are reported at most as
**information**, whatever the configured severity, with a message saying it is a test double.

With `follow-discovered`, imports and constructions of the classes this rule finds are reported by
[SSOT001](SSOT001.md) and [SSOT002](SSOT002.md); test doubles and interfaces are never followed.""",
            why="A second class implementing the same concept splits the source of truth: fixes land in one copy "
                "and not the other.",
            messages={"duplicate": "{name} duplicates the {group} SSOT ({reason}); "
                                    "consolidate into {canonical} ({module})",
                      "no-replacement": "{name} duplicates the {group} SSOT ({reason}); nothing replaces it "
                                        'automatically (replacements: "none"): consolidate it by hand',
                      "test-double": TEST_DOUBLE},
            config_keys="`class-pattern`, `legacy-symbols`, `subclasses-of-legacy`, "
                        "`canonical-subclasses-are-duplicates`, `allowed`, `needles`, `test-paths`, `follow-discovered`, "
                        "`replacements`",
            by_hand="""\
Consolidating a class means moving its behaviour into the canonical class (or a subclass of it) and
deleting it. The finding's related information points to the canonical definition.""",
            bucket=Bucket("duplicate definitions", "list"),
            migration=("import",),
            invalid=(
                Example("class LocalExecutionEngine:\n    pass\n"),
                Example("from netra_backend.app.agents.supervisor.request_scoped_execution_engine import (\n"
                        "    RequestScopedExecutionEngine,\n)\n\n\n"
                        "class BatchWorker(RequestScopedExecutionEngine):\n    pass\n"),
            ),
            valid=(
                Example(f"from {CANONICAL_ENGINE_MODULE} import UserExecutionEngine\n\n\n"
                        "class BatchWorker(UserExecutionEngine):\n    pass\n"),
                Example("class ExecutionEngineRegistry:\n    pass\n"),
            ),
)
