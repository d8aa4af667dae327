"""Public fix API: ``fixes_for``, ``fix_all``, ``minimal_edits`` (see docs/protocol.md, "Fixes").

Every fix is a pure function of (source, violation, configuration, workspace index) that returns
a plan of edits or raises ``NotFixable`` with the reason. A plan is applied with libcst on the
statements involved only, then verified: the result parses, re-analysis shows the violation gone
and nothing new, names the fix removed are no longer used and names it introduced are bound.
A fix that fails verification is not offered; the failure is logged.
"""

from __future__ import annotations

import ast
import builtins
import difflib
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from ssot_lsp.config.model import Config
from ssot_lsp.core.engine import analyze
from ssot_lsp.core.facts import extract_facts
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.violations import Violation
from ssot_lsp.fixes.common import Doc, NotFixable, apply_plan, group_of, module_of, prepare_tree, remember_tree

log = logging.getLogger("ssot_lsp.fixes")

FIXABLE_CODES = ("SSOT001", "SSOT002", "SSOT007", "SSOT008")


@dataclass
class FixOutcome:
    violation: Violation
    title: str
    safe: bool
    new_text: str | None
    reason: str | None


@dataclass
class FixAllResult:
    new_text: str
    applied: list[FixOutcome] = field(default_factory=list)
    unfixable: list[FixOutcome] = field(default_factory=list)


def _key(v: Violation) -> tuple:
    return (v.code, v.symbol, v.message)


def compute_fix(doc: Doc, violation: Violation) -> tuple[str, bool, str]:
    """(new text, safe, title) or NotFixable. Not yet verified."""
    code = violation.code
    prepare_tree(doc, _words(doc, violation))
    if code == "SSOT001":
        from ssot_lsp.fixes.imports import fix_legacy_import, import_title

        edit = fix_legacy_import(doc, violation)
        return apply_plan(doc, edit.plan), edit.safe, import_title(edit, violation, group_of(doc.config, violation)), \
            edit.plan
    if code == "SSOT002":
        from ssot_lsp.fixes.construction import construction_title, fix_construction

        plan, info = fix_construction(doc, violation)
        new_text = apply_plan(doc, plan)
        return new_text, False, construction_title(violation, info, group_of(doc.config, violation)), plan
    if code == "SSOT007":
        from ssot_lsp.fixes.strings import fix_string

        plan, title = fix_string(doc, violation)
        return apply_plan(doc, plan), False, title, plan
    if code == "SSOT008":
        from ssot_lsp.fixes.imports import fix_alias

        plan, replacement = fix_alias(doc, violation)
        return apply_plan(doc, plan), True, f"Rename {violation.data['bound']} to its honest name {replacement}", plan
    raise NotFixable(f"{code} has no automatic fix")


def _words(doc: Doc, violation: Violation) -> set[str] | None:
    """The names a fix of ``violation`` looks for in the document's tree (see ``prepare_tree``):
    the bound and canonical names and the factory's imported names. None: it needs the whole tree."""
    if violation.code not in ("SSOT001", "SSOT002", "SSOT008"):
        return None
    data = violation.data or {}
    words = {w for w in (data.get("bound"), data.get("honest")) if w}
    group = doc.config.group(violation.group) if violation.group else None
    if group is not None:
        words.add(group.canonical_name)
        if group.factory is not None:
            words.update(spec.split(":", 1)[-1] for spec in group.factory.imports)
    if violation.code == "SSOT001" and not data.get("bound"):
        return None
    if violation.code == "SSOT008" and not (data.get("bound") and data.get("honest")):
        return None
    return {w for w in words if w.isidentifier()}


def verify(doc: Doc, violation: Violation, new_text: str, plan, baseline: list[Violation]) -> str | None:
    """None when the new text is acceptable, else why not."""
    if new_text == doc.text:
        return "the fix changes nothing"
    try:
        tree = ast.parse(new_text)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return f"the result does not parse: {exc}"
    facts = extract_facts(new_text, doc.path, doc.module, doc.is_package, tree=tree)
    if not facts.parsed:
        return "the result cannot be analysed"
    index = doc.index
    had = doc.module in index.facts_by_module
    saved = index.facts_by_module.get(doc.module)
    known = index.known_modules.get(doc.module)
    index.facts_by_module[doc.module] = facts
    index.known_modules.setdefault(doc.module, doc.path)
    index.invalidate()
    try:
        after = analyze(facts, index, doc.config)
    finally:
        if had:
            index.facts_by_module[doc.module] = saved
        else:
            index.facts_by_module.pop(doc.module, None)
        if known is None:
            index.known_modules.pop(doc.module, None)
        index.invalidate()
    before_counts = Counter(_key(v) for v in baseline)
    after_counts = Counter(_key(v) for v in after)
    if after_counts[_key(violation)] >= before_counts[_key(violation)]:
        return "the violation is still reported after the fix"
    new = after_counts - before_counts
    if new:
        code, symbol, message = next(iter(new))
        return f"the fix would introduce {code} ({message})"
    problem = _name_check(tree, plan, new_text, facts)
    if problem:
        return problem
    remember_tree(new_text, tree)
    return None


_BUILTINS = set(dir(builtins))


