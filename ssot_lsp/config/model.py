"""Typed configuration: a list of SSOT groups plus project-wide settings.

Everything project-specific (module names, class names, factory calls) is data here; the rules
read it and never name a symbol themselves, so another codebase only writes its own groups.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

REPLACEMENT_NONE = "none"  # a `replacements` value: the legacy symbol has no automatic replacement


@dataclass(frozen=True)
class Origin:
    """Where a setting's value came from, for `--show-settings` and for errors found after merging.

    ``layer`` is ``default`` (the key was set nowhere), ``profile`` (a built-in profile; ``source``
    is its name), ``file`` (``source`` is the configuration file) or ``cli`` (``source`` is the
    option). ``key`` is the key as written there (``extend-exclude[2]``); ``assumption`` is set
    for profile entries the profile's sources do not confirm, with the reason.
    """

    layer: Literal["default", "profile", "file", "cli"]
    source: str = ""
    key: str = ""
    assumption: str | None = None

    def at(self, suffix: str) -> Origin:
        """The origin of a part of this value: ``exclude`` -> ``exclude[3]``."""
        return replace(self, key=self.key + suffix)

    def describe(self, root: Path | None = None) -> str:
        if self.layer == "default":
            return "default"
        if self.layer == "profile":
            return f"profile {self.source}"
        if self.layer == "cli":
            return f"{self.source} (command line)"
        where = self.source
        if root is not None and Path(where).parent == root:
            where = Path(where).name
        return f"{where}: {self.key}" if self.key else where


Origins = Mapping[str, tuple[Origin, ...]]


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
    follow_discovered: bool = True  # classes found by class-pattern count as legacy where used
    replacements: dict[str, str] = field(default_factory=dict)  # "module:Legacy" -> "module:New" or "none"
    context_types: tuple[str, ...] = ()  # class names (matched by last name) of user-context parameters
    context_params: tuple[str, ...] = ()  # parameter names that carry the user context

    @property
    def canonical_module(self) -> str:
        return self.canonical.partition(":")[0]

    @property
    def canonical_name(self) -> str:
        return self.canonical.partition(":")[2]

    def is_allowed(self, module: str, name: str) -> bool:
        return f"{module}:{name}" in self.allowed or name in self.allowed

    def replacement_for(self, legacy: str) -> str | None:
        """What replaces the legacy symbol ``module:Name``: the canonical class unless `replacements`
        says otherwise; None when it has no automatic replacement (``"none"``)."""
        value = self.replacements.get(legacy, self.canonical)
        return None if value == REPLACEMENT_NONE else value


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
    cache_dir: str | None = None  # relative to root; None: .ssot-cache at the root (see core/cache.py)
    docs_base_url: str | None = None  # where the rule pages are published (core/rules/docs.rule_link)
    max_file_size_kb: int = 1024
    warnings: tuple[str, ...] = ()
    profile: str | None = None  # the built-in profile the configuration starts from, if any
    force_exclude: bool = False  # exclude even files named explicitly on the command line
    test_paths: tuple[str, ...] = ()  # globs of test files (rules, reports, audit)
    # where each setting came from, by key path ("exclude", "groups[engine].legacy-symbols");
    # lists have one origin per item. Not part of equality: two configurations that behave alike are equal.
    origins: Origins = field(default_factory=dict, compare=False, repr=False)

    def group(self, name: str) -> Group | None:
        for group in self.groups:
            if group.name == name:
                return group
        return None

    def fingerprint(self) -> str:
        """A stable digest of everything that influences results (cache key part)."""
        import hashlib

        return hashlib.sha256(repr(self._key()).encode()).hexdigest()[:16]

    def _key(self) -> tuple[Any, ...]:
        def pat(p: re.Pattern[str] | None) -> str | None:
            return p.pattern if p else None

        groups = tuple(
            (g.name, g.canonical, g.factory_modules, g.factory, g.legacy_modules, g.legacy_symbols,
             g.allowed, pat(g.class_pattern), pat(g.method_pattern), g.duplicate_name,
             g.subclasses_of_legacy, g.canonical_subclasses_are_duplicates, g.compat_constructors,
             tuple(sorted(g.context_args.items())), tuple(sorted(g.severity.items())),
             g.follow_discovered, tuple(sorted(g.replacements.items())), g.context_types, g.context_params)
            for g in self.groups
        )
        return (groups, self.source_roots, self.select, self.ignore,
                tuple(sorted(self.severity.items())), self.per_path, self.test_paths)
