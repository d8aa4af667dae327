"""The cross-file fix of a compatibility re-export (issue 15 §4).

A module that re-exports a legacy class (``from legacy import ExecutionEngine`` listed in its
``__all__``, or bound in a package ``__init__`` that other modules import it from) must never lose
that name alone: every importer would break. Its single-file fix is therefore refused
(``ReexportNotFixable``); this module builds the fix that does it all at once:

1. the re-exporting import is fixed as usual, except that the name leaves the module (its import
   and its ``__all__`` entries go; its own uses there become the canonical class);
2. every workspace module importing the name from it gets its own import fix, exactly the
   single-file fix of that import (annotations, constructions through the factory, the canonical
   import merged with an existing one); an importer that is itself a re-export (a chain) is fixed
   the same way, recursively; a star importer that does not use the name only passes it on (its
   importers are followed); 
3. the whole set is verified together (``fixes/verify_group.py``) and offered as one unsafe edit.

When any affected module cannot be rewritten — a star importer using the name, ``import shim as
s; s.ExecutionEngine``, a ``patch("shim.ExecutionEngine")`` target, an importer whose own fix is
refused — nothing is offered and the reason names that importer's ``path:line``.

Importer fixes are computed against the index as it is (the shim still exports the name: that is
what each importer's own finding and fix are about); only verification sees every changed file at
once.
"""

from __future__ import annotations

import ast
import os
import re
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ssot_lsp.config.model import Config
from ssot_lsp.core.analysis import analyze_text
from ssot_lsp.core.facts import FileFacts, ImportFact
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.rules.legacy_construction import ConstructionPayload
from ssot_lsp.core.rules.legacy_import import ImportPayload
from ssot_lsp.core.violations import Violation
from ssot_lsp.fixes.document import Doc, NotFixable, prepare_tree
from ssot_lsp.fixes.spent_suppressions import without_spent_suppressions
from ssot_lsp.fixes.transform import Plan, apply_plan
from ssot_lsp.fixes.verify import verify

Reader = Callable[[str], "str | None"]  # the current text of a workspace file (open buffer or disk)
MAX_ROUNDS = 20  # fixes applied in one file of a group


@dataclass
class FileChange:
    """One file of a cross-file fix: its text as read and as fixed."""

    path: str
    module: str
    is_package: bool
    old_text: str
    new_text: str
    sites: int = 0  # fixes applied in it

    @property
    def changed(self) -> bool:
        return self.new_text != self.old_text


@dataclass
class CrossFileFix:
    """The fix of one re-export site: every file it changes, or why it is withheld."""

    violation: Violation
    title: str
    changes: dict[str, FileChange] = field(default_factory=dict)  # path -> change (unchanged files too)
    reason: str | None = None  # withheld: why, naming the file and line that stops it
    removed: set[tuple[str, str]] = field(default_factory=set)  # (module, name) the fix takes away

    def relies_on(self, texts: Mapping[str, str], module_of: Callable[[str], tuple[str, bool]]) -> set[str]:
        """Of ``texts`` (path -> the text as read, before any fix), the files that import a name this
        fix takes away: their own fixes (made earlier in the same run) must be written with it."""
        from ssot_lsp.core.facts import extract_facts

        names = {name for _, name in self.removed}
        if not names:
            return set()
        pattern = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, names))) + r")\b")
        out = set()
        for path, text in texts.items():
            if path in self.changes or not pattern.search(text):
                continue
            facts = extract_facts(text, path, *module_of(path))
            if any((imp.module, imp.name) in self.removed for imp in facts.imports):
                out.add(path)
        return out

    @property
    def changed(self) -> dict[str, FileChange]:
        return {path: change for path, change in self.changes.items() if change.changed}

    @property
    def sites(self) -> int:
        return sum(change.sites for change in self.changes.values())


class Withheld(Exception):
    """The cross-file fix is not offered; the message says where and why."""


