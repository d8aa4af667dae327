"""Typed configuration: a list of SSOT groups plus project-wide settings.

Everything project-specific (module names, class names, factory calls) is data here; the rules
read it and never name a symbol themselves, so another codebase only writes its own groups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ContextArg:
    """Where a legacy constructor receives the user context: the fix moves that argument, never guesses it."""

    position: int | None = None
    keyword: str | None = None


@dataclass(frozen=True)
class FactorySpec:
    """How a canonical instance is obtained.

    ``create`` and ``scope`` are expression templates with ``{context}`` standing for the user
    context argument; ``imports`` are the ``module:name`` imports the templates need.
    """

    module: str
    imports: tuple[str, ...]
    create: str
    scope: str | None = None
    is_async: bool = True
    supplied_args: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Group:
    name: str
    canonical: str  # "module:Class"
    factory_modules: tuple[str, ...] = ()
    factory: FactorySpec | None = None
    legacy_modules: tuple[str, ...] = ()
    legacy_symbols: tuple[str, ...] = ()  # "module:Name"
    allowed: tuple[str, ...] = ()  # "module:Name" or bare "Name"
    class_pattern: re.Pattern[str] | None = None
    method_pattern: re.Pattern[str] | None = None
    duplicate_name: bool = False
    subclasses_of_legacy: bool = True
    canonical_subclasses_are_duplicates: bool = False
    compat_constructors: tuple[str, ...] = ()  # method names on the canonical class
    context_args: dict[str, ContextArg] = field(default_factory=dict)  # "module:Class[.method]" -> arg
    severity: dict[str, str] = field(default_factory=dict)
    needles: tuple[str, ...] = ()  # extra literal prefilter needles for the patterns

    @property
    def canonical_module(self) -> str:
        return self.canonical.partition(":")[0]

    @property
    def canonical_name(self) -> str:
        return self.canonical.partition(":")[2]

    def is_allowed(self, module: str, name: str) -> bool:
        return f"{module}:{name}" in self.allowed or name in self.allowed

    def is_legacy_module(self, module: str) -> bool:
        return module in self.legacy_modules


@dataclass(frozen=True)
class PathOverride:
    patterns: tuple[str, ...]
    severity: dict[str, str] = field(default_factory=dict)  # code or "*" -> severity
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    groups: tuple[Group, ...]
    source: str  # where it came from: a file path, or "built-in default profile"
    root: Path
    is_default_profile: bool = False
    source_roots: tuple[str, ...] = ()  # relative to root; empty: root, plus src/ when present
    include: tuple[str, ...] = ("**/*.py", "**/*.pyi")
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    select: tuple[str, ...] = ()  # empty: all rules
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    per_path: tuple[PathOverride, ...] = ()
    baseline: str | None = None
    max_file_size_kb: int = 1024
    warnings: tuple[str, ...] = ()

    def group(self, name: str) -> Group | None:
        for group in self.groups:
            if group.name == name:
                return group
        return None

    def fingerprint(self) -> str:
        """A stable digest of everything that influences results (cache key part)."""
        import hashlib

        return hashlib.sha256(repr(self._key()).encode()).hexdigest()[:16]

    def _key(self) -> tuple:
        def pat(p: re.Pattern[str] | None) -> str | None:
            return p.pattern if p else None

        groups = tuple(
            (g.name, g.canonical, g.factory_modules, g.factory, g.legacy_modules, g.legacy_symbols,
             g.allowed, pat(g.class_pattern), pat(g.method_pattern), g.duplicate_name,
             g.subclasses_of_legacy, g.canonical_subclasses_are_duplicates, g.compat_constructors,
             tuple(sorted(g.context_args.items())), tuple(sorted(g.severity.items())))
            for g in self.groups
        )
        return (groups, self.source_roots, self.select, self.ignore,
                tuple(sorted(self.severity.items())), self.per_path)
