"""Verification of a cross-file fix as a whole (``fixes/cross_file.py``).

Each file's fix was verified alone when it was computed (``fixes/verify.py``); what only the whole
set can show is checked here, with every changed file's new facts standing in for it in the index
at once, on the changed files and on every module that imports from one of them (the dependents):

1. every changed file parses;
2. the re-export's finding is gone;
3. no file (changed or dependent) reports a finding it did not report before;
4. no new undefined names: a changed file loads no name that it does not bind and did not load
   unbound before, and no import (in a changed file or a dependent) names something a changed
   module would no longer define.

Each check returns None or the reason naming ``path`` (and line); ``tests/fixes/test_cross_file.py``
has, for each check, a group that only that check rejects.
"""

from __future__ import annotations

import ast
import builtins
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

from ssot_lsp.config.model import Config
from ssot_lsp.core.engine import analyze
from ssot_lsp.core.facts import FileFacts, extract_facts
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.prefilter import watch_names
from ssot_lsp.core.rules.breakage import binds
from ssot_lsp.core.text import UndecodableSource, decode_source
from ssot_lsp.core.violations import Violation
from ssot_lsp.fixes.cross_file import FileChange, where

_BUILTINS = set(dir(builtins)) | {"__file__", "__name__", "__doc__", "__spec__", "__path__", "__package__",
                                  "__loader__", "__builtins__", "__annotations__", "__dict__", "__class__"}


def verify_group(target: Violation, target_path: str, changes: Mapping[str, FileChange], index: WorkspaceIndex,
                 config: Config, root: str | None = None) -> str | None:
    """None when the set of changes is acceptable as a whole, else why not."""
    changed = {path: change for path, change in changes.items() if change.changed}
    if not changed:
        return "the fix changes nothing"
    trees: dict[str, ast.Module] = {}
    for path, change in changed.items():
        try:
            trees[path] = ast.parse(change.new_text)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            return f"{where(path, None, root)}: the result does not parse: {exc}"
    old_trees = {path: _parsed(c.old_text) for path, c in changed.items()}
    watch = watch_names(config)
    old_facts = {path: extract_facts(c.old_text, path, c.module, c.is_package, tree=old_trees[path], watch=watch)
                 for path, c in changed.items()}
    new_facts = {path: extract_facts(c.new_text, path, c.module, c.is_package, tree=trees[path], watch=watch)
                 for path, c in changed.items()}
    dependents = _dependents(index, {c.module for c in changed.values()}, set(changed))
    dependents.update(_unindexed_dependents(index, config, old_facts, new_facts, set(changed)))
    with _standing_in(index, old_facts.values()):
        before = _analyses(index, config, old_facts, dependents)
        imports_before = _imports_bound(index, old_facts, dependents, changed)
    with _standing_in(index, new_facts.values()):
        after = _analyses(index, config, new_facts, dependents)
        imports_after = _imports_bound(index, new_facts, dependents, changed)
    return (finding_gone(target, before.get(target_path, []), after.get(target_path, []))
            or nothing_new(before, after, root)
            or no_new_undefined(old_trees, trees, root)
            or imports_still_bound(imports_before, imports_after, root))


def finding_gone(target: Violation, before: list[Violation], after: list[Violation]) -> str | None:
    key = _key(target)
    if sum(_key(v) == key for v in after) >= sum(_key(v) == key for v in before):
        return "the re-export is still reported after the fix"
    return None


def nothing_new(before: dict[str, list[Violation]], after: dict[str, list[Violation]], root: str | None) -> str | None:
    for path in sorted(after):
        new = Counter(_key(v) for v in after[path]) - Counter(_key(v) for v in before.get(path, []))
        if new:
            code, _, message = next(iter(new))
            line = next(v.span.line for v in after[path] if _key(v) == (code, _, message))
            return f"{where(path, line, root)}: the fix would introduce {code} ({message})"
    return None


def no_new_undefined(before: Mapping[str, ast.Module | None], after: Mapping[str, ast.Module],
                     root: str | None) -> str | None:
    for path in sorted(after):
        old_tree = before.get(path)
        old = undefined_names(old_tree) if old_tree is not None else {}
        new = undefined_names(after[path])
        for name in sorted(set(new) - set(old)):
            return f"{where(path, new[name], root)}: `{name}` would be used but not defined"
    return None