def where(path: str, line: int | None, root: str | None) -> str:
    """``path:line`` (1-based line), relative to ``root`` when the path is inside it."""
    shown = path
    if root is not None:
        rel = os.path.relpath(path, root)
        shown = path if rel.startswith("..") else rel
    return shown if line is None else f"{shown}:{line + 1}"


def cross_file_fix(path: str, text: str, violation: Violation, index: WorkspaceIndex, config: Config,
                   read: Reader, root: str | None = None) -> CrossFileFix:
    """The cross-file fix of the re-export ``violation`` (an SSOT001 in ``path``), verified as a whole."""
    from ssot_lsp.fixes.api import action_title
    from ssot_lsp.fixes.verify_group import verify_group

    configured = config.group(violation.group) if violation.group else None
    group = _Group(index, config, read, root, configured.canonical if configured is not None else "")
    group.seed(path, text)
    data = violation.payload
    canonical = configured.canonical_name if configured is not None else "the canonical class"
    name = data.bound if isinstance(data, ImportPayload) and data.bound else violation.symbol
    title = action_title(f"Drop the re-export {name} (migrate its importers to {canonical})", safe=False)
    fix = CrossFileFix(violation, title, group.changes)
    try:
        exported = group.fix_sites(path, lambda v: (v.code, v.span, v.symbol) == (
            violation.code, violation.span, violation.symbol), first_only=True)
        if not exported:
            raise Withheld(f"{where(path, violation.span.line, root)}: the import is not a re-export any more")
        importers = group.follow(exported)
        fix.removed = group.removed
        problem = verify_group(violation, path, group.changes, index, config, root)
        if problem:
            raise Withheld(f"rejected by verification: {problem}")
    except Withheld as exc:
        fix.reason = f"the cross-file fix is withheld: {exc}"
        return fix
    fix.title = action_title(f"Drop the re-export {name}, migrate {importers} importer"
                             f"{'s' if importers != 1 else ''} (to {canonical})", safe=False)
    return fix


