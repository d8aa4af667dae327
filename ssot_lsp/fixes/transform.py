"""Applying a fix's plan: libcst on the smallest statement around each target, spliced back.

A fix never parses the whole document with libcst (~10x the cost of ``ast``). ``apply_plan`` finds
the statement that contains each target, parses only that text (``if 1:`` wraps an indented
statement so that its own indentation, multi-line strings and comments stay byte-identical),
transforms the nodes at the target positions with ``TargetTransformer`` and splices the result
back. ``transform_module`` does the same on the whole document; the tests show both give the same
result.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, Union, cast

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from ssot_lsp.core.text import line_offsets
from ssot_lsp.fixes.document import NotFixable

if TYPE_CHECKING:
    from ssot_lsp.fixes.document import Doc

CSTNodeT = TypeVar("CSTNodeT", bound=cst.CSTNode)
SmallStatementResult = Union[cst.BaseSmallStatement, cst.FlattenSentinel[cst.BaseSmallStatement], cst.RemovalSentinel]
StatementResult = Union[cst.BaseStatement, cst.FlattenSentinel[cst.BaseStatement], cst.RemovalSentinel]


@dataclass
class Target:
    """A node to change, by position in the document (0-based line, code-point columns)."""

    kind: str  # 'rename' | 'call' | 'await' | 'string' | 'import' | 'replace-stmt' | 'extend-import'
    start: tuple[int, int]
    end: tuple[int, int]
    # what to put there, by kind: a name ('rename'), a str -> str rewrite or a literal ('string'), a
    # build(module, original, updated) -> expression ('call', 'await'), a statement -> statement edit
    payload: Any = None
    adds: tuple[str, str] | None = None  # 'extend-import': the (module, name) it adds


@dataclass
class Plan:
    """Everything one fix does: targets for libcst, raw text inserts, and what verification checks."""

    targets: list[Target] = field(default_factory=list)
    inserts: list[tuple[int, str]] = field(default_factory=list)  # (line before which to insert, text)
    removed_bindings: set[str] = field(default_factory=set)
    introduced_names: set[str] = field(default_factory=set)
    # patch targets the fix rewrote: (group, old dotted target, new dotted target); verification
    # checks that each new target resolves to the old one's counterpart (core/patch_targets.py)
    retargets: list[tuple[str, str, str]] = field(default_factory=list)
    # imports ``import_edits.ensure_import`` made available: (module, name, extend_ok)
    ensured: set[tuple[str, str, bool]] = field(default_factory=set)


def apply_plan(doc: Doc, plan: Plan, whole_module: bool = False) -> str:
    """New text: each statement region transformed once and each line insert, as offset edits on the
    original text applied bottom-up (so no edit shifts another)."""
    text = doc.text
    if whole_module:
        text = transform_module(text, plan.targets)
        edits: list[tuple[int, int, str]] = []
    else:
        edits = []
        for first, last, targets in _regions(doc, plan.targets):
            start, end = doc.offsets[first], doc.line_end(last)
            new_region = transform_region(text[start:end], first, targets, doc.newline)
            if not new_region.strip():
                start, end, new_region = _removed(doc, first, last)
                inserted_at = {doc.offsets[line] for line, _ in plan.inserts if line < len(doc.offsets)}
                if any(start < offset < end for offset in inserted_at):  # keep the blank lines: an import goes there
                    start = doc.offsets[first]
                    end = doc.offsets[last + 1] if last + 1 < len(doc.offsets) else doc.line_end(last)
            edits.append((start, end, new_region))
    offsets = line_offsets(text) if whole_module else doc.offsets
    for line, insert in plan.inserts:
        if line < len(offsets):
            edits.append((offsets[line], offsets[line], insert))
        else:
            prefix = "" if not text or text.endswith(("\n", "\r")) else doc.newline
            edits.append((len(text), len(text), prefix + insert.rstrip("\r\n")))
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _removed(doc: Doc, first: int, last: int) -> tuple[int, int, str]:
    """A statement removed whole, as (start, end, replacement): its lines go, or ``pass`` stays when
    its block would be empty. No stray blank lines are left: with blank lines on both sides the
    side with fewer goes too, and a block's (or the file's) first statement takes the blank lines
    after it along."""
    lines = doc.lines
    indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
    before = next((lines[i] for i in range(first - 1, -1, -1)
                   if lines[i].strip() and not lines[i].lstrip().startswith("#")), "")
    after = next((lines[i] for i in range(last + 1, len(lines))
                  if lines[i].strip() and not lines[i].lstrip().startswith("#")), None)
    opens_block = before.rstrip().endswith(":") and len(before) - len(before.lstrip()) < len(indent)
    block_continues = after is not None and len(after) - len(after.lstrip()) >= len(indent) and indent
    if opens_block and not block_continues:
        return doc.offsets[first], doc.line_end(last), indent + "pass"
    start, end = first, last + 1
    while start > 0 and not lines[start - 1].strip():
        start -= 1
    while end < len(lines) and not lines[end].strip():
        end += 1
    blank_before, blank_after = first - start, end - last - 1
    if end == len(lines) and blank_after == 0:
        end_offset = doc.line_end(last)  # the last line: no terminator to take along
    else:
        end_offset = doc.offsets[end] if end < len(doc.offsets) else len(doc.text)
    if start == 0 or (opens_block and lines[first - 1 - blank_before].strip()):
        return doc.offsets[first], end_offset, ""  # first of the file or block: the blank lines after go
    if blank_before and blank_after and blank_before < blank_after:
        return doc.offsets[start], doc.offsets[last + 1] if last + 1 < len(doc.offsets) else len(doc.text), ""
    if blank_before and blank_after:
        return doc.offsets[first], end_offset, ""
    return doc.offsets[first], doc.offsets[last + 1] if last + 1 < len(doc.offsets) else doc.line_end(last), ""


def _regions(doc: Doc, targets: list[Target]) -> list[tuple[int, int, list[Target]]]:
    spans = sorted(((*statement_lines(doc, t.start[0], t.end[0]), t) for t in targets),
                   key=lambda s: (s[0], -s[1]))
    merged: list[tuple[int, int, list[Target]]] = []
    for first, last, target in spans:
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last), [*merged[-1][2], target])
        else:
            merged.append((first, last, [target]))
    return merged


_STMT_START = re.compile(r"[ \t\f]*(?:@|[A-Za-z_]|\w)")


def statement_lines(doc: Doc, line: int, end_line: int) -> tuple[int, int]:
    """Lines of the innermost statement around (line..end_line), found from the ast tree if it is
    already parsed, else by growing a line range until it parses on its own."""
    if doc._tree is not None:
        found = _innermost_stmt(doc._tree.body, line, end_line)
        if found is not None:
            return found
    lines = doc.lines
    for first in range(line, max(line - 40, -1), -1):
        head = lines[first]
        stripped = head.lstrip(" \t\f")
        if not stripped or stripped.startswith("#") or not _STMT_START.match(head):
            continue
        for last in range(end_line, min(end_line + 400, len(lines))):
            chunk = "\n".join(lines[first:last + 1])
            if _parses(chunk):
                return first, last
    raise NotFixable("could not isolate the statement to edit")


def _innermost_stmt(body: Sequence[ast.stmt], line: int, end_line: int) -> tuple[int, int] | None:
    for stmt in body:
        first, last = stmt.lineno - 1, (stmt.end_lineno or stmt.lineno) - 1
        if first <= line and end_line <= last:
            for name in ("body", "orelse", "finalbody", "handlers", "cases"):
                inner = getattr(stmt, name, None)
                if inner:
                    children: list[ast.stmt] = []
                    for child in inner:
                        children.extend(child.body if isinstance(child, (ast.ExceptHandler,)) or
                                        type(child).__name__ == "match_case" else [child])
                    found = _innermost_stmt(children, line, end_line)
                    if found is not None:
                        return found
            deco = getattr(stmt, "decorator_list", None)
            if deco:
                first = min(first, deco[0].lineno - 1)
            return first, last
        deco = getattr(stmt, "decorator_list", None)
        if deco and deco[0].lineno - 1 <= line and end_line <= last:
            return deco[0].lineno - 1, last
    return None


def _parses(chunk: str) -> bool:
    if chunk[:1] in (" ", "\t", "\f"):
        chunk = "if 1:\n" + chunk
    try:
        ast.parse(chunk)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def transform_region(region: str, first_line: int, targets: list[Target], newline: str) -> str:
    """libcst on one statement's text; ``first_line`` is its 0-based line in the document."""
    wrapped = region[:1] in (" ", "\t", "\f")
    code = ("if 1:" + newline + region) if wrapped else region
    if not code.endswith(("\n", "\r")):
        code += newline
        added = True
    else:
        added = False
    line_shift = first_line - (1 if wrapped else 0)
    result = _run(code, targets, line_shift)
    if added:
        result = result[: -len(newline)] if result.endswith(newline) else result
    if wrapped:
        head = "if 1:" + newline
        if not result.startswith(head):
            raise NotFixable("the edited statement changed shape")
        result = result[len(head):]
        if result.strip() == "pass" and region.strip() != "pass":
            return ""
    return result


