"""Hypothesis: fixes on generated sources keep them parseable and are idempotent."""

from __future__ import annotations

import ast

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EE = "netra_backend.app.agents.supervisor.execution_engine"

USES = [
    "    e = ExecutionEngine(registry, bridge, user_context=ctx)",
    "    e = ExecutionEngine(registry, bridge, ctx)",
    "    async with ExecutionEngine(registry, bridge, user_context=ctx) as e:\n        pass",
    "    x: ExecutionEngine = None",
    "    ok = isinstance(ctx, ExecutionEngine)",
    "    f = lambda: ExecutionEngine(registry, bridge, user_context=ctx)",
    "    y = [ExecutionEngine(registry, bridge, user_context=c) for c in ctx]",
    "    z = ExecutionEngine",
    "    w = '🚀 ExecutionEngine é'",
    "    # ExecutionEngine in a comment",
]
IMPORTS = [
    f"from {EE} import ExecutionEngine",
    f"from {EE} import (\n    ExecutionEngine,  # c\n    logger,\n)",
    "from ..agents.supervisor.execution_engine import ExecutionEngine",
    f"from {EE} import ExecutionEngine as OldEngine",
]


@st.composite
def sources(draw):
    imp = draw(st.sampled_from(IMPORTS))
    body = draw(st.lists(st.sampled_from(USES), min_size=1, max_size=4))
    asynchronous = draw(st.booleans())
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    name = "OldEngine" if "as OldEngine" in imp else "ExecutionEngine"
    lines = [imp, "", "", f"{'async ' if asynchronous else ''}def run(registry, bridge, ctx):",
             *(b.replace("ExecutionEngine", name) for b in body), "    return ctx", ""]
    return newline.join("\n".join(lines).split("\n"))


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(source=sources(), unsafe=st.booleans())
def test_fixes_keep_parseable_and_idempotent(bench, source, unsafe):
    ast.parse(source)
    first = bench.fix(source, unsafe=unsafe)
    ast.parse(first.new_text)
    second = bench.fix(first.new_text, unsafe=unsafe)
    assert second.new_text == first.new_text
    if "\r\n" in source:
        assert first.new_text.count("\n") == first.new_text.count("\r\n")
