"""Issue 15 §3: when `context-args` is silent, the construction fixes read the user-context parameter
from the constructor's signature in the index — and refuse, with the reason, when it is ambiguous."""

from __future__ import annotations

import itertools

import pytest

from ssot_lsp.config.model import Group
from ssot_lsp.core.signatures import ParamFact, annotation_names, context_from_signature
from ssot_lsp.fixes.api import fixes_for

UE = "netra_backend.app.agents.supervisor.user_execution_engine"
CASES = "netra_backend.app.cases"
COUNTER = itertools.count()


def group(**kw) -> Group:
    return Group(name="g", canonical="m:C", context_types=("UserExecutionContext",),
                 context_params=("user_context", "context"), **kw)


def p(name: str, annotation: str = "", kind: str = "pos") -> ParamFact:
    return ParamFact(name, kind, annotation)


# -- reading annotations ------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["UserExecutionContext", "Optional[UserExecutionContext]",
                                  "UserExecutionContext | None", "None | UserExecutionContext",
                                  "'UserExecutionContext'", "Optional['UserExecutionContext']",
                                  "typing.Optional[ctx.UserExecutionContext]",
                                  "Union[UserExecutionContext, None]",
                                  "Annotated[UserExecutionContext, 'x']"])
def test_annotation_allows_the_context_class(text):
    assert "UserExecutionContext" in annotation_names(text)


@pytest.mark.parametrize("text", ["list[UserExecutionContext]", "Dict[str, UserExecutionContext]",
                                  "Callable[[UserExecutionContext], None]", "not valid python ("])
def test_annotation_that_is_not_a_context(text):
    assert "UserExecutionContext" not in annotation_names(text)


# -- choosing the parameter ---------------------------------------------------------------------

def test_annotated_parameter_wins_over_a_parameter_named_context():
    found = context_from_signature(group(), (p("context"), p("ctx", "Optional[UserExecutionContext]")), "E")
    assert found.arg is not None and (found.arg.position, found.arg.keyword) == (1, "ctx")


def test_named_parameter_when_none_is_annotated():
    found = context_from_signature(group(), (p("registry"), p("bridge"), p("user_context")), "E")
    assert found.arg is not None and (found.arg.position, found.arg.keyword) == (2, "user_context")


def test_keyword_only_parameter_has_no_position():
    found = context_from_signature(group(), (p("args", kind="*"), p("user_context", kind="kwonly")), "E")
    assert found.arg is not None and (found.arg.position, found.arg.keyword) == (None, "user_context")


def test_positional_only_parameter_has_no_keyword():
    found = context_from_signature(group(), (p("user_context", kind="posonly"),), "E")
    assert found.arg is not None and (found.arg.position, found.arg.keyword) == (0, None)


def test_two_annotated_parameters_are_ambiguous():
    found = context_from_signature(group(), (p("a", "UserExecutionContext"), p("b", "'UserExecutionContext'")), "E")
    assert found.arg is None
    assert "the constructor of E has 2 parameters annotated with UserExecutionContext (`a`, `b`)" in found.reason


def test_args_that_may_swallow_the_context_are_not_read():
    found = context_from_signature(group(), (p("registry"), p("args", kind="*"), p("kwargs", kind="**")), "E")
    assert found.arg is None
    assert "takes *args, **kwargs, which may carry the user context" in found.reason


def test_no_candidate_says_what_was_looked_for():
    found = context_from_signature(group(), (p("registry"),), "E")
    assert found.arg is None
    assert found.reason == ("the constructor of E has no parameter annotated with UserExecutionContext "
                            "or named user_context/context")


# -- end to end on the workspace index ----------------------------------------------------------

def construct(bench, definition: str, call: str, *, header: str = "", base: str = "", sync: bool = False):
    """Place a discovered duplicate engine class and a module constructing it; the SSOT002 outcome."""
    n = next(COUNTER)
    name = f"Sig{n}ExecutionEngine"
    bench.place(f"from typing import Optional\n{header}\n\nclass {name}{base}:\n" + definition, f"sig_def_{n}")
    text = (f"from {CASES}.sig_def_{n} import {name}\n\n\n"
            f"{'def' if sync else 'async def'} run(registry, bridge, ctx):\n    return {call.format(E=name)}\n")
    path, module = bench.place(text, f"sig_use_{n}")
    violations = bench.analyse(text, path, module)
    found = [o for o in fixes_for(text, path, violations, bench.index, bench.config) if o.violation.code == "SSOT002"]
    assert found, [v.code for v in violations]
    return found[0]


def test_context_read_from_an_optional_string_annotation(bench):
    outcome = construct(bench, "    def __init__(self, registry, bridge, ctx: Optional['UserExecutionContext'] = None):\n"
                               "        pass\n", "{E}(registry, bridge, ctx)")
    assert outcome.new_text is not None, outcome.reason
    assert "create_for_user(ctx)" in outcome.new_text