def transform_module(text: str, targets: list[Target]) -> str:
    return _run(text, targets, 0)


# libcst's parser can take seconds, or crash the process, on deep nesting and huge statements
# (upstream issues #980 and #1000); such statements are refused before libcst sees them, which
# bounds the time of every fix in the server too (the CLI additionally has a per-file alarm).
MAX_FIX_REGION_CHARS = 200_000
MAX_FIX_NESTING = 60


def check_fixable_size(code: str) -> None:
    if len(code) > MAX_FIX_REGION_CHARS:
        raise NotFixable(f"the statement is too large to rewrite safely ({len(code)} characters)")
    depth = deepest = 0
    for char in code:
        if char in "([{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif char in ")]}":
            depth -= 1
    if deepest > MAX_FIX_NESTING:
        raise NotFixable(f"the statement nests {deepest} brackets deep; too complex to rewrite safely")


def _run(code: str, targets: list[Target], line_shift: int) -> str:
    check_fixable_size(code)
    module = cst.parse_module(code)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    transformer = TargetTransformer(targets, line_shift, module)
    new = wrapper.visit(transformer)
    missing = [t for t in targets if id(t) not in transformer.done]
    if missing:
        raise NotFixable(f"could not find the {missing[0].kind} target at line {missing[0].start[0] + 1}")
    return new.code


