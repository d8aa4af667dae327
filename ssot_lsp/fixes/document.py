"""The document a fix works on: its text, lines, tree (parsed only as far as the fix needs) and context.

``Doc`` bundles one document with the workspace index and configuration; a fix reads it and never
parses more than it must: ``prepare_tree`` gives it a tree holding only the module-level statements
that mention the fix's words (``core/partial/fix_tree.py``), or the whole tree when it was already
parsed (verification keeps the trees of the texts it checked).
"""

from __future__ import annotations

import ast
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from ssot_lsp.config.model import Config, Group
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.payload import Payload
from ssot_lsp.core.text import byte_to_cp, line_offsets, split_lines
from ssot_lsp.core.violations import Violation

if TYPE_CHECKING:
    from ssot_lsp.core.facts import Positioned


class NotFixable(Exception):
    """Raised inside a fix: the message is the reason shown to the user."""


class ReexportNotFixable(NotFixable):
    """The import is a compatibility re-export: only the cross-file fix (``fixes/cross_file.py``),
    which rewrites its importers in the same edit, may remove it."""


P = TypeVar("P", bound=Payload)


def payload_of(violation: Violation, kind: type[P]) -> P:
    """The violation's payload, which must be a ``kind`` (a finding rebuilt from bad data is not)."""
    if not isinstance(violation.payload, kind):
        raise NotFixable(f"the finding carries no {kind.KIND} data (the document changed?)")
    return violation.payload


def group_words(doc: Doc, violation: Violation, *names: str | None) -> set[str]:
    """``names`` plus the group's canonical name and the factory's imported names: what a fix that
    rewrites to the canonical class looks for in the tree (see ``prepare_tree``)."""
    words = {name for name in names if name}
    group = doc.config.group(violation.group) if violation.group else None
    if group is not None:
        words.add(group.canonical_name)
        if group.factory is not None:
            words.update(spec.split(":", 1)[-1] for spec in group.factory.imports)
    return {w for w in words if w.isidentifier()}


# -- documents ---------------------------------------------------------------------------------

_TREES: OrderedDict[int, tuple[str, ast.Module]] = OrderedDict()


def parse_cached(text: str) -> ast.Module:
    """``ast.parse`` with a small cache: verification parses the result, the next round reuses it."""
    key = hash(text)
    hit = _TREES.get(key)
    if hit is not None and hit[0] == text:
        _TREES.move_to_end(key)
        return hit[1]
    tree = ast.parse(text)
    remember_tree(text, tree)
    return tree


def cached_tree(text: str) -> ast.Module | None:
    hit = _TREES.get(hash(text))
    return hit[1] if hit is not None and hit[0] == text else None


# Off: fixes parse the whole document (the reference behaviour the tests compare the fast path with).
FAST_PATH = True


def prepare_tree(doc: Doc, words: set[str] | None) -> None:
    """Give ``doc`` a tree that holds every module-level statement mentioning ``words`` or ``import``:
    the whole tree when it is cached, else a partial one (``chunks.partial_tree``), else the whole
    tree parsed now. Code that reads ``doc.tree`` after this must only look for those words.
    ``words=None``: the whole tree."""
    if doc._tree is not None and (doc._partial_words is None or (words is not None and words <= doc._partial_words)):
        return
    tree = cached_tree(doc.text)
    if tree is not None:
        if FAST_PATH and words is not None:
            from ssot_lsp.core.partial.fix_tree import filter_tree

            wanted = set(words) | (doc._partial_words or set())
            filtered = filter_tree(tree, doc.text, doc.offsets, wanted)
            if filtered is not None:
                doc._tree, doc._partial_words = filtered, frozenset(wanted)
                return
        doc._tree, doc._partial_words = tree, None
        return
    if FAST_PATH and words is not None:
        from ssot_lsp.core.partial.fix_tree import partial_tree

        wanted = set(words) | (doc._partial_words or set())
        tree = partial_tree(doc.text, doc.offsets, wanted)
        if tree is not None:
            doc._tree, doc._partial_words = tree, frozenset(wanted)
            return
    doc._tree, doc._partial_words = None, None
    doc.tree  # noqa: B018 - parse the whole document


def remember_tree(text: str, tree: ast.Module) -> None:
    _TREES[hash(text)] = (text, tree)
    while len(_TREES) > 6:
        _TREES.popitem(last=False)


def newline_of(text: str) -> str:
    index = text.find("\n")
    if index > 0 and text[index - 1] == "\r":
        return "\r\n"
    if index < 0 and "\r" in text:
        return "\r"
    return "\n"


@dataclass
class Doc:
    """One document being fixed, with everything derived from it computed lazily."""

    text: str
    path: str
    module: str
    is_package: bool
    index: WorkspaceIndex
    config: Config
    violations: list[Violation]
    _lines: list[str] | None = None
    _offsets: list[int] | None = None
    _tree: ast.Module | None = None
    _partial_words: frozenset[str] | None = None  # set: _tree holds only the statements naming these

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = split_lines(self.text)
        return self._lines

    @property
    def offsets(self) -> list[int]:
        if self._offsets is None:
            self._offsets = line_offsets(self.text)
        return self._offsets

    @property
    def tree(self) -> ast.Module:
        if self._tree is None:
            try:
                self._tree = parse_cached(self.text)
            except (SyntaxError, ValueError) as exc:
                raise NotFixable(f"the file does not parse with this Python ({exc.__class__.__name__}); "
                                 "fix it by hand") from None
        return self._tree

    @property
    def newline(self) -> str:
        return newline_of(self.text)

    def offset(self, line: int, col: int) -> int:
        return self.offsets[line] + col

    def line_end(self, line: int) -> int:
        """Offset of the end of a line's content (before its terminator)."""
        return self.offsets[line] + len(self.lines[line])

    def node_range(self, node: Positioned) -> tuple[int, int, int, int]:
        """(line, col, end_line, end_col): 0-based lines, code-point columns."""
        lines = self.lines
        line, end_line = node.lineno - 1, (node.end_lineno or node.lineno) - 1
        end_col = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        return (line, byte_to_cp(lines[line], node.col_offset), end_line, byte_to_cp(lines[end_line], end_col))


def group_of(config: Config, violation: Violation) -> Group:
    group = config.group(violation.group) if violation.group else None
    if group is None:
        raise NotFixable("the violation belongs to no configured group")
    return group
