"""Stale configuration: entries naming modules, symbols or methods the workspace does not contain.

A migration removes what the configuration lists — a legacy class deleted, a compat constructor
dropped, a module renamed — and the entry then silently does nothing. ``stale_entries`` names each
such entry with its key and where it came from, so the front ends can say so once (CLI: stderr,
JSON, SARIF, ``--show-settings``; server: log and one message per configuration load). It never
changes a finding or an exit code.

"Does not contain" is decided soundly: a module is present when a file of the workspace is that
module (or a package below it: namespace packages); a symbol when the module, read whole, binds the
name (a definition, an import, a re-export through star imports); a method when the class or one of
its bases in the workspace defines it. Whatever cannot be known — a module that does not parse or
is too large, a star import from outside the workspace, a module ``__getattr__``, a base class from
outside, a name written in the class's module in a way the facts do not record (a class attribute
assigned a function) — counts as present. The facts come from ``configuration_index``, which reads
each module it is asked about in full: the scan's prefilter skips files and parses others only in
part, so its index cannot answer these questions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ssot_lsp.config.keys import member
from ssot_lsp.config.layers import group_path
from ssot_lsp.config.model import REPLACEMENT_NONE, Config, Group, Origin
from ssot_lsp.core.facts import ClassFact, FileFacts
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.modules import enclosing_packages
from ssot_lsp.core.workspace import Workspace

UNKNOWN = None  # a check's answer when it cannot be known: the entry counts as present


@dataclass(frozen=True)
class StaleEntry:
    """One configured entry the workspace does not contain: its settings key (``groups[engine].
    legacy-symbols``), the entry as written, what is missing, and where the entry came from."""

    key: str
    entry: str
    problem: str
    origin: Origin | None = None

    def describe(self, root: Path | None = None) -> str:
        where = f" ({self.origin.describe(root)})" if self.origin is not None else ""
        return f"{self.key}: {self.entry}: {self.problem}{where}"

    def to_dict(self, root: Path | None = None) -> dict[str, str]:
        out = {"key": self.key, "entry": self.entry, "problem": self.problem}
        if self.origin is not None:
            out["origin"] = self.origin.describe(root)
        return out


def stale_summary(entries: list[StaleEntry]) -> str:
    """The one-line warning the CLI prints and the server shows (the entries follow it)."""
    count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
    return (f"the configuration has {count} naming what this workspace does not contain; they do nothing "
            f"(`ssot-lsp check --show-settings` marks them)")


def workspace_modules(workspace: Workspace) -> dict[str, str]:
    """Every module of the workspace and its file (the file walk only: nothing is read)."""
    modules: dict[str, str] = {}
    names = workspace.module_names
    for path in workspace.discover_files():
        module, _ = names.of_absolute(path) or names.of(Path(path))
        modules.setdefault(module, path)
    return modules


def configuration_index(known_modules: dict[str, str], max_bytes: int,
                        scanned: Mapping[str, FileFacts] | None = None) -> WorkspaceIndex:
    """An index over ``known_modules`` that reads a module, whole, when first asked about it.

    ``scanned``: facts a scan already has, by module; those parsed whole are used as they are (a
    scan always reads the group modules whole, and reading them again cost a warm check a tenth of
    its time)."""
    from ssot_lsp.core.reading import read_facts

    def load(module: str) -> FileFacts | None:
        known = scanned.get(module) if scanned is not None else None
        if known is not None and known.partial_needles is None and known.path == known_modules[module]:
            return known if known.parsed else None
        path = Path(known_modules[module])
        _, outcome = read_facts(path, module, path.stem == "__init__", max_bytes)
        return outcome if isinstance(outcome, FileFacts) and outcome.parsed else None

    return WorkspaceIndex(known_modules, loader=load)


def stale_entries(config: Config, index: WorkspaceIndex) -> list[StaleEntry]:
    """The configured entries ``index`` (see ``configuration_index``) shows the workspace lacks."""
    checker = _Checker(config, index)
    return [entry for group in config.groups for entry in checker.group(group)]


class _Checker:
    def __init__(self, config: Config, index: WorkspaceIndex) -> None:
        self.config = config
        self.index = index
        self._packages: set[str] | None = None

    # -- one group ---------------------------------------------------------------------------------
    def group(self, g: Group) -> Iterator[StaleEntry]:
        path = group_path(g.name)
        yield from self._symbols(member(path, "canonical"), [g.canonical], single=True)
        yield from self._modules(member(path, "factory-modules"), g.factory_modules)
        if g.factory is not None:
            factory = member(path, "factory")
            yield from self._modules(member(factory, "module"), [g.factory.module], single=True)
            yield from self._symbols(member(factory, "imports"), g.factory.imports)
        yield from self._modules(member(path, "legacy-modules"), g.legacy_modules)
        yield from self._symbols(member(path, "legacy-symbols"), g.legacy_symbols)
        yield from self._symbols(member(path, "allowed"), g.allowed, skip=lambda e: ":" not in e)
        canonical_known = self._symbol_problem(g.canonical) is None
        for i, name in enumerate(g.compat_constructors):
            problem = self._method_problem(g.canonical, name) if canonical_known else None
            if problem:
                yield self._entry(member(path, "compat-constructors"), name, problem, i)
        for symbol in g.context_args:
            problem = self._symbol_problem(symbol)
            if problem:
                yield self._entry(member(path, "context-args"), symbol, problem, origin_key=symbol)
        for legacy, replacement in g.replacements.items():
            problem = None if replacement == REPLACEMENT_NONE else self._symbol_problem(replacement)
            if problem:
                yield self._entry(member(path, "replacements"), f"{legacy} = {replacement}", problem,
                                  origin_key=legacy)

    def _modules(self, key: str, modules: tuple[str, ...] | list[str], single: bool = False) -> Iterator[StaleEntry]:
        for i, module in enumerate(modules):
            if not self._module_present(module):
                yield self._entry(key, module, "no such module", None if single else i)

    def _symbols(self, key: str, symbols: tuple[str, ...] | list[str], single: bool = False,
                 skip: Callable[[str], bool] | None = None) -> Iterator[StaleEntry]:
        for i, symbol in enumerate(symbols):
            if skip is not None and skip(symbol):
                continue  # a bare `allowed` name may match a class anywhere: nothing to look up
            problem = self._symbol_problem(symbol)
            if problem:
                yield self._entry(key, symbol, problem, None if single else i)

    def _entry(self, key: str, entry: str, problem: str, index: int | None = None,
               origin_key: str | None = None) -> StaleEntry:
        """``index``: the entry's place in an array; ``origin_key``: its key in a table."""
        origins = self.config.origins.get(member(key, origin_key) if origin_key else key, ())
        if index is not None:
            origin = origins[index] if index < len(origins) else None
        else:
            origin = origins[-1] if origins else None
        return StaleEntry(key, entry, problem, origin)

    # -- what the workspace contains -------------------------------------------------------------------
    def _module_present(self, module: str) -> bool:
        if self.index.is_module(module):
            return True
        if self._packages is None:  # namespace packages: directories of modules without __init__.py
            self._packages = enclosing_packages(self.index.known_modules)
        return module in self._packages

    def _symbol_problem(self, symbol: str) -> str | None:
        """Why ``module:Name[.attr]`` is not in the workspace, or None (present, or not knowable)."""
        module, _, dotted = symbol.partition(":")
        if not self._module_present(module):
            return "its module does not exist"
        name, _, attrs = dotted.partition(".")
        facts = self.index.get(module)
        if facts is None:
            return UNKNOWN  # a package directory, or a file that cannot be read or parsed
        if self.index.resolve_name(module, name) is None and not self._unknowable_names(facts):
            return "its module does not define it" if not attrs else f"its module does not define {name}"
        for attr in attrs.split(".")[:1] if attrs else ():
            return self._method_problem(f"{module}:{name}", attr)
        return None

    def _unknowable_names(self, facts: FileFacts) -> bool:
        """The module may bind names its facts do not show: ``__getattr__``, star imports from outside."""
        if "__getattr__" in facts.bindings:
            return True
        return any(self.index.get(star) is None for star in facts.star_imports)

    def _method_problem(self, symbol: str, method: str) -> str | None:
        module, _, name = symbol.partition(":")
        ref = self.index.resolve_name(module, name)
        if ref is None or ref.kind != "class" or ref.name is None:
            return UNKNOWN
        if self._defines(ref.module, ref.name, method, set()) is False:
            return f"{ref.name} has no method {method}"
        return None

    def _defines(self, module: str, name: str, method: str, seen: set[tuple[str, str]]) -> bool | None:
        """Whether the class (or a base in the workspace) defines ``method``; None when unknowable."""
        if (module, name) in seen:
            return False
        seen.add((module, name))
        cls = self.index.class_fact(module, name)
        if cls is None:
            return UNKNOWN
        if method in cls.methods or method in cls.classmethods or self._mentioned(module, cls, method):
            return True
        answers = [self._base_defines(module, cls, base, method, seen) for base in cls.bases]
        if any(answer is True for answer in answers):
            return True
        return False if all(answer is False for answer in answers) else UNKNOWN

    def _base_defines(self, module: str, cls: ClassFact, base: str, method: str,
                      seen: set[tuple[str, str]]) -> bool | None:
        facts = self.index.get(module)
        if not base or facts is None:
            return UNKNOWN
        if base == "object":
            return False
        ref = self.index.resolve_expr(facts, cls.scope, base)
        if ref is None or ref.kind != "class" or ref.name is None or ref.attr:
            return UNKNOWN
        return self._defines(ref.module, ref.name, method, seen)

    def _mentioned(self, module: str, cls: ClassFact, method: str) -> bool:
        """The name is given to the class in a way the facts do not record as a method: inside the
        class body (``create = classmethod(f)``), or from outside (``Cls.create = f``,
        ``setattr(Cls, "create", f)``)."""
        path = self.index.known_modules.get(module)
        if path is None or cls.stmt_span is None:
            return True
        try:
            text = Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return True
        if method not in text:  # both searches need it (the body's lines are the text's): ~2 ms each on 45 KB
            return False
        lines = text.splitlines()
        body = "\n".join(lines[cls.stmt_span.line:cls.stmt_span.end_line + 1])
        name, attr = re.escape(cls.name), re.escape(method)
        return (re.search(rf"\b{attr}\b", body) is not None
                or re.search(rf"\b{name}\s*\.\s*{attr}\s*=[^=]|setattr\(\s*{name}\s*,\s*['\"]{attr}['\"]", text)
                is not None)