def _name_check(tree: ast.Module, plan, text: str = "", facts=None) -> str | None:
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
    loaded, bound = set(), set()
    for node in ast.walk(tree):
        kind = type(node)
        if kind is ast.Name:
            if node.id in watch:
                (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif kind in (ast.Import, ast.ImportFrom):
            for alias in node.names:
                bound.add(alias.asname or alias.name.partition(".")[0])
        elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            bound.add(node.name)
        elif kind is ast.arg:
            bound.add(node.arg)
    for name in sorted(removed):
        if name in loaded and name not in bound:
            return f"`{name}` would be used but no longer defined"
    for name in sorted(introduced):
        if name not in bound and name not in _BUILTINS:
            return f"`{name}` would be used without being defined"
    return None


def _outcome(doc: Doc, violation: Violation, baseline: list[Violation]) -> FixOutcome:
    if violation.code not in FIXABLE_CODES:
        return FixOutcome(violation, "", False, None, f"{violation.code} has no automatic fix")
    try:
        new_text, safe, title, plan = compute_fix(doc, violation)
    except NotFixable as exc:
        return FixOutcome(violation, "", False, None, str(exc))
    except RecursionError:
        log.warning("fix of %s at %s:%d: nesting too deep", violation.code, doc.path, violation.span.line + 1)
        return FixOutcome(violation, "", False, None, "the source is nested too deeply to rewrite safely")
    except Exception as exc:  # noqa: BLE001 - one broken fix must never take the server or CLI down
        log.warning("fix of %s at %s:%d failed: %s: %s", violation.code, doc.path, violation.span.line + 1,
                    type(exc).__name__, exc)
        return FixOutcome(violation, "", False, None, f"internal error while rewriting ({type(exc).__name__})")
    try:
        problem = verify(doc, violation, new_text, plan, baseline)
    except Exception as exc:  # noqa: BLE001
        problem = f"verification failed: {type(exc).__name__}: {exc}"
    if problem:
        log.info("fix of %s at %s:%d not offered: %s", violation.code, doc.path, violation.span.line + 1, problem)
        return FixOutcome(violation, title, safe, None, f"fix rejected by verification: {problem}")
    return FixOutcome(violation, title, safe, new_text, None)


def make_doc(text: str, path: str, violations, index: WorkspaceIndex, config: Config) -> Doc:
    module, is_package = module_of(index, path)
    return Doc(text, str(path), module, is_package, index, config, list(violations))


def fixes_for(text: str, path, violations: list[Violation], index: WorkspaceIndex, config: Config, *,
              targets: list[Violation] | None = None) -> list[FixOutcome]:
    """A verified outcome per violation.

    ``violations`` is the complete analysis of ``text`` (verification compares against it);
    ``targets`` (default: all of them) are the violations to compute fixes for — the server passes
    the ones under the cursor.
    """
    doc = make_doc(text, path, violations, index, config)
    return [_outcome(doc, violation, doc.violations) for violation in (targets if targets is not None else violations)]


def _analyse(text: str, doc_path: str, module: str, is_package: bool, index: WorkspaceIndex, config: Config):
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        tree = None
    facts = extract_facts(text, doc_path, module, is_package, tree=tree) if tree is not None else \
        extract_facts(text, doc_path, module, is_package)
    if tree is not None:
        remember_tree(text, tree)
    index.add(facts)
    return facts, analyze(facts, index, config)


def fix_all(text: str, path, index: WorkspaceIndex, config: Config, *, unsafe: bool = False,
            max_rounds: int = 20) -> FixAllResult:
    """Apply verified fixes one at a time, re-analysing in between, until nothing changes.

    The index is updated with the facts of the final text (the caller's index stays current).
    """
    module, is_package = module_of(index, path)
    result = FixAllResult(new_text=text)
    current = text
    _, violations = _analyse(current, str(path), module, is_package, index, config)
    failed: dict[tuple, FixOutcome] = {}
    for _ in range(max_rounds * 10):
        doc = Doc(current, str(path), module, is_package, index, config, violations)
        progressed = False
        for violation in violations:
            if violation.code not in FIXABLE_CODES:
                continue
            key = (_key(violation), violation.span)
            if key in failed:
                continue
            outcome = _outcome(doc, violation, violations)
            if outcome.new_text is None or (not outcome.safe and not unsafe):
                failed[key] = outcome
                continue
            result.applied.append(outcome)
            current = outcome.new_text
            _, violations = _analyse(current, str(path), module, is_package, index, config)
            failed.clear()
            progressed = True
            break
        if not progressed:
            break
    result.new_text = current
    remaining = {(_key(v), v.span) for v in violations}
    seen = set()
    for key, outcome in failed.items():
        if key in remaining and key not in seen:
            seen.add(key)
            result.unfixable.append(outcome)
    for violation in violations:
        key = (_key(violation), violation.span)
        if violation.code not in FIXABLE_CODES and key not in seen:
            seen.add(key)
            result.unfixable.append(FixOutcome(violation, "", False, None, f"{violation.code} has no automatic fix"))
    return result


def minimal_edits(old: str, new: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) code-point offsets in ``old``: lines first, then characters."""
    if old == new:
        return []
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    starts = [0]
    for line in old_lines:
        starts.append(starts[-1] + len(line))
    edits: list[tuple[int, int, str]] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        a = "".join(old_lines[i1:i2])
        b = "".join(new_lines[j1:j2])
        base = starts[i1]
        if a and b and len(a) + len(b) < 20000:
            inner = difflib.SequenceMatcher(None, a, b, autojunk=False)
            for t2, a1, a2, b1, b2 in inner.get_opcodes():
                if t2 != "equal":
                    edits.append((base + a1, base + a2, b[b1:b2]))
        else:
            edits.append((base, base + len(a), b))
    return _merge_close(edits, old)


def _merge_close(edits, old):
    """Merge character edits separated by a few unchanged characters (fewer, more readable edits)."""
    merged: list[list] = []
    for start, end, text in edits:
        if merged and start - merged[-1][1] <= 2:
            gap = old[merged[-1][1]:start]
            merged[-1][1] = end
            merged[-1][2] += gap + text
        else:
            merged.append([start, end, text])
    return [tuple(m) for m in merged]
