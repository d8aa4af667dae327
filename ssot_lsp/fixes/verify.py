"""Verification of a candidate fix: the gate between a computed edit and the user.

A candidate is offered only when each of these checks passes, in this order:

1. the new text changes something and parses;
2. re-analysing it (as this file of the same workspace) no longer reports the violation;
3. it reports nothing the old text did not (no new finding of any rule);
4. names the fix removed are no longer used unless still bound, and names it introduced are bound;
5. every patch target it rewrote resolves, in the index, to the counterpart of the old target
   (``core/patch_targets.py``): a patch keeps patching the same thing, or the fix is not offered.

Each check returns None or the reason the candidate is rejected; ``tests/fixes/test_verify.py``
has, for every check, a candidate that only that check rejects.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections import Counter

from ssot_lsp.core.analysis import FileAnalysis, analyze_text
from ssot_lsp.core.classify import Classifier
from ssot_lsp.core.facts import FileFacts
from ssot_lsp.core.patch_targets import check_rewrite
from ssot_lsp.core.violations import Violation
from ssot_lsp.fixes.candidates import parse_candidate
from ssot_lsp.fixes.document import Doc, remember_tree
from ssot_lsp.fixes.transform import Plan

_BUILTINS = set(dir(builtins))


def verify(doc: Doc, violation: Violation, new_text: str, plan: Plan, baseline: list[Violation]) -> str | None:
    """None when the new text is acceptable, else why not."""
    return verify_analysed(doc, violation, new_text, plan, baseline)[0]


def verify_analysed(doc: Doc, violation: Violation, new_text: str, plan: Plan,
                    baseline: list[Violation]) -> tuple[str | None, FileAnalysis | None]:
    """``verify``, and the analysis of an acceptable new text: the file's analysis once the fix is
    applied (the index held the new facts while it ran), which fix-all need not compute again."""
    if new_text == doc.text:
        return "the fix changes nothing", None
    try:
        tree = parse_candidate(new_text)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return f"the result does not parse: {exc}", None
    analysis = analyze_text(doc.index, doc.config, doc.path, new_text, doc.module, doc.is_package,
                            keep=False, tree=tree)
    if not analysis.parsed:
        return "the result cannot be analysed", None
    problem = (violation_gone(violation, baseline, analysis.violations)
               or nothing_new(baseline, analysis.violations)
               or names_bound(tree, plan, new_text, analysis.facts)
               or targets_counterpart(doc, plan))
    if problem:
        return problem, None
    remember_tree(new_text, tree)
    return None, analysis


def _key(v: Violation) -> tuple[str, str, str]:
    return (v.code, v.symbol, v.message)


def violation_gone(violation: Violation, before: list[Violation], after: list[Violation]) -> str | None:
    """The fixed violation is reported fewer times than before (same code, symbol and message)."""
    key = _key(violation)
    if sum(_key(v) == key for v in after) >= sum(_key(v) == key for v in before):
        return "the violation is still reported after the fix"
    return None


def nothing_new(before: list[Violation], after: list[Violation]) -> str | None:
    """No finding is reported more often after the fix than before it."""
    new = Counter(_key(v) for v in after) - Counter(_key(v) for v in before)
    if new:
        code, _, message = next(iter(new))
        return f"the fix would introduce {code} ({message})"
    return None


def names_bound(tree: ast.Module, plan: Plan, text: str = "", facts: FileFacts | None = None) -> str | None:
    """Names the fix removed must not be loaded any more (unless still bound); names it introduced
    must be bound. Scope-insensitive on purpose: cheap, and strict in the direction that matters.
    A regex prefilter and the new facts answer most cases without walking the tree."""
    removed = set(plan.removed_bindings)
    introduced = set(plan.introduced_names)
    if facts is not None:
        bound_by_facts = {imp.bound for imp in facts.imports if imp.bound} | set(facts.bindings)
        introduced = {n for n in introduced if n not in bound_by_facts and n not in _BUILTINS}
    if text:
        removed = {n for n in removed if re.search(r"\b" + re.escape(n) + r"\b", text)}
    watch = removed | introduced
    if not watch:
        return None
    loaded, bound = _loaded_and_bound(tree, watch)
    for name in sorted(removed):
        if name in loaded and name not in bound:
            return f"`{name}` would be used but no longer defined"
    for name in sorted(introduced):
        if name not in bound and name not in _BUILTINS:
            return f"`{name}` would be used without being defined"
    return None


def targets_counterpart(doc: Doc, plan: Plan) -> str | None:
    """Each rewritten patch target resolves to the counterpart of the target it replaces."""
    if not plan.retargets:
        return None
    classifier = Classifier(doc.config, doc.index)
    for group_name, old, new in plan.retargets:
        group = doc.config.group(group_name)
        if group is None:
            return f"the group {group_name} of a rewritten patch target is not configured"
        problem = check_rewrite(classifier, group, old, new)
        if problem:
            return problem
    return None


def _loaded_and_bound(tree: ast.Module, watch: set[str]) -> tuple[set[str], set[str]]:
    """Of ``watch``, the names the tree loads; and every name it binds (imports, defs, arguments, stores)."""
    loaded: set[str] = set()
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id in watch:
                (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                bound.add(alias.asname or alias.name.partition(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return loaded, bound
