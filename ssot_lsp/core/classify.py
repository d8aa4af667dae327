"""Which group a resolved reference or a class definition belongs to, and in what role.

This is where configuration meets the index: rules ask "is this legacy?", "is this canonical?",
"is this class a duplicate?" and never read group fields themselves.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass

from ssot_lsp.config.model import Config, Group
from ssot_lsp.config.regex_safety import search_identifier
from ssot_lsp.core.class_nature import ClassNature
from ssot_lsp.core.facts import ClassFact
from ssot_lsp.core.index import Ref, WorkspaceIndex
from ssot_lsp.core.method_bodies import NOT_OWN
from ssot_lsp.core.modules import enclosing_packages

LEGACY, CANONICAL, ALLOWED, COMPAT = "legacy", "canonical", "allowed", "compat"
_CONSTRUCTOR_PREFIXES = ("create", "from_", "build", "new", "make", "get_instance", "instance", "for_")


@dataclass(frozen=True, slots=True)
class Discovery:
    group: Group
    kind: Duplicate
    reason: str
    base: Ref | None = None
    test_double: str = ""  # why the class is a test double ('' when it is not): reported as information


@dataclass(frozen=True, slots=True)
class Role:
    group: Group
    role: str  # LEGACY | CANONICAL | ALLOWED | COMPAT
    # set when the role comes from discovery (a duplicate found by `class-pattern` or subclassing,
    # followed because the group has `follow-discovered`), not from the configuration
    discovered: Discovery | None = None


class Duplicate(enum.Enum):
    """Why discovery says a class duplicates a group's concept (each kind is reported by one rule)."""

    DEFINITION = "definition"  # a second implementation: listed, named like one, or extending one
    NAME = "name"  # the canonical class's name again, or extending a non-canonical one of that name
    EVENT_PATH = "event-path"  # defines the group's event methods


def package_prefixes(module: str) -> list[str]:
    """The packages a module's existence implies (``a.b.c``: ``a.b``, ``a``; a top-level module: ``""``)."""
    parent = module.rpartition(".")[0]
    return [parent[:i] for i in range(len(parent) + 1) if i == len(parent) or parent[i] == "."]


def packages_of(modules: Collection[str]) -> frozenset[str]:
    """The ``package_prefixes`` of every module: ``modules.enclosing_packages``, and the root package
    ``""`` when a module is top-level. One by one, the prefixes of 11,000 modules took 20-25 ms of a
    cold check's rules (before the first asked whether a module exists); this takes 2 ms."""
    packages = enclosing_packages(modules)
    if any("." not in module for module in modules):
        packages.add("")
    return frozenset(packages)


