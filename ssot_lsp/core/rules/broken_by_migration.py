"""SSOT011 broken-by-migration: code the half-done migration broke (it fails when it runs)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ssot_lsp.config.model import Group
from ssot_lsp.core.payload import Payload
from ssot_lsp.core.rules.breakage import (
    MISSING_ATTRIBUTE,
    MISSING_COMPAT,
    MISSING_MODULE,
    UNBOUND,
    Broken,
    broken_compat_call,
    broken_import,
    broken_string,
    unbound_name,
)
from ssot_lsp.core.rules.context import RuleContext, canonical_hint, short
from ssot_lsp.core.rules.example_workspace import CANONICAL_ENGINE_MODULE
from ssot_lsp.core.rules.rule import Bucket, Example, Rule
from ssot_lsp.core.text import Span


@dataclass(frozen=True, slots=True)
class BrokenPayload(Payload):
    """What is gone and what was probably meant (for the hover, and for a fix to come)."""

    KIND: ClassVar[str] = "broken"
    situation: str  # 'unbound' | 'missing-module' | 'missing-attribute' | 'missing-compat'
    name: str  # the unbound name, the missing module, or the missing attribute / method
    owner: str  # where an attribute was looked for ('module' or 'module:Class'), else ''
    meant: str  # the binding or target probably meant ('' when the workspace does not say)
    canonical: str

    def manual_text(self) -> str:
        return f"use {self.meant}" if self.meant else ""


def check(ctx: RuleContext) -> None:
    facts = ctx.facts
    for use in facts.unbound_refs:
        broken = unbound_name(ctx, use)
        if broken is not None:
            _report(ctx, broken, use.span, use.stmt_line, "call" if use.called else "use")
    for imp in facts.imports:
        broken = broken_import(ctx, imp)
        if broken is not None:
            _report(ctx, broken, imp.span, imp.stmt_line, "import")
    for sref in facts.string_refs:
        broken = broken_string(ctx, sref)
        if broken is not None:
            where = f"patch.object(…, {sref.value!r})" if sref.kind == "patch.object" else f"{sref.kind}({sref.value!r})"
            _report(ctx, broken, sref.span, sref.stmt_line, where)
    for call in facts.calls:
        found = broken_compat_call(ctx, call)
        if found is not None:
            _report(ctx, found[0], call.span, call.stmt_line, "call")


def _report(ctx: RuleContext, broken: Broken, span: Span, stmt_line: int, where: str) -> None:
    group = broken.group
    message = _message(broken, group, where)
    payload = BrokenPayload(situation=broken.situation, name=broken.name, owner=broken.owner, meant=broken.meant,
                            canonical=group.canonical)
    symbol = f"{broken.owner}.{broken.name}" if broken.owner else broken.name
    ctx.report(RULE, span, message, payload, group=group, stmt_line=stmt_line, symbol=symbol)


def _message(broken: Broken, group: Group, where: str) -> str:
    name, meant = broken.name, broken.meant
    if broken.situation == UNBOUND:
        failure = RULE.message("unbound-" + ("call" if where == "call" else "use"), name=name)
        if meant and name == group.canonical_name:
            advice = RULE.message("meant-alias", meant=meant, name=name)
        elif meant:
            advice = RULE.message("meant-canonical", meant=meant, hint=canonical_hint(group))
        elif name == group.canonical_name:
            advice = RULE.message("import", name=name, module=group.canonical_module)
        else:
            advice = canonical_hint(group)
        return f"{failure}; {advice}"
    if broken.situation == MISSING_MODULE:
        failure = RULE.message("missing-module", where=where, module=name)
    elif broken.situation == MISSING_ATTRIBUTE:
        failure = RULE.message("missing-attribute", where=where, owner=short(broken.owner) if ":" in broken.owner
                               else broken.owner, name=name)
    else:
        return RULE.message("missing-compat", cls=short(broken.owner), method=name, hint=canonical_hint(group))
    return f"{failure}; " + (RULE.message("meant-target", meant=meant) if meant else canonical_hint(group))


RULE = Rule(code="SSOT011", name="broken-by-migration", default_severity="error", check=check,
            payload=BrokenPayload, summary="Reference the migration broke",
            finds="""\