class _Group:
    """The files of one cross-file fix, fixed site by site."""

    def __init__(self, index: WorkspaceIndex, config: Config, read: Reader, root: str | None,
                 canonical: str) -> None:
        self.index, self.config, self.read, self.root = index, config, read, root
        self.canonical = canonical  # ``module:Name`` of the group's canonical class
        self.changes: dict[str, FileChange] = {}
        self.removed: set[tuple[str, str]] = set()

    def seed(self, path: str, text: str) -> FileChange:
        module, is_package = self.index.module_of_path(path)
        change = self.changes[path] = FileChange(path, module, is_package, text, text)
        return change

    def file(self, path: str) -> FileChange:
        change = self.changes.get(path)
        if change is not None:
            return change
        text = self.read(path)
        if text is None:
            raise Withheld(f"{where(path, None, self.root)} cannot be read")
        return self.seed(path, text)

    def fix_sites(self, path: str, wanted: Callable[[Violation], bool],
                  first_only: bool = False) -> list[tuple[str, str]]:
        """Fix every finding of ``path`` that ``wanted`` selects, one at a time (each verified as a
        single-file fix is); returns the (module, name) re-exports these fixes removed."""
        change = self.file(path)
        exported: list[tuple[str, str]] = []
        for _ in range(MAX_ROUNDS):
            violations = analyze_text(self.index, self.config, path, change.new_text, change.module,
                                      change.is_package, keep=False).violations
            target = next((v for v in violations if wanted(v)), None)
            if target is None:
                return exported
            doc = Doc(change.new_text, path, change.module, change.is_package, self.index, self.config, violations)
            try:
                new_text, plan, reexported = _compute(doc, target)
                problem = verify(doc, target, new_text, plan, violations)
            except NotFixable as exc:
                raise Withheld(f"{where(path, target.span.line, self.root)}: {exc}") from None
            if problem:
                raise Withheld(f"{where(path, target.span.line, self.root)}: the fix there is rejected by "
                               f"verification: {problem}")
            change.new_text = new_text
            change.sites += 1
            if reexported:
                exported.append((change.module, reexported))
            if first_only:
                return exported
        raise Withheld(f"{where(path, None, self.root)}: too many sites to rewrite")

    def follow(self, exported: list[tuple[str, str]]) -> int:
        """Rewrite every module that reaches an exported name through the modules that lose it;
        returns how many importers were rewritten."""
        work = deque(exported)
        seen: set[tuple[str, str]] = set()
        rewritten: set[str] = set()
        while work:
            module, name = work.popleft()
            if (module, name) in seen:
                continue
            seen.add((module, name))
            public = set(self.index.exported_names(module))
            for facts in list(self.index.facts_by_module.values()):
                if facts.module == module:
                    continue
                self._unparsed_importer(facts, module, name)
                for imp in facts.imports:
                    how = _how_imported(imp, module, name, name in public)
                    if how == "name":
                        work.extend(self.fix_sites(facts.path, _imports_name(module, name)))
                        rewritten.add(facts.path)
                    elif how == "star":
                        self._star_importer(facts, imp, module, name, work)
                    elif how == "module" and self._module_importer(facts, imp, module, name):
                        rewritten.add(facts.path)
                self._patch_targets(facts, module, name)
        self._nothing_left(seen, rewritten)
        self.removed = seen
        return len(rewritten)

    def _star_importer(self, facts: FileFacts, imp: ImportFact, module: str, name: str,
                       work: deque[tuple[str, str]]) -> None:
        text = self.file(facts.path).new_text
        if re.search(rf"\b{re.escape(name)}\b", text):
            raise Withheld(f"{where(facts.path, imp.stmt_line, self.root)} star-imports `{name}` from {module} "
                           f"and uses it: make that import explicit, then fix again")
        work.append((facts.module, name))  # it passes the name on: its own importers lose it too

    def _module_importer(self, facts: FileFacts, imp: ImportFact, module: str, name: str) -> bool:
        """``import shim as s`` (or ``from package import shim``) with ``s.ExecutionEngine`` uses: its
        constructions get their own fixes (SSOT002, the factory call), its type references (annotations,
        ``isinstance``, mock specs) become the canonical class; any other use withholds the fix."""
        access = imp.bound if imp.name is not None or imp.asname else module
        if not access or not re.search(_attribute_pattern(access, name), self.file(facts.path).new_text):
            return False
        self.fix_sites(facts.path, lambda v: v.code == "SSOT002" and isinstance(v.payload, ConstructionPayload)
                       and v.payload.callee == f"{access}.{name}")
        change = self.file(facts.path)
        try:
            new_text = self._renamed_module_uses(change, access, name)
        except NotFixable as exc:
            said = re.search(r"at line (\d+)", str(exc))
            raise Withheld(f"{where(facts.path, int(said.group(1)) - 1 if said else None, self.root)}: {exc}") from None
        match = re.search(_attribute_pattern(access, name), new_text)
        if match:
            line = new_text.count("\n", 0, match.start())
            raise Withheld(f"{where(facts.path, line, self.root)} uses `{access}.{name}` through the module in a way "
                           "no fix rewrites; rewrite it to the canonical class by hand, then fix again")
        if new_text != change.new_text:
            change.new_text = _without_unused_import(change, new_text, self, access.partition(".")[0])
            change.sites += 1
        return True

    def _renamed_module_uses(self, change: FileChange, access: str, name: str) -> str:
        """``access.name`` type references renamed to the canonical class, which is imported."""
        from ssot_lsp.fixes.import_edits import ensure_import
        from ssot_lsp.fixes.imports import _use_kind, walk
        from ssot_lsp.fixes.transform import Target

        doc = Doc(change.new_text, change.path, change.module, change.is_package, self.index, self.config, [])
        canonical_module, _, canonical = self.canonical.partition(":")
        root = access.partition(".")[0]
        found = walk(doc.tree, {root, canonical})
        if any(not isinstance(b, ast.ImportFrom) or b.module != canonical_module
               for b in found.bindings.get(canonical, [])):
            raise NotFixable(f"`{canonical}` is already bound to something else there")
        plan = Plan()
        for node, ancestors in found.uses:
            expr: ast.expr = node
            parents = ancestors
            for part in access.split(".")[1:] + [name]:
                parent = parents[-1] if parents else None
                if not (isinstance(parent, ast.Attribute) and parent.value is expr and parent.attr == part):
                    break
                expr, parents = parent, parents[:-1]
            else:
                _use_kind(expr, parents, parents[-1] if parents else None, parents[-2] if len(parents) > 1 else None)
                start_line, start_col, end_line, end_col = doc.node_range(expr)
                plan.targets.append(Target("rename", (start_line, start_col), (end_line, end_col), canonical))
        pattern = re.compile(_attribute_pattern(access, name))
        for const, _ in found.strings:
            if pattern.search(str(const.value)):
                start_line, start_col, end_line, end_col = doc.node_range(const)
                plan.targets.append(Target("string", (start_line, start_col), (end_line, end_col),
                                           lambda code, p=pattern: p.sub(canonical, code)))
        if not plan.targets:
            return change.new_text
        ensure_import(doc, plan, canonical_module, canonical)
        return apply_plan(doc, plan)

    def _unparsed_importer(self, facts: FileFacts, module: str, name: str) -> None:
        """A file with a syntax error (half-typed in the editor) has no facts: it may import ``name``
        from ``module`` where nothing sees it, and would break once it parses again. Its import lines
        are read as text; one that reaches ``module`` withholds the fix."""
        problem = facts.problem
        if problem is None or problem.newer_syntax:
            return
        text = self.read(facts.path)
        line = None if text is None else _import_line_reaching(text, facts.module, facts.is_package, module)
        if text is None or line is not None:
            shown = where(facts.path, problem.span.line if line is None else line, self.root)
            raise Withheld(f"{shown} imports from {module} in a file with a {problem.message} (line "
                           f"{problem.span.line + 1}); what it takes from there is unknown: fix the syntax "
                           f"error, then fix again")

    def _patch_targets(self, facts: FileFacts, module: str, name: str) -> None:
        dotted = f"{module}.{name}"
        for ref in facts.string_refs:
            if ref.value == dotted or ref.value.startswith(dotted + "."):
                raise Withheld(f"{where(facts.path, ref.span.line, self.root)} patches `{ref.value}`, which the "
                               f"fix removes: move that patch by hand, then fix again")

    def _nothing_left(self, seen: set[tuple[str, str]], importers: set[str]) -> None:
        """No importer still imports a removed name (a site no fix reached: suppressed, or in a
        module where the rule is off)."""
        from ssot_lsp.core.facts import extract_facts

        for path in sorted(importers):
            change = self.changes[path]
            facts = extract_facts(change.new_text, path, change.module, change.is_package)
            for imp in facts.imports:
                if (imp.module, imp.name) in seen:
                    raise Withheld(f"{where(path, imp.stmt_line, self.root)} still imports `{imp.name}` from "
                                   f"{imp.module}: no fix reaches it there (suppressed, or the rule is off in "
                                   "that file); migrate it by hand, then fix again")


