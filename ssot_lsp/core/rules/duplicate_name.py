"""SSOT005 duplicate-name: another class with the canonical class's name, or one extending it."""

from __future__ import annotations

from ssot_lsp.core.classify import Duplicate
from ssot_lsp.core.rules.context import RuleContext
from ssot_lsp.core.rules.definitions import TEST_DOUBLE, DefinitionPayload, discoveries, payload_of, test_double_message
from ssot_lsp.core.rules.rule import Bucket, Example, Rule
from ssot_lsp.core.violations import Related


def check(ctx: RuleContext) -> None:
    for cls, discovery in discoveries(ctx, Duplicate.NAME):
        group = discovery.group
        related = []
        for module, other in ctx.classifier.definitions_of(group):
            if module == ctx.facts.module and other.span == cls.span:
                continue
            path = ctx.index.known_modules.get(module, module)
            role = "canonical" if f"{module}:{other.name}" == group.canonical else "other"
            related.append(Related(path, other.span, f"{role} definition of {other.name} in {module}"))
        message = test_double_message(RULE, cls, discovery) if discovery.test_double else RULE.message(
            "name", name=cls.name, reason=discovery.reason, canonical=group.canonical_name,
            module=group.canonical_module)
        ctx.report(RULE, cls.span, message, payload_of(ctx, cls, discovery), group=group, stmt_line=cls.stmt_line,
                   symbol=f"{ctx.facts.module}:{cls.name}", related=tuple(related))


RULE = Rule(code="SSOT005", name="duplicate-name", default_severity="error", check=check,
            payload=DefinitionPayload, summary="Second definition of the canonical class's name",
            finds="""\
For groups with `duplicate-name = true`: a second class with the canonical class's name
(`SupervisorAgent` in `supervisor_consolidated.py`), or a class extending a non-canonical one of that
name (`ChatOrchestrator(SupervisorAgent)` where `SupervisorAgent` comes from the duplicate). Such
classes are SSOT005 only, not also SSOT004. Classes extending the canonical class
(`WorkflowOrchestrator`) are fine. The related information lists every other definition of the name
(the canonical one marked as such). A stub in the `except ImportError` branch of a `try` importing the
name is no second definition.

Test doubles (`class SupervisorAgent(MagicMock)` in a test, a `Fake…`/`Mock…`/`Stub…`/`Dummy…`/`Spy…`
class, any class in a `test-paths` file) are reported at most as **information**, with a message
saying it is a test double.""",
            why="Two classes with the canonical name make imports ambiguous; which one a module gets depends on "
                "where it imports from.",
            messages={"name": "{name}: {reason}; the SSOT is {canonical} in {module}",
                      "test-double": TEST_DOUBLE},
            config_keys="`duplicate-name`, `canonical`, `legacy-modules`, `subclasses-of-legacy`, `test-paths`",
            by_hand="""\
Two classes with one name make every `import SupervisorAgent` a coin toss: which one a module gets
depends on its import path, so two requests can run through different supervisors. Re-point a
subclass's import to the canonical class by hand (the two classes may differ); deleting the duplicate
is the goal.""",
            bucket=Bucket("duplicate names", "list"),
            migration=("import",),
            invalid=(
                Example("from netra_backend.app.agents.supervisor_consolidated import SupervisorAgent\n\n\n"
                        "class ChatOrchestrator(SupervisorAgent):\n    pass\n"),
                Example("class SupervisorAgent:\n    pass\n"),
            ),
            valid=(
                Example("from netra_backend.app.agents.supervisor_ssot import SupervisorAgent\n\n\n"
                        "class ChatOrchestrator(SupervisorAgent):\n    pass\n"),
            ),
)
