"""Public fix API: ``fixes_for``, ``fix_all``, ``minimal_edits`` (see docs/protocol.md, "Fixes").

A rule's fix is named by its ``Rule.fix`` (``ssot_lsp.core.rules``) and imported here on first use.
Every fix is a pure function of (document, violation) that returns a plan of edits or raises
``NotFixable`` with the reason. A plan is applied with libcst on the statements involved only, then
verified (``ssot_lsp.fixes.verify``); a fix that fails verification is not offered and the failure
is logged. Whether a fix is safe comes from the rule's declared safety class (for ``PER_SITE``
rules, from the fix).
"""

from __future__ import annotations

import ast
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Protocol

from ssot_lsp.config.model import Config
from ssot_lsp.core.analysis import FileAnalysis, analyze_text
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.rules.registry import ALL, rule_for
from ssot_lsp.core.rules.rule import Rule, Safety
from ssot_lsp.core.violations import Violation
from ssot_lsp.fixes.document import Doc, NotFixable, ReexportNotFixable, prepare_tree, remember_tree
from ssot_lsp.fixes.spent_suppressions import without_spent_suppressions
from ssot_lsp.fixes.text_edits import minimal_edits
from ssot_lsp.fixes.transform import Plan, apply_plan
from ssot_lsp.fixes.unfixed import Unfixed, unsafe_reason
from ssot_lsp.fixes.verify import verify_analysed

log = logging.getLogger("ssot_lsp.fixes")

__all__ = ["FIXABLE_CODES", "FixAllResult", "FixOutcome", "fix_all", "fixes_for", "minimal_edits"]

FIXABLE_CODES = frozenset(rule.code for rule in ALL if rule.fix is not None)


@dataclass
class FixEdit:
    """What a rule's fix computes: the plan, the action's title and (``PER_SITE`` rules) its safety.

    ``title`` may be a callable, called once the plan is applied, when it names what the transform
    found (the arguments a construction fix dropped)."""

    plan: Plan
    title: str | Callable[[], str]
    safe: bool = False


class RuleFix(Protocol):
    """The object a rule's ``FixSpec.entry`` names."""

    def words(self, doc: Doc, violation: Violation) -> set[str] | None:
        """The names the fix looks for in the document's tree (see ``prepare_tree``); None: the whole tree."""

    def compute(self, doc: Doc, violation: Violation) -> FixEdit:
        """The edit, or NotFixable with the reason."""


@dataclass
class FixOutcome:
    violation: Violation
    title: str
    safe: bool
    new_text: str | None
    reason: str | None
    cross_file: bool = False  # a re-export: fixed only with its importers (``fixes/cross_file.py``)
    # the verified new text's analysis (the file's findings once the fix is applied): fix-all goes on from it
    analysis: FileAnalysis | None = field(default=None, repr=False, compare=False)


@dataclass
class FixAllResult:
    new_text: str
    applied: list[FixOutcome] = field(default_factory=list)
    unfixable: list[FixOutcome] = field(default_factory=list)

    def unfixed(self) -> list[Unfixed]:
        """Every site of a fixable rule left in the result, with why (see ``fixes/unfixed.py``)."""
        return [Unfixed.of(o.violation, o.reason or "", unsafe_fix=o.new_text is not None and not o.safe)
                for o in self.unfixable if o.violation.code in FIXABLE_CODES]


@dataclass(frozen=True)
class Candidate:
    """A computed fix, not yet verified."""

    new_text: str
    safe: bool
    title: str
    plan: Plan


@cache
def fix_of(rule: Rule) -> RuleFix | None:
    """The fix object of a rule (imported on first use: fixes import libcst)."""
    if rule.fix is None:
        return None
    module, _, attribute = rule.fix.entry.partition(":")
    fix: RuleFix = getattr(importlib.import_module(module), attribute)
    return fix


def _key(v: Violation) -> tuple[str, str, str]:
    return (v.code, v.symbol, v.message)


# why the caller does not want a planned fix (None: apply it); asked before the plan is applied
Withhold = Callable[[Violation, Plan], str | None]


class PlanWithheld(Exception):
    """The caller's ``Withhold`` refused the plan: the fix is not applied (nor verified)."""

    def __init__(self, title: str, safe: bool, reason: str) -> None:
        super().__init__(reason)
        self.title, self.safe, self.reason = title, safe, reason


