"""SSOT002 legacy-construction: a call that creates a legacy instance, through any binding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ssot_lsp.config.model import ContextArg, Group
from ssot_lsp.core.classify import COMPAT, LEGACY, Role
from ssot_lsp.core.facts import CallFact
from ssot_lsp.core.index import Ref
from ssot_lsp.core.payload import Payload
from ssot_lsp.core.rules.context import RuleContext, replacement_hint, replacement_of, short
from ssot_lsp.core.rules.example_workspace import FACTORY_MODULE, LEGACY_ENGINE_MODULE
from ssot_lsp.core.rules.rule import Bucket, Example, FixSpec, Rule, Safety
from ssot_lsp.core.signatures import ContextFromSignature
from ssot_lsp.core.text import Span


@dataclass(frozen=True)
class ConstructionPayload(Payload):
    """Where the call is and what the factory call replacing it needs."""

    KIND: ClassVar[str] = "construction"
    legacy: str  # what is called: ``module:Class`` or ``module:Class.method``
    canonical: str
    compat: bool  # a compatibility constructor of the canonical class
    callee: str  # the callee's dotted text
    context: ContextArg | None  # where the user context is passed (configured), None when unknown
    async_scope: bool
    async_with: bool
    awaited: bool
    fixable: bool
    manual: str  # what to do by hand when the fix cannot be made ('' when it can)
    call_range: Span
    replacement: str = ""  # what replaces the legacy class: ``module:Name`` (the canonical by default) or "none"
    positional: tuple[str, ...] = ()  # the constructor's positional parameter names, when the index knows them

    def manual_text(self) -> str:
        return self.manual

    def migrates_to(self) -> str | None:
        return self.replacement or None


def check(ctx: RuleContext) -> None:
    if ctx.in_legacy_module:
        return
    for call in ctx.facts.calls:
        found = _legacy_call(ctx, call)
        if found is not None:
            ref, role = found
            _report(ctx, call, ref, role)


def _legacy_call(ctx: RuleContext, call: CallFact) -> tuple[Ref, Role] | None:
    """The reference and role of a call that constructs a legacy instance (None for any other call)."""
    classifier = ctx.classifier
    ref = ctx.index.resolve_expr(ctx.facts, call.scope, call.callee)
    if ref is None or ref.is_module:
        return None
    role = classifier.role(ref if not ref.attr else Ref(ref.module, ref.name, None, ref.kind))
    if ref.attr:
        full_role = classifier.role(ref)
        if full_role is not None and full_role.role == COMPAT:
            if classifier.compat_missing(ref):
                return None  # removed: the call fails (SSOT011)
            role = full_role
        elif role is None or role.role != LEGACY or not classifier.is_constructor_attr(ref):
            return None
    elif role is None or role.role != LEGACY or ref.kind not in ("class", "external"):
        return None
    if ref.kind == "external" and ref.symbol not in role.group.legacy_symbols:
        return None
    if role.discovered is not None and ref.module == ctx.facts.module:
        return None  # the discovered class's own module builds it: its definition is the finding (SSOT004)
    return ref, role


def _report(ctx: RuleContext, call: CallFact, ref: Ref, role: Role) -> None:
    group = role.group
    if ref.kind == "external":
        context = group.context_args.get(ref.qualname) or (None if ref.attr else group.context_args.get(ref.symbol))
        found = ContextFromSignature(context, "" if context else f"the definition of {short(ref.symbol)} is "
                                     f"not in the workspace, and no context-args entry names {ref.qualname}")
    else:
        found = ctx.constructor_context(group, ref.module, ref.name or "", ref.attr)
    context = found.arg
    what = f"{short(ref.symbol)}.{ref.attr}" if ref.attr else short(ref.symbol)
    replacement = group.canonical if role.role == COMPAT else replacement_of(ctx, group, ref.symbol)
    payload = ConstructionPayload(
        legacy=ref.qualname, canonical=group.canonical, compat=role.role == COMPAT, callee=call.callee,
        context=context, async_scope=call.async_scope, async_with=call.async_with, awaited=call.awaited,
        fixable=group.factory is not None and context is not None and call.async_scope
        and replacement == group.canonical,
        manual=_manual(group, ref, found, call.async_scope, replacement), call_range=call.call_span,
        replacement=replacement, positional=found.positional)
    hint = replacement_hint(group, replacement)
    if role.discovered is not None:
        message = RULE.message("discovered", what=what, canonical=group.canonical_name,
                               reason=role.discovered.reason, hint=hint)
    elif role.role == COMPAT:
        message = RULE.message("compat", what=what, hint=hint)
    else:
        message = RULE.message("construction", what=what, hint=hint)
    ctx.report(RULE, call.span, message, payload, group=group, stmt_line=call.stmt_line, symbol=ref.qualname)


def _manual(group: Group, ref: Ref, found: ContextFromSignature, async_scope: bool, replacement: str) -> str:
    if replacement != group.canonical:
        return replacement_hint(group, replacement)
    if group.factory is None:
        return replacement_hint(group, replacement)
    create = group.factory.create.replace("{context}", "user_context")
    if found.arg is None:
        return RULE.message("no-context", reason=found.reason, create=create)
    if not async_scope:
        return RULE.message("not-async", create=create)
    return ""


RULE = Rule(code="SSOT002", name="legacy-construction", default_severity="error", check=check,
            payload=ConstructionPayload, summary="Construction of a legacy class",
            finds="""\