def _without_unused_import(change: FileChange, text: str, group: _Group, bound: str) -> str:
    """``text`` without the module-level import binding ``bound`` when nothing uses it any more (the
    module a rewritten ``shim.ExecutionEngine`` went through)."""
    import libcst as cst

    from ssot_lsp.fixes.import_edits import alias_name, remove_aliases
    from ssot_lsp.fixes.imports import walk
    from ssot_lsp.fixes.transform import Target

    doc = Doc(text, change.path, change.module, change.is_package, group.index, group.config, [])
    found = walk(doc.tree, {bound})
    if found.uses or any(re.search(rf"\b{re.escape(bound)}\b", str(c.value)) for c, _ in found.strings) or \
            any(e.value == bound for e in found.all_entries):
        return text

    def binds(alias: cst.ImportAlias) -> bool:
        asname = alias.asname.name if alias.asname is not None else None
        named = asname.value if isinstance(asname, cst.Name) else alias_name(alias).partition(".")[0]
        return named == bound

    def drop(node: cst.CSTNode) -> cst.CSTNode | cst.RemovalSentinel:
        kept = remove_aliases(cst.ensure_type(node, (cst.Import, cst.ImportFrom)), binds)  # type: ignore[arg-type]
        return kept if kept is not None else cst.RemovalSentinel.REMOVE

    plan = Plan()
    for stmt in doc.tree.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)) and any(
                (a.asname or a.name.partition(".")[0]) == bound for a in stmt.names):
            line, col = doc.node_range(stmt)[:2]
            plan.targets.append(Target("import", (line, col), (line, col), drop))
    return apply_plan(doc, plan) if plan.targets else text


