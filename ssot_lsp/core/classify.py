"""Which group a resolved reference or a class definition belongs to, and in what role.

This is where configuration meets the index: rules ask "is this legacy?", "is this canonical?",
"is this class a duplicate?" and never read group fields themselves.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ssot_lsp.config.model import Config, Group
from ssot_lsp.config.regex_safety import search_identifier
from ssot_lsp.core.facts import ClassFact
from ssot_lsp.core.index import Ref, WorkspaceIndex

LEGACY, CANONICAL, ALLOWED, COMPAT = "legacy", "canonical", "allowed", "compat"
_CONSTRUCTOR_PREFIXES = ("create", "from_", "build", "new", "make", "get_instance", "instance", "for_")


@dataclass(frozen=True, slots=True)
class Role:
    group: Group
    role: str  # LEGACY | CANONICAL | ALLOWED | COMPAT


class Duplicate(enum.Enum):
    """Why discovery says a class duplicates a group's concept (each kind is reported by one rule)."""

    DEFINITION = "definition"  # a second implementation: listed, named like one, or extending one
    NAME = "name"  # the canonical class's name again, or extending a non-canonical one of that name
    EVENT_PATH = "event-path"  # defines the group's event methods


@dataclass(frozen=True, slots=True)
class Discovery:
    group: Group
    kind: Duplicate
    reason: str
    base: Ref | None = None


class Classifier:
    def __init__(self, config: Config, index: WorkspaceIndex) -> None:
        self.config = config
        self.index = index
        self._discoveries: dict[tuple[str, str, int], list[Discovery]] = {}
        self._generation = index.generation
        self._legacy_groups: dict[str, Group | None] = {}
        self._roles: dict[Ref, Role | None] = {}

    def _fresh(self) -> None:
        if self._generation != self.index.generation:
            self._discoveries.clear()
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
        for group in self.config.groups:
            for legacy in group.legacy_modules:
                if module == legacy or module.startswith(legacy + "."):
                    return group
        return None

    def role(self, ref: Ref | None) -> Role | None:
        """The part a reference plays in a group; depends on the configuration only, so memoised
        (a workspace scan asks about the same few thousand references again and again)."""
        if ref is None:
            return None
        try:
            return self._roles[ref]
        except KeyError:
            pass
        role = self._roles[ref] = self._role(ref)
        return role

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
        """Why a class definition is a duplicate, per group (empty when it is not)."""
        self._fresh()
        key = (module, cls.name, cls.span.line)
        if key in self._discoveries:
            return self._discoveries[key]
        if key in _stack:
            return []
        stack = _stack | {key}
        found: list[Discovery] = []
        bases = self.index.base_classes(module, cls)
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
            if f"{module}:{cls.name}" in group.legacy_symbols:
                found.append(Discovery(group, Duplicate.DEFINITION, "a legacy class listed in the configuration"))
            elif group.class_pattern is not None and search_identifier(group.class_pattern, cls.name):
                found.append(Discovery(group, Duplicate.DEFINITION, f"its name matches {group.class_pattern.pattern!r}"))
            elif group.subclasses_of_legacy and legacy_base is not None:
                found.append(Discovery(group, Duplicate.DEFINITION, f"it extends {legacy_base.qualname}", legacy_base))
            elif extends_canonical and group.canonical_subclasses_are_duplicates:
                found.append(Discovery(group, Duplicate.DEFINITION, f"it extends the canonical {group.canonical_name}"))
            if group.method_pattern is not None and not (extends_canonical
                                                         and not group.canonical_subclasses_are_duplicates):
                methods = [m for m in cls.methods if search_identifier(group.method_pattern, m)]
                if methods:
                    found.append(Discovery(group, Duplicate.EVENT_PATH, ", ".join(methods)))
        self._discoveries[key] = found
        return found

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
        """Every class named like the canonical one, across the workspace."""
        return self.index.classes_named(group.canonical_name)