A call that creates an instance of a legacy class, through any binding: the name itself, an import
alias, a module attribute (`ee.ExecutionEngine(...)`), a module-level alias or an alias chain across
modules, a star-imported name, `async with Legacy(...)`, a classmethod constructor
(`ExecutionEngine.create_for_request(...)`), and deprecated compatibility constructors of the
canonical class listed in `compat-constructors` (`UserExecutionEngine.create_from_legacy(...)`).

Not constructions: `isinstance(x, ExecutionEngine)`, annotations, `Mock(spec=ExecutionEngine)`,
mentions in strings, docstrings and comments, ordinary (non-classmethod) methods called on the class,
and calls inside legacy modules.

**Local names.** Only bindings that resolve to a legacy symbol count. A parameter or a local variable
that happens to be called `ExecutionEngine` is not reported, and it also hides a module-level import
of the same name inside that function (the call creates whatever was passed in).

**Fallbacks.** A name one branch of a module-level `try`/`except` (or `if`/`else`) imports and another
binds to a fallback (`except ImportError: ExecutionEngine = None`, a stub class) still refers to what
is imported: `ExecutionEngine(...)` further down is reported. When the `try` body and a handler both
import the name, the `try` body's import counts: it is what runs whenever that import works.

**Discovered duplicates.** With `follow-discovered` (the default), constructions of a class discovery
finds to duplicate the group ([SSOT004](SSOT004.md)) are reported like those of a listed legacy class
(not inside the class's own module); test doubles and interfaces are never followed.

**Replacements.** The message names the group's replacement for the class (`replacements`; the
canonical class through its factory by default). When the entry is `"none"` the message says that
nothing replaces it automatically and no fix is offered. A compatibility constructor the canonical
class no longer defines (`create_from_legacy` after its removal) is [SSOT011](SSOT011.md), not this rule.""",
            why="Each construction of a legacy class creates state outside the canonical implementation (for "
                "engines: shared instead of per-user), so behaviour depends on which path a request took.",
            messages={
                "construction": "construction of legacy {what}; {hint}",
                "compat": "call of the deprecated compatibility constructor {what}; {hint}",
                "discovered": "construction of {what}, a duplicate of {canonical} ({reason}); {hint}",
                "no-context": "where the user context is passed cannot be read: {reason}; "
                              "pass the user context to {create} by hand, or set context-args",
                "not-async": "not inside an async def: move the construction into async code and use {create}",
            },
            config_keys="`legacy-symbols`, `legacy-modules`, `compat-constructors`, `context-args`, "
                        "`follow-discovered`, `replacements`, "
                        "`factory` (`create`, `scope`, `async`, `supplied-args`, `imports`)",
            fix=FixSpec(
                safety=Safety.UNSAFE,
                entry="ssot_lsp.fixes.construction:CONSTRUCTION_FIX",
                summary="""\
The fix replaces the call with `await (await get_execution_engine_factory()).create_for_user(ctx)`
(the group's `factory.create` template) and `async with` with `factory.scope`; arguments listed in
`factory.supplied-args` (registry, bridge, …) are dropped because the factory supplies them. A new
per-user engine from the factory replaces a shared one, which changes behaviour that relied on shared
state — review every such site. It is offered only inside an `async def` and when it is known where
the user context is passed: `context-args` when it names the class (or its classmethod constructor),
else the constructor's signature in the workspace — the parameter annotated with a class in
`context-types` (also inside `Optional[...]`, `X | None` or a string annotation), or else the one named
in `context-params`. An argument filling a parameter in `supplied-args` is dropped. When the
signature is ambiguous (two candidate parameters, `*args`/`**kwargs` that may carry the context) or
not in the workspace, there is no fix and the finding says why and what to do by hand. A context
argument that is `None` is not a user context: no fix ("None is not a user context"). The call's
comments move above the statement, and the import the call went through is removed in the same edit
when that was its last use."""),
            by_hand="Create the canonical class through the group's factory, passing the user context.",
            bucket=Bucket("construction sites", "parts", part="legacy"),
            migration=("factory",),
            invalid=(
                Example(f"from {LEGACY_ENGINE_MODULE} import ExecutionEngine\n\n\n"
                        "async def build(registry, bridge, ctx):\n"
                        "    return ExecutionEngine(registry, bridge, user_context=ctx)\n",
                        fixed=f"from {FACTORY_MODULE} import get_execution_engine_factory\n\n\n"
                              "async def build(registry, bridge, ctx):\n"
                              "    return await (await get_execution_engine_factory()).create_for_user(ctx)\n"),
                Example(f"from {LEGACY_ENGINE_MODULE} import ExecutionEngine\n\n\n"
                        "def build(registry, bridge, ctx):\n"
                        "    return ExecutionEngine(registry, bridge, user_context=ctx)\n"),
                Example(f"import {LEGACY_ENGINE_MODULE} as ee\n\n\n"
                        "async def build(registry, bridge, ctx):\n"
                        "    return ee.ExecutionEngine.create_for_request(registry, bridge, ctx)\n"),
            ),
            valid=(
                Example(f"from {LEGACY_ENGINE_MODULE} import ExecutionEngine\n\n\n"
                        "def is_legacy(engine) -> bool:\n    return isinstance(engine, ExecutionEngine)\n"),
                Example("def build(ExecutionEngine, ctx):\n    return ExecutionEngine(ctx)\n"),
            ),
)