# -- the transformer ---------------------------------------------------------------------------

_SAFE_PARENTS = (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Return, cst.Expr, cst.Arg, cst.Element,
                 cst.DictElement, cst.StarredElement, cst.WithItem, cst.NamedExpr, cst.Yield, cst.Lambda,
                 cst.IfExp, cst.Index, cst.SimpleStatementLine)


class TargetTransformer(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, targets: list[Target], line_shift: int, module: cst.Module) -> None:
        super().__init__()
        self.by_start: dict[tuple[int, int], list[Target]] = {}
        for target in targets:
            key = (target.start[0] - line_shift + 1, target.start[1])
            self.by_start.setdefault(key, []).append(target)
        self.shift = line_shift
        self.done: set[int] = set()
        self.stack: list[cst.CSTNode] = []
        self.module = module
        # comments of rewritten expressions, by the (original) statement they go above
        self.lost_comments: dict[int, list[str]] = {}

    def _pos(self, node: cst.CSTNode) -> tuple[tuple[int, int], tuple[int, int]]:
        rng = self.get_metadata(PositionProvider, node)
        return (rng.start.line, rng.start.column), (rng.end.line - 1 + self.shift, rng.end.column)

    def _match(self, node: cst.CSTNode, kinds: tuple[str, ...]) -> Target | None:
        try:
            start, end = self._pos(node)
        except KeyError:
            return None
        for target in self.by_start.get(start, ()):
            if target.kind in kinds and id(target) not in self.done:
                if tuple(target.end) == end:
                    self.done.add(id(target))
                    return target
        return None

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.stack.append(node)
        return super().on_visit(node)

    def _leave(self, original_node: CSTNodeT, updated_node: CSTNodeT,
               ) -> CSTNodeT | cst.RemovalSentinel | cst.FlattenSentinel[CSTNodeT]:
        self.stack.pop()
        return super().on_leave(original_node, updated_node)

    def parent(self) -> cst.CSTNode | None:
        return self.stack[-1] if self.stack else None

    # names and attributes
    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        target = self._match(original, ("rename",))
        if target is not None:
            if "." in target.payload:
                return cst.parse_expression(target.payload).with_changes(lpar=updated.lpar, rpar=updated.rpar)
            return updated.with_changes(value=target.payload)
        return updated

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        target = self._match(original, ("rename",))
        if target is not None:
            return cst.Name(target.payload, lpar=updated.lpar, rpar=updated.rpar)
        return updated

    # strings
    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString) -> cst.BaseExpression:
        return self._string(original, updated)

    def leave_ConcatenatedString(self, original: cst.ConcatenatedString,
                                 updated: cst.ConcatenatedString) -> cst.BaseExpression:
        return self._string(original, updated)

    def _string(self, original: cst.SimpleString | cst.ConcatenatedString,
                updated: cst.SimpleString | cst.ConcatenatedString) -> cst.BaseExpression:
        target = self._match(original, ("string",))
        if target is None:
            return updated
        new = target.payload(self.module.code_for_node(original)) if callable(target.payload) else target.payload
        string = cst.SimpleString(new, lpar=updated.lpar, rpar=updated.rpar)
        self._keep_comments(original, string)
        return string

    # calls
    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        target = self._match(original, ("call",))
        if target is None:
            return updated
        return self._replace_expr(original, updated, target)

    def leave_Await(self, original: cst.Await, updated: cst.Await) -> cst.BaseExpression:
        target = self._match(original, ("await",))
        if target is None:
            return updated
        return self._replace_expr(original, updated, target)

    def _replace_expr(self, original: cst.Call | cst.Await, updated: cst.Call | cst.Await,
                      target: Target) -> cst.BaseExpression:
        new: cst.BaseExpression = target.payload(self.module, original, updated)
        self._keep_comments(original, new)
        parent = self.parent()
        needs_parens = not isinstance(parent, _SAFE_PARENTS) and not isinstance(new, (cst.Call, cst.Name, cst.Attribute))
        if isinstance(parent, cst.Expr) or parent is None:
            needs_parens = False
        lpar, rpar = list(updated.lpar), list(updated.rpar)
        if needs_parens and not lpar:
            lpar, rpar = [cst.LeftParen()], [cst.RightParen()]
        return new.with_changes(lpar=lpar, rpar=rpar)

    # comments: a rewritten expression's comments move above its statement, never get lost
    def _keep_comments(self, original: cst.CSTNode, new: cst.CSTNode) -> None:
        kept = _comments(new)
        lost = [c for c in _comments(original) if c not in kept]
        statement = next((node for node in reversed(self.stack)
                          if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement))), None)
        if lost and statement is not None:
            self.lost_comments.setdefault(id(statement), []).extend(lost)

    def on_leave(self, original_node: CSTNodeT, updated_node: CSTNodeT,  # type: ignore[override]
                 ) -> CSTNodeT | cst.RemovalSentinel | cst.FlattenSentinel[CSTNodeT]:
        result = self._leave(original_node, updated_node)
        lost = self.lost_comments.pop(id(original_node), None) if self.lost_comments else None
        if lost and isinstance(result, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            lines = [cst.EmptyLine(indent=True, comment=cst.Comment(text)) for text in lost]
            return cast(CSTNodeT, result.with_changes(leading_lines=[*result.leading_lines, *lines]))
        return result

    # statements
    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> SmallStatementResult:
        return self._statement(original, updated)

    def leave_Import(self, original: cst.Import, updated: cst.Import) -> SmallStatementResult:
        return self._statement(original, updated)

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> SmallStatementResult:
        return self._statement(original, updated)

    def _statement(self, original: cst.BaseSmallStatement, updated: cst.BaseSmallStatement) -> SmallStatementResult:
        start, _ = self._pos(original)
        for target in self.by_start.get(start, ()):
            if target.kind in ("import", "extend-import", "replace-stmt") and id(target) not in self.done:
                self.done.add(id(target))
                result: SmallStatementResult = target.payload(updated)
                return result
        return updated

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine,
                                  updated: cst.SimpleStatementLine) -> StatementResult:
        return cast(StatementResult, _flatten(original, updated))

    def leave_SimpleStatementSuite(self, original: cst.SimpleStatementSuite,
                                   updated: cst.SimpleStatementSuite) -> cst.BaseSuite:
        return cast(cst.BaseSuite, _flatten(original, updated))

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.BaseSuite:
        if not updated.body:
            return updated.with_changes(body=[cst.SimpleStatementLine([cst.Pass()])])
        return updated



def _comments(node: cst.CSTNode) -> list[str]:
    """The comments inside a node, in order."""
    found: list[str] = []

    class Collect(cst.CSTVisitor):
        def visit_Comment(self, comment: cst.Comment) -> None:
            found.append(comment.value)

    node.visit(Collect())
    return found


def _flatten(original: cst.SimpleStatementLine | cst.SimpleStatementSuite,
             updated: cst.SimpleStatementLine | cst.SimpleStatementSuite) -> StatementResult | cst.BaseSuite:
    """A statement whose small statement a payload removed or expanded into several (one per line)."""
    body = list(updated.body)
    if not body:
        if isinstance(updated, cst.SimpleStatementSuite):
            return updated.with_changes(body=[cst.Pass()])
        return cst.RemovalSentinel.REMOVE
    if len(original.body) == 1 and len(body) > 1 and isinstance(updated, cst.SimpleStatementLine):
        last = len(body) - 1
        return cst.FlattenSentinel([
            cst.SimpleStatementLine(
                [stmt.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)],
                leading_lines=updated.leading_lines if i == 0 else (),
                trailing_whitespace=updated.trailing_whitespace if i == last else cst.TrailingWhitespace())
            for i, stmt in enumerate(body)])
    return updated
