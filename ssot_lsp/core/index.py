"""Workspace index: module name -> facts, and "what does this name really refer to?".

Resolution follows from-imports, package re-exports, module-level aliases and star imports to a
fixpoint with a cycle guard. Modules the prefilter skipped are loaded on demand through
``loader`` so that skipping is never the reason a chain is not followed. The index updates one
file at a time, which is what the language server needs for unsaved buffers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from ssot_lsp.core.facts import ClassFact, FileFacts

MAX_DEPTH = 64


@dataclass(frozen=True, slots=True)
class Ref:
    """What a name refers to: a module, or a symbol ``name`` defined (or unresolved) in ``module``.

    ``attr`` is an attribute path below the symbol (``Class.method``); ``kind`` is the defining
    binding's kind when the symbol was found in the workspace ('class', 'def', 'other') and
    'external' when the module is not part of it.
    """

    module: str
    name: str | None = None
    attr: str | None = None
    kind: str = "external"

    @property
    def is_module(self) -> bool:
        return self.name is None

    @property
    def qualname(self) -> str:
        if self.name is None:
            return self.module
        return f"{self.module}:{self.name}" + (f".{self.attr}" if self.attr else "")

    @property
    def symbol(self) -> str:
        return f"{self.module}:{self.name}"


class WorkspaceIndex:
    def __init__(self, known_modules: dict[str, str] | None = None,
                 loader: Callable[[str], FileFacts | None] | None = None) -> None:
        self.facts_by_module: dict[str, FileFacts] = {}
        self.known_modules: dict[str, str] = dict(known_modules or {})  # module -> path, analysed or not
        self._loader = loader
        self._tried_loading: set[str] = set()
        self._memo: dict[tuple[str, str], Ref | None] = {}
        self._classes_by_name: dict[str, list[tuple[str, ClassFact]]] | None = None
        self._modules_by_path: tuple[int, dict[str, str]] = (-1, {})
        self.generation = 0

    # -- contents ----------------------------------------------------------------------------
    def add(self, facts: FileFacts) -> None:
        self.facts_by_module[facts.module] = facts
        self.known_modules.setdefault(facts.module, facts.path)
        self.invalidate()

    def remove(self, module: str) -> None:
        self.facts_by_module.pop(module, None)
        self.known_modules.pop(module, None)
        self._tried_loading.discard(module)
        self.invalidate()

    @contextmanager
    def substituted(self, facts: FileFacts) -> Iterator[None]:
        """``facts`` stand in for their module inside the ``with`` block; afterwards the index is as before."""
        module = facts.module
        saved = self.facts_by_module.get(module)
        known = self.known_modules.get(module)
        self.facts_by_module[module] = facts
        self.known_modules.setdefault(module, facts.path)
        self.invalidate()
        try:
            yield
        finally:
            if saved is not None:
                self.facts_by_module[module] = saved
            else:
                self.facts_by_module.pop(module, None)
            if known is None:
                self.known_modules.pop(module, None)
            self.invalidate()

    def invalidate(self) -> None:
        self._memo.clear()
        self._classes_by_name = None
        self.generation += 1

    def get(self, module: str) -> FileFacts | None:
        facts = self.facts_by_module.get(module)
        if facts is None and self._loader and module in self.known_modules and module not in self._tried_loading:
            self._tried_loading.add(module)
            facts = self._loader(module)
            if facts is not None:
                self.facts_by_module[module] = facts
                self._classes_by_name = None
        return facts

    def holds(self, facts: FileFacts) -> bool:
        """Whether ``facts`` are what the index answers for their module (no other file shadows them)."""
        return self.get(facts.module) is facts

    def module_of_path(self, path: str) -> tuple[str, bool]:
        """(module, is_package) the index knows for a file (by its path as given or resolved), else the
        file's stem: what a fix of an open document names its module."""
        count, table = self._modules_by_path
        if count != len(self.known_modules):
            table = {}
            for name, known in self.known_modules.items():
                table.setdefault(str(known), name)
                try:
                    table.setdefault(str(Path(known).resolve()), name)
                except OSError:
                    pass
            self._modules_by_path = (len(self.known_modules), table)
        is_package = Path(path).name in ("__init__.py", "__init__.pyi")
        module = table.get(str(path))
        if module is None:
            try:
                module = table.get(str(Path(path).resolve()))
            except OSError:
                module = None
        if module is None:
            module = Path(path).parent.name if is_package else Path(path).stem
        return module, is_package

    def is_module(self, module: str) -> bool:
        return module in self.known_modules or module in self.facts_by_module

    def classes_named(self, name: str) -> list[tuple[str, ClassFact]]:
        if self._classes_by_name is None:
            table: dict[str, list[tuple[str, ClassFact]]] = defaultdict(list)
            for module, facts in self.facts_by_module.items():
                for cls in facts.classes:
                    table[cls.name].append((module, cls))
            self._classes_by_name = table
        return self._classes_by_name.get(name, [])

    def class_fact(self, module: str, name: str) -> ClassFact | None:
        facts = self.get(module)
        if facts is None:
            return None
        for cls in facts.classes:
            if cls.name == name and cls.scope == 0:
                return cls
        return None

    # -- resolution --------------------------------------------------------------------------
    def resolve_name(self, module: str, name: str, _depth: int = 0) -> Ref | None:
        """What ``module.name`` refers to, following re-exports; None when it cannot be known."""
        key = (module, name)
        if key in self._memo:
            return self._memo[key]
        if _depth > MAX_DEPTH:
            return None
        self._memo[key] = None  # cycle guard
        result = self._resolve_name(module, name, _depth)
        self._memo[key] = result
        return result

    def _resolve_name(self, module: str, name: str, depth: int) -> Ref | None:
        facts = self.get(module)
        submodule = f"{module}.{name}"
        if facts is None:
            if self.is_module(submodule):
                return Ref(submodule)
            return Ref(module, name, kind="external")
        binding = facts.bindings.get(name)
        if binding is not None:
            kind, payload = binding
            if kind in ("class", "def", "other"):
                return Ref(module, name, kind=kind)
            if kind == "alias":
                return self.resolve_dotted_in_module(facts, str(payload), depth + 1) or Ref(module, name, kind="other")
            if kind == "import":
                return self.resolve_import(cast(tuple[bool, str, "str | None"], payload), depth + 1)
        if self.is_module(submodule):
            return Ref(submodule)
        for star in facts.star_imports:
            star_facts = self.get(star)
            if star_facts is None:
                continue
            exported = star_facts.all_names
            if exported is not None and name not in exported:
                continue
            if exported is None and (name.startswith("_") or name not in star_facts.bindings
                                     and not star_facts.star_imports):
                continue
            found = self.resolve_name(star, name, depth + 1)
            if found is not None:
                return found
        return None

    def resolve_import(self, payload: tuple[bool, str, str | None], depth: int = 0) -> Ref | None:
        """What an import binding (its payload: is_from, source, imported) refers to."""
        is_from, source, imported = payload
        if imported is None:  # import a.b [as m]
            return Ref(source if is_from else source.partition(".")[0])
        target = self.resolve_name(source, imported, depth)
        if target is not None and target.kind == "external" and self.is_module(f"{source}.{imported}"):
            return Ref(f"{source}.{imported}")
        return target

    def exported_names(self, module: str, _seen: frozenset[str] = frozenset()) -> list[str]:
        """Names ``from module import *`` binds: ``__all__``, else public module-level bindings and
        (transitively) what the module's own star imports bring in; empty when the module is unknown."""
        facts = self.get(module)
        if facts is None or module in _seen:
            return []
        if facts.all_names is not None:
            return list(dict.fromkeys(facts.all_names))
        names = [n for n in facts.bindings if not n.startswith("_")]
        for star in facts.star_imports:
            names.extend(n for n in self.exported_names(star, _seen | {module}) if n not in facts.bindings)
        return list(dict.fromkeys(names))

    def resolve_dotted_in_module(self, facts: FileFacts, text: str, depth: int = 0) -> Ref | None:
        return self.resolve_expr(facts, 0, text, depth)

    def resolve_expr(self, facts: FileFacts, scope: int, text: str, depth: int = 0) -> Ref | None:
        """What a dotted expression in ``scope`` of a file refers to."""
        root, _, rest = text.partition(".")
        ref = self._lookup_root(facts, scope, root, depth)
        if ref is None:
            return None
        for part in rest.split(".") if rest else ():
            ref = self._attribute(ref, part, facts, depth)
            if ref is None:
                return None
        return ref

    def _lookup_root(self, facts: FileFacts, scope: int, root: str, depth: int) -> Ref | None:
        for scope_id in facts.scope_chain(scope):
            if scope_id == 0:
                break
            for imp in reversed(facts.imports):
                if imp.scope == scope_id and imp.bound == root and not imp.fallback:
                    return self._import_ref(imp.module, imp.name, imp.asname, depth)
            if root in facts.local_names.get(scope_id, ()):
                return None  # a parameter or local variable hides the module-level binding
        if root in facts.bindings:
            return self.resolve_name(facts.module, root, depth + 1)
        for star in facts.star_imports:
            found = self.resolve_name(facts.module, root, depth + 1)
            if found is not None:
                return found
            break
        return None

    def _import_ref(self, module: str, name: str | None, asname: str | None, depth: int) -> Ref | None:
        if name is None:
            return Ref(module if asname else module.partition(".")[0])
        target = self.resolve_name(module, name, depth + 1)
        if (target is None or target.kind == "external") and self.is_module(f"{module}.{name}"):
            return Ref(f"{module}.{name}")
        return target

    def _attribute(self, ref: Ref, part: str, facts: FileFacts, depth: int) -> Ref | None:
        if ref.is_module:
            candidate = f"{ref.module}.{part}"
            target_facts = self.get(ref.module)
            if target_facts is not None and part in target_facts.bindings:
                return self.resolve_name(ref.module, part, depth + 1)
            if self.is_module(candidate) or any(
                    imp.name is None and (imp.module == candidate or imp.module.startswith(candidate + "."))
                    for imp in facts.imports):
                return Ref(candidate)
            return self.resolve_name(ref.module, part, depth + 1) or Ref(ref.module, part)
        attr = f"{ref.attr}.{part}" if ref.attr else part
        return Ref(ref.module, ref.name, attr, ref.kind)

    def base_classes(self, module: str, cls: ClassFact) -> list[Ref]:
        facts = self.get(module)
        if facts is None:
            return []
        refs = []
        for base in cls.bases:
            if base:
                ref = self.resolve_expr(facts, cls.scope, base)
                if ref is not None:
                    refs.append(ref)
        return refs