def compute_fix(doc: Doc, violation: Violation, withhold: Withhold | None = None) -> Candidate:
    """The candidate fix of ``violation`` (NotFixable when there is none). Not yet verified.

    ``withhold`` sees the plan before it is applied: applying is the costly part (an import fix
    rewriting 500 constructions takes a second), and a caller that will not offer the result (the
    server's quick fix that would change another finding's statement) says so first. A title that
    names what the transform found (a callable) is only known once applied, so such a plan is
    always applied."""
    rule = rule_for(violation.code)
    fix = fix_of(rule)
    if fix is None or rule.fix is None:
        raise NotFixable(f"{violation.code} has no automatic fix")
    prepare_tree(doc, fix.words(doc, violation))
    edit = fix.compute(doc, violation)
    safe = rule.fix.safety is Safety.SAFE or (rule.fix.safety is Safety.PER_SITE and edit.safe)
    if withhold is not None and not callable(edit.title):
        reason = withhold(violation, edit.plan)
        if reason is not None:
            raise PlanWithheld(action_title(edit.title, safe), safe, reason)
    new_text = apply_plan(doc, edit.plan)
    title = action_title(edit.title() if callable(edit.title) else edit.title, safe)
    return Candidate(new_text, safe, title, edit.plan)


TITLE_LIMIT = 80  # a code-action menu shows about this much


def action_title(text: str, safe: bool) -> str:
    """The title an editor shows: the safety first, then what changes, short. A fix says what it does
    ("Patch X instead (detail)"); an unsafe one reads "Unsafe: patch X instead (detail)", and a
    parenthesised detail that does not fit is left out."""
    title = text if safe else "Unsafe: " + text[:1].lower() + text[1:]
    if len(title) > TITLE_LIMIT and title.endswith(")") and " (" in title:
        title = title[:title.rindex(" (")]
    return title if len(title) <= TITLE_LIMIT else title[:TITLE_LIMIT - 1] + "…"


def _outcome(doc: Doc, violation: Violation, baseline: list[Violation],
             withhold: Withhold | None = None) -> FixOutcome:
    if violation.code not in FIXABLE_CODES:
        return FixOutcome(violation, "", False, None, f"{violation.code} has no automatic fix")
    try:
        candidate = compute_fix(doc, violation, withhold)
    except PlanWithheld as exc:
        return FixOutcome(violation, exc.title, exc.safe, None, exc.reason)
    except ReexportNotFixable as exc:
        return FixOutcome(violation, "", False, None, str(exc), cross_file=True)
    except NotFixable as exc:
        return FixOutcome(violation, "", False, None, str(exc))
    except ImportError:
        raise  # a fix module that does not import is a broken installation: never an unfixable site
    except RecursionError:
        log.warning("fix of %s at %s:%d: nesting too deep", violation.code, doc.path, violation.span.line + 1)
        return FixOutcome(violation, "", False, None, "the source is nested too deeply to rewrite safely")
    except Exception as exc:  # noqa: BLE001 - one broken fix must never take the server or CLI down
        log.warning("fix of %s at %s:%d failed: %s: %s", violation.code, doc.path, violation.span.line + 1,
                    type(exc).__name__, exc)
        return FixOutcome(violation, "", False, None, f"internal error while rewriting ({type(exc).__name__})")
    try:
        spent = without_spent_suppressions(doc, candidate.new_text, baseline)
        if spent != candidate.new_text:
            candidate = Candidate(spent, candidate.safe, candidate.title, candidate.plan)
        problem, analysis = verify_analysed(doc, violation, candidate.new_text, candidate.plan, baseline)
    except ImportError:
        raise
    except Exception as exc:  # noqa: BLE001
        problem, analysis = f"verification failed: {type(exc).__name__}: {exc}", None
    if problem:
        log.info("fix of %s at %s:%d not offered: %s", violation.code, doc.path, violation.span.line + 1, problem)
        return FixOutcome(violation, candidate.title, candidate.safe, None, f"fix rejected by verification: {problem}")
    return FixOutcome(violation, candidate.title, candidate.safe, candidate.new_text, None, analysis=analysis)