def _parsed(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def imports_still_bound(before: dict[tuple[str, int, str, str], bool | None],
                        after: dict[tuple[str, int, str, str], bool | None], root: str | None) -> str | None:
    for (path, line, module, name), bound in sorted(after.items()):
        if bound is False and before.get((path, line, module, name)) is not False:
            return f"{where(path, line, root)}: imports `{name}` from {module}, which would no longer define it"
    return None


def undefined_names(tree: ast.Module) -> dict[str, int]:
    """Names the module loads but binds nowhere (scope-insensitive), with the 0-based line of the
    first load: compared before and after a fix, what a fix left dangling."""
    loaded: dict[str, int] = {}
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                loaded.setdefault(node.id, node.lineno - 1)
            else:
                bound.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update(a.asname or a.name.partition(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
    return {name: line for name, line in loaded.items() if name not in bound and name not in _BUILTINS}


def _key(v: Violation) -> tuple[str, str, str]:
    return (v.code, v.symbol, v.message)


def _dependents(index: WorkspaceIndex, modules: set[str], changed: set[str]) -> dict[str, FileFacts]:
    """Unchanged modules importing from a changed module (by name, star or as a module)."""
    out: dict[str, FileFacts] = {}
    for facts in index.facts_by_module.values():
        if facts.path in changed:
            continue
        for imp in facts.imports:
            if imp.module in modules or (imp.name is not None and f"{imp.module}.{imp.name}" in modules):
                out[facts.path] = facts
                break
    return out


def _unindexed_dependents(index: WorkspaceIndex, config: Config, old: Mapping[str, FileFacts],
                          new: Mapping[str, FileFacts], changed: set[str]) -> dict[str, FileFacts]:
    """Modules the workspace scan skipped (they spell no needle) that import a name a changed module
    no longer binds. Names reaching a group are needles (or discovered ones), so only other names
    removed need this text scan of the files the index holds no facts for."""
    watched = watch_names(config)
    removed = {old[path].module: set(old[path].bindings) - set(new[path].bindings) - watched for path in old}
    names = {name for names in removed.values() for name in names}
    if not names:
        return {}
    pattern = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, names))) + r")\b")
    out: dict[str, FileFacts] = {}
    for module, path in list(index.known_modules.items()):
        if module in index.facts_by_module or path in changed or not path.endswith((".py", ".pyi")):
            continue
        try:
            text = decode_source(Path(path).read_bytes())[0]
        except (OSError, UndecodableSource):
            continue
        if not pattern.search(text):
            continue
        facts = extract_facts(text, path, module, os.path.basename(path).startswith("__init__."), watch=watched)
        if any(imp.module in removed and imp.name in removed[imp.module] for imp in facts.imports):
            out[path] = facts
    return out


def _analyses(index: WorkspaceIndex, config: Config, changed: Mapping[str, FileFacts],
              dependents: Mapping[str, FileFacts]) -> dict[str, list[Violation]]:
    """The findings of every changed file and dependent (the changed files' facts stand in already)."""
    return {path: analyze(facts, index, config) for path, facts in [*changed.items(), *dependents.items()]}


def _imports_bound(index: WorkspaceIndex, changed: Mapping[str, FileFacts], dependents: Mapping[str, FileFacts],
                   changes: Mapping[str, FileChange]) -> dict[tuple[str, int, str, str], bool | None]:
    """Whether each from-import of a name from a changed module still finds it there."""
    modules = {c.module for c in changes.values()}
    out: dict[tuple[str, int, str, str], bool | None] = {}
    for path, facts in [*changed.items(), *dependents.items()]:
        for imp in facts.imports:
            if imp.module in modules and imp.name not in (None, "*"):
                assert imp.name is not None
                out[(path, imp.stmt_line, imp.module, imp.name)] = binds(index, imp.module, imp.name)
    return out


@contextmanager
def _standing_in(index: WorkspaceIndex, facts: object) -> Iterator[None]:
    """Every changed file's new facts in the index at once; afterwards the index is as before."""
    with ExitStack() as stack:
        for item in facts:  # type: ignore[attr-defined]
            stack.enter_context(index.substituted(item))
        yield