def _attribute_pattern(access: str, name: str) -> str:
    return rf"\b{re.escape(access)}\s*\.\s*{re.escape(name)}\b"


def _how_imported(imp: ImportFact, module: str, name: str, public: bool) -> str | None:
    """How an import reaches ``module.name``: 'name' (``from module import name``), 'star', 'module'
    (the module itself is bound: ``import module [as m]``, ``from package import module``), or None."""
    if imp.module == module:
        if imp.name == name:
            return "name"
        if imp.name == "*":
            return "star" if public else None
        if imp.name is None:
            return "module"
        return None
    package, _, last = module.rpartition(".")
    if imp.module == package and imp.name == last:
        return "module"
    return None


def _imports_name(module: str, name: str) -> Callable[[Violation], bool]:
    def wanted(v: Violation) -> bool:
        data = v.payload
        return v.code == "SSOT001" and isinstance(data, ImportPayload) and data.module == module and data.name == name

    return wanted


def _compute(doc: Doc, violation: Violation) -> tuple[str, Plan, str | None]:
    """(new text, plan, the re-exported name it removed) of one site's fix; re-exports allowed."""
    from ssot_lsp.fixes.api import compute_fix, fix_of
    from ssot_lsp.fixes.imports import fix_legacy_import
    from ssot_lsp.core.rules.registry import rule_for

    if violation.code != "SSOT001":
        candidate = compute_fix(doc, violation)
        return without_spent_suppressions(doc, candidate.new_text, doc.violations), candidate.plan, None
    fix = fix_of(rule_for(violation.code))
    if fix is not None:
        prepare_tree(doc, fix.words(doc, violation))
    edit = fix_legacy_import(doc, violation, reexport_ok=True)
    new_text = apply_plan(doc, edit.plan)
    return without_spent_suppressions(doc, new_text, doc.violations), edit.plan, edit.reexported


_IMPORT_LINE = re.compile(r"^[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import\b(.*)|import[ \t]+([^#\n]+))", re.M)


def _import_line_reaching(text: str, own: str, is_package: bool, module: str) -> int | None:
    """The 0-based line of the first import statement in ``text`` that reaches ``module`` (from it,
    of it from its package, or ``import`` of it), read line by line so that a file that does not
    parse is read too."""
    for match in _IMPORT_LINE.finditer(text):
        dots, source, names, plain = match.groups()
        line = text.count("\n", 0, match.start())
        if plain is not None:  # ``import shim`` or ``import shim.sub`` (both bind a path to shim's names)
            targets = [part.split(" as ")[0].strip() for part in plain.split(",")]
            if any(t == module or t.startswith(module + ".") for t in targets):
                return line
            continue
        base = own.split(".") if is_package else own.split(".")[:-1]
        if dots:
            base = base[:len(base) - (len(dots) - 1)]
        resolved = ".".join(part for part in [*base, source] if part) if dots else source
        if "(" in names:  # the names of a parenthesised import run to the closing parenthesis
            close = text.find(")", match.start(3))
            names = text[match.start(3):close if close >= 0 else len(text)]
        if resolved == module or module in {f"{resolved}.{word}" for word in re.findall(r"\w+", names)}:
            return line
    return None