def test_context_read_from_a_keyword_by_parameter_name(bench):
    outcome = construct(bench, "    def __init__(self, registry, *, user_context):\n        pass\n",
                        "{E}(registry, user_context=ctx)")
    assert outcome.new_text is not None, outcome.reason
    assert "create_for_user(ctx)" in outcome.new_text


def test_context_read_through_a_workspace_base_class(bench):
    n = next(COUNTER)
    bench.place("class BaseEngineImpl:\n    def __init__(self, registry, context):\n        pass\n", f"sig_base_{n}")
    outcome = construct(bench, "    pass\n", "{E}(registry, ctx)", header=f"from {CASES}.sig_base_{n} import BaseEngineImpl",
                        base="(BaseEngineImpl)")
    assert outcome.new_text is not None, outcome.reason
    assert "create_for_user(ctx)" in outcome.new_text


def test_class_without_a_constructor_says_so(bench):
    outcome = construct(bench, "    pass\n", "{E}(registry, ctx)")
    assert outcome.new_text is None and "defines no __init__" in outcome.reason


def test_constructor_inherited_from_outside_the_workspace_is_not_read(bench):
    outcome = construct(bench, "    pass\n", "{E}(registry, ctx)", header="from somewhere_else import Base",
                        base="(Base)")
    assert outcome.new_text is None and "inherited from outside" in outcome.reason


def test_ambiguous_signature_gives_no_fix_and_says_why(bench):
    outcome = construct(bench, "    def __init__(self, user_context, context):\n        pass\n", "{E}(ctx, ctx)")
    assert outcome.new_text is None
    assert "has 2 parameters named in context-params (`user_context`, `context`)" in outcome.reason
    assert "or set context-args" in outcome.violation.payload.manual_text()


def test_args_swallowing_the_context_gives_no_fix(bench):
    outcome = construct(bench, "    def __init__(self, *args, **kwargs):\n        pass\n", "{E}(registry, ctx)")
    assert outcome.new_text is None and "takes *args, **kwargs" in outcome.reason


def test_positional_argument_dropped_by_its_parameter_name(bench):
    outcome = construct(bench, "    def __init__(self, registry, user_context):\n        pass\n", "{E}(reg_x, ctx)")
    assert outcome.new_text is not None, outcome.reason
    assert "create_for_user(ctx)" in outcome.new_text and "reg_x" not in outcome.new_text.split("async def")[1]


def test_positional_argument_for_a_parameter_the_factory_does_not_supply(bench):
    outcome = construct(bench, "    def __init__(self, timeout, user_context):\n        pass\n", "{E}(registry, ctx)")
    assert outcome.new_text is None
    assert "argument `registry` (parameter `timeout`) is not one the factory supplies" in outcome.reason


# -- SSOT003: the canonical class constructed directly --------------------------------------------

def bypass(bench, body: str, *, sync: bool = False):
    text = (f"from {UE} import UserExecutionEngine\n\n\n"
            f"{'def' if sync else 'async def'} run(context, agent_factory, emitter, extra):\n    {body}\n")
    path, module = bench.place(text)
    violations = bench.analyse(text, path, module)
    found = [o for o in fixes_for(text, path, violations, bench.index, bench.config) if o.violation.code == "SSOT003"]
    assert found, [v.code for v in violations]
    return found[0]


def test_bypass_becomes_the_factory_call_with_the_context_from_the_signature(bench):
    outcome = bypass(bench, "return UserExecutionEngine(context, agent_factory, emitter)")
    assert outcome.new_text is not None, outcome.reason
    assert "return await (await get_execution_engine_factory()).create_for_user(context)" in outcome.new_text
    assert not outcome.safe
    assert outcome.title == "Unsafe: use factory create_for_user(context) (drops agent_factory, emitter)"


def test_bypass_with_keywords(bench):
    outcome = bypass(bench, "return UserExecutionEngine(agent_factory=agent_factory, websocket_emitter=emitter, "
                            "context=context)")
    assert outcome.new_text is not None, outcome.reason
    assert "create_for_user(context)" in outcome.new_text


def test_bypass_outside_async_def_is_not_fixed(bench):
    outcome = bypass(bench, "return UserExecutionEngine(context, agent_factory, emitter)", sync=True)
    assert outcome.new_text is None and "not inside an async def" in outcome.reason


def test_bypass_with_an_argument_the_factory_does_not_supply_is_not_fixed(bench):
    outcome = bypass(bench, "return UserExecutionEngine(context, agent_factory, emitter, extra=extra)")
    assert outcome.new_text is None and "argument `extra=extra` is not one the factory supplies" in outcome.reason