def make_doc(text: str, path: str, violations: list[Violation], index: WorkspaceIndex, config: Config) -> Doc:
    module, is_package = index.module_of_path(str(path))
    return Doc(text, str(path), module, is_package, index, config, list(violations))


def fixes_for(text: str, path: str, violations: list[Violation], index: WorkspaceIndex, config: Config, *,
              targets: list[Violation] | None = None, withhold: Withhold | None = None) -> list[FixOutcome]:
    """A verified outcome per violation.

    ``violations`` is the complete analysis of ``text`` (verification compares against it);
    ``targets`` (default: all of them) are the violations to compute fixes for — the server passes
    the ones under the cursor; ``withhold`` may refuse a plan before it is applied (``compute_fix``).
    """
    doc = make_doc(text, path, violations, index, config)
    return [_outcome(doc, violation, doc.violations, withhold)
            for violation in (targets if targets is not None else violations)]


def _analyse(text: str, path: str, module: str, is_package: bool, index: WorkspaceIndex,
             config: Config) -> FileAnalysis:
    """Analyse a text fix-all works on (the index keeps its facts); its tree is kept for the fixes."""
    try:
        tree: ast.Module | None = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        tree = None
    if tree is not None:
        remember_tree(text, tree)
    return analyze_text(index, config, path, text, module, is_package, tree=tree)


def fix_all(text: str, path: str, index: WorkspaceIndex, config: Config, *, unsafe: bool = False,
            max_rounds: int = 20) -> FixAllResult:
    """Apply verified fixes one at a time, re-analysing in between, until nothing changes.

    The index is updated with the facts of the final text (the caller's index stays current).
    """
    module, is_package = index.module_of_path(str(path))
    result = FixAllResult(new_text=text)
    current = text
    violations = _analyse(current, str(path), module, is_package, index, config).violations
    failed: dict[tuple[object, ...], FixOutcome] = {}
    for _ in range(max_rounds * 10):
        doc = Doc(current, str(path), module, is_package, index, config, violations)
        applied = _apply_first(doc, violations, failed, unsafe)
        if applied is None:
            break
        result.applied.append(replace(applied, analysis=None))
        current = applied.new_text or current
        if applied.analysis is not None:  # verification analysed this very text with the index as now
            index.add(applied.analysis.facts)
            violations = applied.analysis.violations
        else:
            violations = _analyse(current, str(path), module, is_package, index, config).violations
        failed.clear()
    result.new_text = current
    result.unfixable = _unfixable(violations, failed)
    return result


def _apply_first(doc: Doc, violations: list[Violation], failed: dict[tuple[object, ...], FixOutcome],
                 unsafe: bool) -> FixOutcome | None:
    """The first fix that verifies (and is safe, unless ``unsafe``); the others go to ``failed``."""
    for violation in violations:
        if violation.code not in FIXABLE_CODES:
            continue
        key = (_key(violation), violation.span)
        if key in failed:
            continue
        outcome = _outcome(doc, violation, violations)
        if outcome.new_text is not None and not outcome.safe and not unsafe:
            outcome = replace(outcome, reason=unsafe_reason(outcome.title))
        if outcome.new_text is None or (not outcome.safe and not unsafe):
            failed[key] = replace(outcome, analysis=None)  # reported at the end: its analysis is not kept
            continue
        return outcome
    return None


def _unfixable(violations: list[Violation], failed: dict[tuple[object, ...], FixOutcome]) -> list[FixOutcome]:
    """An outcome for every violation left: why its fix failed, or that its rule has none."""
    remaining = {(_key(v), v.span) for v in violations}
    seen = set()
    out = []
    for key, outcome in failed.items():
        if key in remaining and key not in seen:
            seen.add(key)
            out.append(outcome)
    for violation in violations:
        key = (_key(violation), violation.span)
        if key in seen:
            continue
        seen.add(key)
        if violation.code not in FIXABLE_CODES:
            out.append(FixOutcome(violation, "", False, None, f"{violation.code} has no automatic fix"))
        else:  # never tried: the rounds ran out first
            out.append(FixOutcome(violation, "", False, None, "fixing this file stopped after too many rounds "
                                  "before this site was tried; run the fix again"))
    return out
