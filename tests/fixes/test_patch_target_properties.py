"""Hypothesis: a rewritten patch target patches the counterpart of the old one, or the fix is withheld.

Targets are generated over the workbench's real modules (legacy modules of two groups): the legacy
class, its methods (defined or not by the replacement), module attributes bound or not bound in the
canonical module, nested attributes, through ``mock.patch("…")``, ``@patch("…")`` and
``patch.object(module, "…")``. The oracle below reads the modules' source with ``ast`` on its own
(not through the index or ``core/patch_targets.py``) and says what the counterpart is; fix_all must
rewrite to exactly that, or leave the target with a reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

AGENTS = "netra_backend.app.agents"
SUP = f"{AGENTS}.supervisor"
# legacy module -> (its legacy class, the module and class that replace it)
LEGACY = {
    f"{SUP}.execution_engine": ("ExecutionEngine", f"{SUP}.user_execution_engine", "UserExecutionEngine"),
    f"{SUP}.request_scoped_execution_engine": ("RequestScopedExecutionEngine", f"{SUP}.user_execution_engine",
                                               "UserExecutionEngine"),
    f"{SUP}.mcp_execution_engine": ("MCPEnhancedExecutionEngine", f"{SUP}.user_execution_engine",
                                    "UserExecutionEngine"),
    f"{AGENTS}.supervisor_consolidated": ("SupervisorAgent", f"{AGENTS}.supervisor_ssot", "SupervisorAgent"),
}


def _tree(root: Path, module: str) -> ast.Module:
    return ast.parse((root / (module.replace(".", "/") + ".py")).read_text())


def _bindings(tree: ast.Module) -> dict[str, tuple[str, ...]]:
    """Top-level name -> what it is: ('class',), ('function',), ('value',), ('module', name) or
    ('from', module, name) for an import of an outside object."""
    out: dict[str, tuple[str, ...]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            out[node.name] = ("class",)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out[node.name] = ("function",)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    out[target.id] = ("value",)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                out[alias.asname or alias.name] = ("module", alias.name)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            for alias in node.names:
                out[alias.asname or alias.name] = ("from", node.module or "", alias.name)
    return out


def _methods(tree: ast.Module, cls: str) -> set[str]:
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == cls:
            return {n.name for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    raise AssertionError(cls)


def _inherited(root: Path, cls: str) -> set[str]:
    """Methods a legacy class inherits (the demo's one subclass of another legacy class)."""
    if cls == "MCPEnhancedExecutionEngine":
        return _methods(_tree(root, f"{SUP}.execution_engine"), "ExecutionEngine")
    return set()


def oracle(root: Path, module: str, attrs: list[str]) -> str | None:
    """The counterpart of ``module.attrs`` (None: there is none), read from the source files."""
    legacy_class, new_module, new_class = LEGACY[module]
    if attrs[0] == legacy_class:
        if len(attrs) > 1 and attrs[1] not in _methods(_tree(root, module), legacy_class) | _inherited(root, legacy_class):
            return None  # the legacy target does not exist: there is nothing to keep patching (SSOT011)
        if len(attrs) > 1 and attrs[1] not in _methods(_tree(root, new_module), new_class):
            return None
        return ".".join([new_module, new_class, *attrs[1:]])
    mine = _bindings(_tree(root, module)).get(attrs[0])
    theirs = _bindings(_tree(root, new_module)).get(attrs[0])
    if mine is None or theirs is None:
        return None
    same = mine == theirs if mine[0] in ("module", "from") else mine[0] == theirs[0]
    return ".".join([new_module, *attrs]) if same else None


@st.composite
def targets(draw, root: Path):
    module = draw(st.sampled_from(sorted(LEGACY)))
    legacy_class = LEGACY[module][0]
    names = sorted(_bindings(_tree(root, module)))
    methods = sorted(_methods(_tree(root, module), legacy_class) | {"execute_agent", "cleanup", "no_such_method"})
    first = draw(st.sampled_from([legacy_class, *names]))
    attrs = [first]
    if first == legacy_class and draw(st.booleans()):
        attrs.append(draw(st.sampled_from(methods)))
    elif first != legacy_class and draw(st.booleans()):
        attrs.append(draw(st.sampled_from(["warning", "info", "sleep"])))  # nested: logger.warning
    form = draw(st.sampled_from(["with", "decorator", "object"] if len(attrs) == 1 else ["with", "decorator"]))
    return module, attrs, form


def source(module: str, attrs: list[str], form: str) -> str:
    target = ".".join([module, *attrs])
    if form == "decorator":
        return f"from unittest.mock import patch\n\n\n@patch({target!r})\ndef test_it(m):\n    return m\n"
    if form == "object":
        package, _, name = module.rpartition(".")
        return (f"from unittest import mock\n\nfrom {package} import {name} as legacy_module\n\n\n"
                f"def test_it():\n    with mock.patch.object(legacy_module, {attrs[0]!r}) as m:\n        return m\n")
    return f"from unittest import mock\n\n\ndef test_it():\n    with mock.patch({target!r}) as m:\n        return m\n"


def patched_targets(text: str) -> list[str]:
    """The dotted targets a source patches (``patch.object(module, "x")`` as ``module.x``)."""
    tree = ast.parse(text)
    modules = {a.asname: f"{n.module}.{a.name}" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
               for a in n.names if a.asname}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("patch.object"):
            found.append(f"{modules[ast.unparse(node.args[0])]}.{node.args[1].value}")
        elif isinstance(node, ast.Call) and ast.unparse(node.func).endswith("patch"):
            found.append(node.args[0].value)
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_rewritten_patch_target_is_the_counterpart_or_the_fix_is_withheld(bench, data):
    module, attrs, form = data.draw(targets(bench.root))
    old = ".".join([module, *attrs])
    result = bench.fix(source(module, attrs, form), unsafe=True, name="patch_property")
    (now,) = patched_targets(result.new_text)
    expected = oracle(bench.root, module, attrs)
    if now == old:
        reasons = [o.reason for o in result.unfixable if o.violation.code == "SSOT007"]
        assert expected is None, f"{old} has the counterpart {expected}, yet the fix was withheld: {reasons}"
        assert all(reasons), result.unfixable  # a site left behind says why
    else:
        assert now == expected, f"{old} became {now}; its counterpart is {expected}"