class Classifier:
    def __init__(self, config: Config, index: WorkspaceIndex) -> None:
        self.config = config
        self.index = index
        self._discoveries: dict[tuple[str, str, int], list[Discovery]] = {}
        self._discovered_roles: dict[Ref, Role | None] = {}
        self._generation = index.generation
        self._legacy_groups: dict[str, Group | None] = {}
        # per group, its legacy modules and the prefixes of the modules below them: a scan asks
        # about each of ~2,500 modules once (a loop with a string built per legacy module: 14 ms)
        self._legacy_prefixes = [(group, frozenset(group.legacy_modules), tuple(m + "." for m in group.legacy_modules))
                                 for group in config.groups]
        self._roles: dict[Ref, Role | None] = {}
        self.group_modules = group_modules(config)
        self.nature = ClassNature(config, index, self.group_modules)
        self._packages: tuple[int, frozenset[str]] = (-1, frozenset())

    def _fresh(self) -> None:
        if self._generation != self.index.generation:
            self._discoveries.clear()
            self._discovered_roles.clear()
            self.nature.clear()
            self._generation = self.index.generation

    def legacy_module_group(self, module: str) -> Group | None:
        try:
            return self._legacy_groups[module]
        except KeyError:
            pass
        group = self._find_legacy_group(module)
        self._legacy_groups[module] = group
        return group

    def _find_legacy_group(self, module: str) -> Group | None:
        for group, legacy, below in self._legacy_prefixes:
            if module in legacy or module.startswith(below):
                return group
        return None

    def role(self, ref: Ref | None) -> Role | None:
        """The part a reference plays in a group. The configured part depends on the configuration
        only, so it is memoised for good (a workspace scan asks about the same few thousand
        references again and again); a class no configured role covers may be a discovered
        duplicate the group follows (``follow-discovered``)."""
        if ref is None:
            return None
        try:
            role = self._roles[ref]
        except KeyError:
            role = self._roles[ref] = self._role(ref)
        if role is None and ref.kind == "class" and ref.name and not ref.attr:
            return self._discovered_role(ref)
        return role

    def _discovered_role(self, ref: Ref) -> Role | None:
        self._fresh()
        try:
            return self._discovered_roles[ref]
        except KeyError:
            pass
        self._discovered_roles[ref] = None  # cycle guard
        role = None
        cls = self.index.class_fact(ref.module, ref.name or "")
        if cls is not None:
            for discovery in self.discover(ref.module, cls):
                if discovery.kind is Duplicate.DEFINITION and discovery.group.follow_discovered \
                        and not discovery.test_double:
                    role = Role(discovery.group, LEGACY, discovery)
                    break
        self._discovered_roles[ref] = role
        return role

    def module_exists(self, module: str) -> bool:
        """The workspace has the module's file, or a package below it (a namespace package)."""
        if self.index.is_module(module):
            return True
        count, packages = self._packages
        if count != len(self.index.known_modules):
            packages = packages_of(self.index.known_modules)
            self._packages = (len(self.index.known_modules), packages)
        return module in packages

    def know_packages(self, packages: frozenset[str]) -> None:
        """The packages of the index's modules (``package_prefixes`` of each), from a caller that
        keeps them as modules come and go: building them from 25,000 modules costs 6 ms."""
        self._packages = (len(self.index.known_modules), packages)

    def replacement_for(self, group: Group, symbol: str) -> str | None:
        """What replaces a legacy (or discovered) class ``module:Name``: the group's `replacements`
        entry, else the canonical class; None for ``"none"``. An entry whose class is no longer
        defined where it names (it moved) applies to a class of that name found elsewhere."""
        if symbol in group.replacements:
            return group.replacement_for(symbol)
        name = symbol.rpartition(":")[2]
        for key in group.replacements:
            module, _, key_name = key.partition(":")
            if key_name == name and self.index.class_fact(module, key_name) is None:
                return group.replacement_for(key)
        return group.canonical

    def compat_missing(self, ref: Ref) -> bool:
        """``Canonical.compat(...)`` where the canonical class no longer defines that compat constructor."""
        if not ref.attr or ref.is_module:
            return False
        method = ref.attr.partition(".")[0]
        for group in self.config.groups:
            if ref.symbol == group.canonical and method in group.compat_constructors:
                cls = self.index.class_fact(ref.module, ref.name or "")
                return cls is not None and self.nature.defines(ref.module, cls, method) is False
        return False

    def _role(self, ref: Ref) -> Role | None:
        if ref.is_module:
            group = self.legacy_module_group(ref.module)
            return Role(group, LEGACY) if group else None
        symbol = ref.symbol
        for group in self.config.groups:
            if symbol == group.canonical:
                if ref.attr:
                    method = ref.attr.partition(".")[0]
                    return Role(group, COMPAT) if method in group.compat_constructors else None
                return Role(group, CANONICAL)
        for group in self.config.groups:
            if group.is_allowed(ref.module, ref.name or ""):
                return Role(group, ALLOWED)
            if symbol in group.legacy_symbols:
                return Role(group, LEGACY)
        group = self.legacy_module_group(ref.module)
        if group is not None:
            return Role(group, LEGACY)
        return None

    def is_constructor_attr(self, ref: Ref) -> bool:
        """``Legacy.attr(...)`` creates an instance: a classmethod of the class, or constructor-like."""
        if not ref.attr or "." in ref.attr:
            return False
        cls = self.index.class_fact(ref.module, ref.name or "")
        if cls is not None:
            return ref.attr in cls.classmethods
        return ref.attr.startswith(_CONSTRUCTOR_PREFIXES)

    # -- class discovery ---------------------------------------------------------------------
    def discover(self, module: str, cls: ClassFact, _stack: frozenset = frozenset()) -> list[Discovery]:
        """Why a class definition is a duplicate, per group (empty when it is not). Test doubles
        are discovered with their reason (``Discovery.test_double``); interfaces and fallback
        stubs are no duplicate definitions or event paths."""
        self._fresh()
        key = (module, cls.name, cls.span.line)
        if key in self._discoveries:
            return self._discoveries[key]
        if key in _stack or cls.fallback:
            return []
        self._discoveries[key] = []  # cycle guard (roles of bases may ask about this class again)
        found = self._discover(module, cls, _stack | {key})
        double = self.nature.test_double(module, cls) if found else ""
        if double:
            found = [Discovery(d.group, d.kind, d.reason, d.base, double) for d in found]
        self._discoveries[key] = found
        return found

    def _discover(self, module: str, cls: ClassFact, stack: frozenset) -> list[Discovery]:
        found: list[Discovery] = []
        bases = self.index.base_classes(module, cls)
        protocol: bool | None = None
        for group in self.config.groups:
            if f"{module}:{cls.name}" == group.canonical or group.is_allowed(module, cls.name):
                continue
            extends_canonical = any(b.symbol == group.canonical and not b.attr for b in bases if not b.is_module)
            if extends_canonical and not group.canonical_subclasses_are_duplicates:
                if group.method_pattern is None:
                    continue
            legacy_base = self._legacy_base(group, bases, stack)
            if group.duplicate_name and (cls.name == group.canonical_name or legacy_base is not None):
                reason = (f"second definition of {group.canonical_name}" if legacy_base is None
                          or cls.name == group.canonical_name else f"extends the non-canonical {legacy_base.qualname}")
                found.append(Discovery(group, Duplicate.NAME, reason, legacy_base))
                continue
            if protocol is None:
                protocol = self.nature.is_protocol(module, cls)
            if f"{module}:{cls.name}" in group.legacy_symbols:
                found.append(Discovery(group, Duplicate.DEFINITION, "a legacy class listed in the configuration"))
            elif protocol or self.nature.declares_only(cls, self._relevant_methods(group, cls)):
                pass  # an interface: declares the concept, implements nothing
            elif group.class_pattern is not None and search_identifier(group.class_pattern, cls.name):
                found.append(Discovery(group, Duplicate.DEFINITION, f"its name matches {group.class_pattern.pattern!r}"))
            elif group.subclasses_of_legacy and legacy_base is not None:
                found.append(Discovery(group, Duplicate.DEFINITION, f"it extends {legacy_base.qualname}", legacy_base))
            elif extends_canonical and group.canonical_subclasses_are_duplicates:
                found.append(Discovery(group, Duplicate.DEFINITION, f"it extends the canonical {group.canonical_name}"))
            if group.method_pattern is not None and not protocol and not (
                    extends_canonical and not group.canonical_subclasses_are_duplicates):
                # methods that only declare (abstract, stub) or forward (to the same method of the
                # canonical emitter, super()) deliver nothing themselves
                methods = [m for m in dict.fromkeys(cls.methods) if search_identifier(group.method_pattern, m)
                           and cls.method_kind(m) not in NOT_OWN]
                if methods:
                    found.append(Discovery(group, Duplicate.EVENT_PATH, ", ".join(methods)))
        return found

    @staticmethod
    def _relevant_methods(group: Group, cls: ClassFact) -> list[str]:
        """The methods that say whether a class implements the concept: those matching the group's
        `method-pattern`, else every method but the dunder ones (``__init__`` wires, it does not
        implement)."""
        if group.method_pattern is not None:
            return [m for m in dict.fromkeys(cls.methods) if search_identifier(group.method_pattern, m)]
        return [m for m in dict.fromkeys(cls.methods) if not (m.startswith("__") and m.endswith("__"))]

    def _legacy_base(self, group: Group, bases: list[Ref], stack: frozenset) -> Ref | None:
        for base in bases:
            if base.is_module or base.attr:
                continue
            role = self.role(base)
            if role is not None and role.group is group and role.role == LEGACY:
                if base.kind in ("class", "external"):
                    return base
            if base.kind == "class":
                if group.duplicate_name and base.name == group.canonical_name and base.symbol != group.canonical:
                    return base
                base_cls = self.index.class_fact(base.module, base.name or "")
                if base_cls is not None:
                    for discovery in self.discover(base.module, base_cls, stack):
                        if discovery.group is group and discovery.kind in (Duplicate.DEFINITION, Duplicate.NAME):
                            return base
        return None

    def definitions_of(self, group: Group) -> list[tuple[str, ClassFact]]:
        """Every class named like the canonical one, across the workspace (fallback stubs are none)."""
        return [(module, cls) for module, cls in self.index.classes_named(group.canonical_name) if not cls.fallback]


def modules_of(group: Group) -> set[str]:
    """The modules a group names: canonical, factory, legacy, and those of its legacy symbols."""
    modules = {group.canonical_module, *group.factory_modules, *group.legacy_modules,
               *(symbol.partition(":")[0] for symbol in group.legacy_symbols)}
    if group.factory is not None:
        modules.add(group.factory.module)
    return modules


def group_modules(config: Config) -> frozenset[str]:
    """Modules a group names: every definition in them matters, so scans always read them, whole."""
    return frozenset(module for group in config.groups for module in modules_of(group))
