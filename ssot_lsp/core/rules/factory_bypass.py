"""SSOT003 factory-bypass: the canonical class constructed directly outside its factory modules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ssot_lsp.config.model import ContextArg, Group
from ssot_lsp.core.classify import CANONICAL
from ssot_lsp.core.payload import Payload
from ssot_lsp.core.rules.context import RuleContext
from ssot_lsp.core.rules.example_workspace import CANONICAL_ENGINE_MODULE, FACTORY_MODULE
from ssot_lsp.core.rules.rule import Bucket, Example, FixSpec, Rule, Safety
from ssot_lsp.core.signatures import ContextFromSignature
from ssot_lsp.core.text import Span


@dataclass(frozen=True)
class BypassPayload(Payload):
    """Where the direct construction is and what the factory call replacing it needs (as SSOT002's)."""

    KIND: ClassVar[str] = "bypass"
    canonical: str
    async_scope: bool
    context: ContextArg | None = None  # where the user context is passed (context-args, else the signature)
    async_with: bool = False
    awaited: bool = False
    fixable: bool = False
    manual: str = ""  # why the fix cannot be made ('' when it can)
    call_range: Span | None = None
    positional: tuple[str, ...] = ()  # the constructor's positional parameter names

    def manual_text(self) -> str:
        return self.manual


def check(ctx: RuleContext) -> None:
    if ctx.in_legacy_module:
        return
    facts, index, classifier = ctx.facts, ctx.index, ctx.classifier
    for call in facts.calls:
        ref = index.resolve_expr(facts, call.scope, call.callee)
        if ref is None or ref.is_module or ref.attr:
            continue
        role = classifier.role(ref)
        if role is None or role.role != CANONICAL:
            continue
        group = role.group
        if facts.module in group.factory_modules or facts.module == group.canonical_module or not group.factory_modules:
            continue
        how = group.factory.create.replace("{context}", "context") if group.factory else group.factory_modules[0]
        found = ctx.constructor_context(group, ref.module, ref.name or "")
        manual = _manual(group, found, call.async_scope, call.awaited, how)
        payload = BypassPayload(canonical=group.canonical, async_scope=call.async_scope, context=found.arg,
                                async_with=call.async_with, awaited=call.awaited, fixable=not manual,
                                manual=manual, call_range=call.call_span, positional=found.positional)
        ctx.report(RULE, call.span, RULE.message("bypass", name=group.canonical_name, how=how), payload,
                   group=group, stmt_line=call.stmt_line, symbol=ref.qualname)


def _manual(group: Group, found: ContextFromSignature, async_scope: bool, awaited: bool, how: str) -> str:
    if group.factory is None:
        return f"no factory is configured for the group: create it through {how} by hand"
    if found.arg is None:
        return RULE.message("no-context", reason=found.reason, how=how)
    if not async_scope:
        return RULE.message("not-async", how=how)
    if awaited:
        return f"the construction is awaited; rewrite it by hand as {how}"
    return ""


RULE = Rule(code="SSOT003", name="factory-bypass", default_severity="warning", check=check,
            payload=BypassPayload, summary="Canonical class constructed outside its factory",
            finds="""\
The canonical class constructed directly (`UserExecutionEngine(context, factory, emitter)`) outside the
group's `factory-modules` and outside the canonical module itself, through any binding — also the
canonical class imported under a legacy name (`UserExecutionEngine as ExecutionEngine`, then
`ExecutionEngine(...)`), and a name whose import has a stub fallback (`try: from … import
UserExecutionEngine` / `except ImportError: class UserExecutionEngine: ...`: the stub is what runs
only when the import fails). Subclass constructions and calls through the factory are not reported; a
legacy class imported under the canonical name is [SSOT002](SSOT002.md), not a bypass; a call of the
canonical name where no scope binds it is [SSOT011](SSOT011.md). Without `factory-modules` the rule is
off for the group.""",
            why="The canonical class is meant to be created only through its factory, which supplies the per-user "
                "context and wiring; constructing it directly bypasses that isolation.",
            messages={"bypass": "{name} constructed directly; create it through {how}",
                      "no-context": "where the user context is passed cannot be read: {reason}; "
                                    "create it through {how} by hand, or set context-args",
                      "not-async": "not inside an async def: move the construction into async code and "
                                   "create it through {how}"},
            config_keys="`canonical`, `factory-modules`, `factory` (`create`, `supplied-args`, `imports`), "
                        "`context-args`, `context-types`, `context-params`",
            fix=FixSpec(
                safety=Safety.UNSAFE,
                entry="ssot_lsp.fixes.construction:BYPASS_FIX",
                summary="""\
Inside an `async def`, the fix replaces the call with the group's `factory.create` template
(`await (await get_execution_engine_factory()).create_for_user(context)`) and `async with` with
`factory.scope`. The user context is the argument passed for the canonical constructor's context
parameter: `context-args` when it names the class, else the `__init__` signature in the workspace
(the parameter annotated with a class in `context-types`, also inside `Optional[...]`, `X | None` or a
string annotation, or else named in `context-params`). Every other argument is dropped only when the
parameter it fills (or its keyword) is in `factory.supplied-args` and the argument has no side
effects. The factory creates a new per-user engine and wires its own agent factory and emitter,
which changes behaviour that relied on the objects passed here — review every site.
No fix (the finding says why) outside `async def`, when the signature is ambiguous (two candidate
parameters, `*args`/`**kwargs` that may carry the context) or when an argument is not supplied by the
factory."""),
            by_hand="""\
Create the instance through the factory (`factory.create` of the group, e.g.
`await (await get_execution_engine_factory()).create_for_user(context)`). The factory wires the
per-user agent factory and emitter; constructing the engine by hand skips that wiring and the
factory's bookkeeping (limits, cleanup), which is how user context ends up shared.""",
            bucket=Bucket("construction sites", "parts", part="factory bypass"),
            migration=("factory",),
            invalid=(
                Example(f"from {CANONICAL_ENGINE_MODULE} import UserExecutionEngine\n\n\n"
                        "def build(context, agent_factory, emitter):\n"
                        "    return UserExecutionEngine(context, agent_factory, emitter)\n"),
            ),
            valid=(
                Example(f"from {FACTORY_MODULE} import get_execution_engine_factory\n\n\n"
                        "async def build(context):\n"
                        "    return await (await get_execution_engine_factory()).create_for_user(context)\n"),
            ),
)
