"""A finding as the audit counts it: which symbol it is about, where, production or test code.

Rules name what a finding is about in ``Violation.symbol`` in the form that suits their message:
``module:Class``, ``module:Class.method`` (a compat constructor), a module, a dotted patch target
(``pkg.mod.Class.attr``) or ``module:Name as Alias``. The audit counts sites per *subject*, the
class or module a migration removes: ``subject`` brings every form to ``module:Class`` (or the
module), using the modules the workspace has to split a dotted target.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass

from ssot_lsp.config.model import Config, Group
from ssot_lsp.core.globs import matches_any
from ssot_lsp.core.violations import Violation

# a subject's part in its group (see ``role_of``)
CANONICAL, LEGACY, DUPLICATE, OTHER = "canonical", "legacy", "duplicate", "other"
DEFINITION_KIND = "definition"  # the payload kind of the duplicate-definition rules (SSOT004-006)


@dataclass(frozen=True, slots=True)
class Site:
    """One finding: rule, group, subject, where (root-relative '/' path, 1-based line), test code or not."""

    code: str
    group: str | None
    subject: str
    path: str
    line: int
    is_test: bool
    severity: str
    message: str
    defines: bool = False  # the finding is the definition of its subject (a duplicate class)


def subject(symbol: str, modules: Container[str]) -> str:
    """``module:Class`` (or a module) for a finding's symbol; ``modules`` tells modules from classes
    in a dotted target."""
    symbol = symbol.partition(" as ")[0].strip()
    if ":" in symbol:
        module, _, name = symbol.partition(":")
        return f"{module}:{name.partition('.')[0]}" if name else module
    if "." not in symbol or symbol in modules:
        return symbol
    parts = symbol.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module = ".".join(parts[:cut])
        if module in modules:
            return f"{module}:{parts[cut]}"
    return symbol


def needs_modules(symbol: str) -> bool:
    """Whether ``subject`` of the symbol depends on which modules there are (a dotted target)."""
    symbol = symbol.partition(" as ")[0].strip()
    return ":" not in symbol and "." in symbol


def modules_named(symbol: str) -> list[str]:
    """The modules whose presence ``subject`` of the symbol depends on: a dotted target's subject
    depends on which of the symbol and its dotted prefixes are modules, and on nothing else about
    the module set; any other symbol's, on none."""
    if not needs_modules(symbol):
        return []
    parts = symbol.partition(" as ")[0].strip().split(".")
    return [".".join(parts[:cut]) for cut in range(1, len(parts) + 1)]


def subject_depends_on(symbol: str, modules: Container[str]) -> bool:
    """Whether ``subject`` of the symbol may change when the ``modules`` (those added or removed) change."""
    return any(module in modules for module in modules_named(symbol))


def role_of(group: Group | None, subject_name: str, defines: bool) -> str:
    """What the subject is in its group: the canonical class, a legacy symbol or module (configured),
    a duplicate (a class some rule reports as a second implementation), or other."""
    if group is None:
        return OTHER
    if subject_name == group.canonical:
        return CANONICAL
    module = subject_name.partition(":")[0]
    if subject_name in group.legacy_symbols or any(module == m or module.startswith(m + ".")
                                                   for m in group.legacy_modules):
        return LEGACY
    return DUPLICATE if defines else OTHER


def test_code_matcher(config: Config) -> Callable[[str], bool]:
    """Whether a root-relative path is test code (the configuration's ``test-paths``)."""
    patterns = tuple(config.test_paths)
    cache: dict[str, bool] = {}

    def is_test(relpath: str) -> bool:
        found = cache.get(relpath)
        if found is None:
            found = cache[relpath] = matches_any(relpath, patterns)
        return found

    return is_test


def sites_of(violations: Iterable[Violation], config: Config, relpath: Callable[[str], str],
             modules: Container[str]) -> list[Site]:
    """The audit's sites of some findings; ``relpath`` gives a finding's path relative to the root."""
    return SiteMaker(config).sites(violations, relpath, modules)


class SiteMaker:
    """``sites_of`` under one configuration, made again and again (``audit --history``: each commit
    makes the sites of the few files whose findings changed): which paths are test code is a
    function of the path under one configuration, remembered across calls."""

    def __init__(self, config: Config) -> None:
        self.is_test = test_code_matcher(config)
        self.named = _configured_modules(config)

    def sites(self, violations: Iterable[Violation], relpath: Callable[[str], str],
              modules: Container[str]) -> list[Site]:
        is_test, named = self.is_test, self.named

        class Modules:
            def __contains__(self, name: object) -> bool:
                return name in modules or name in named

        known = Modules()
        out = []
        for v in violations:
            rel = relpath(v.path)
            out.append(Site(v.code, v.group, subject(v.symbol, known), rel, v.span.line + 1, is_test(rel), v.severity,
                            v.message, v.payload.KIND == DEFINITION_KIND))
        return out


def _configured_modules(config: Config) -> frozenset[str]:
    names: set[str] = set()
    for group in config.groups:
        names.add(group.canonical_module)
        names.update(group.legacy_modules)
        names.update(group.factory_modules)
        names.update(s.partition(":")[0] for s in group.legacy_symbols)
    return frozenset(names)