Code that fails when it runs because the migration moved or removed what it refers to, each finding
naming what was probably meant:

- **A name no scope binds** that is a group's canonical or legacy class name: the import was renamed
  but not the calls (`from … import UserExecutionEngine as ExecutionEngine`, then
  `UserExecutionEngine(...)`), or the import was migrated and a call of the legacy name stayed. Every
  binding counts — parameters, assignments, loop, `with`, `except` and comprehension targets,
  `global`/`nonlocal`, class and module bindings, imports in any branch; a star import from a module
  the workspace cannot read makes the name unknown (not reported). Annotations that are never
  evaluated (`from __future__ import annotations`, string annotations, annotations of local
  variables) are not uses, nor is anything under `if TYPE_CHECKING:` (it never runs).
- **A patch or import of something gone**: `mock.patch("…")`, `patch.object(module, "…")`,
  `importlib.import_module("…")` and `import` statements naming a group module the workspace no
  longer has (tests patching a deleted legacy module), an attribute a group module no longer binds,
  a group class name a module no longer binds (`patch("app.routes.chat.ExecutionEngine")` after
  `chat.py` was migrated), or an attribute a group class no longer defines. `patch(..., create=True)`
  is not reported.
- **A removed compatibility constructor**: a call of a `compat-constructors` method the canonical
  class no longer defines (`UserExecutionEngine.create_from_legacy(...)` after its removal).

Reported only when the workspace holds the group's canonical module and the answer is certain: a
module with a module-level `__getattr__`, a star import from outside the workspace, or a class with
bases outside the group modules make it unknown. Such sites are SSOT011 only: a patch of a deleted
legacy module is not also SSOT007, a removed compatibility constructor not also SSOT002.""",
            why="The migration moved or removed what this code refers to: it raises NameError, ImportError or "
                "AttributeError when it runs (a test that patches a deleted module fails before it starts).",
            messages={
                "unbound-call": "{name} is not bound here: calling it raises NameError",
                "unbound-use": "{name} is not bound here: this use raises NameError",
                "meant-alias": "the file imports it as {meant} (probably meant): use {meant}, or import {name}",
                "meant-canonical": "the file imports the canonical {meant} (probably meant); {hint}",
                "import": "import it: from {module} import {name}",
                "missing-module": "{where} names {module}, which the workspace no longer has",
                "missing-attribute": "{where} names {name}, which {owner} no longer defines",
                "meant-target": "probably meant: {meant}",
                "missing-compat": "{cls}.{method} no longer exists (the compatibility constructor was removed): "
                                  "the call raises AttributeError; {hint}",
            },
            config_keys="`canonical`, `legacy-symbols`, `legacy-modules`, `factory-modules`, `compat-constructors` "
                        "(the names and modules it watches)",
            by_hand="""\
Use the binding the finding names (the alias the file already imports, or the canonical class created
through its factory), point patches at where the code lives now, and replace calls of removed
compatibility constructors with the factory. There is no automatic fix: which object was meant is a
decision about the program's meaning.""",
            bucket=Bucket("broken by the migration", "list"),
            migration=("factory", "import"),
            invalid=(
                Example(f"from {CANONICAL_ENGINE_MODULE} import UserExecutionEngine as ExecutionEngine\n\n\n"
                        "def build(context, agent_factory, emitter):\n"
                        "    return UserExecutionEngine(context, agent_factory, emitter)\n"),
                Example("from unittest.mock import patch\n\n\n"
                        '@patch("netra_backend.app.agents.supervisor.mcp_execution_engine.MCPEnhancedExecutionEngine")\n'
                        "def test_run(engine_cls):\n    assert engine_cls\n",
                        path="tests/test_example.py"),
            ),
            valid=(
                Example(f"from {CANONICAL_ENGINE_MODULE} import UserExecutionEngine as ExecutionEngine\n\n\n"
                        "def build(context, agent_factory, emitter):\n"
                        "    return ExecutionEngine(context, agent_factory, emitter)\n"),
                Example(f"from __future__ import annotations\n\n"
                        f"from {CANONICAL_ENGINE_MODULE} import UserExecutionEngine as ExecutionEngine\n\n\n"
                        "def describe(engine: UserExecutionEngine) -> str:\n    return repr(engine)\n"),
            ),
)
