"""The packages a workspace's modules imply: what `module_exists` answers for a namespace package."""

from __future__ import annotations

import itertools

from ssot_lsp.core.classify import package_prefixes, packages_of

MODULES = ["netra_backend.app.agents.supervisor.user_execution_engine", "netra_backend.app.agents.registry",
           "netra_backend.app", "netra_backend", "conftest", "tests.unit.test_engine", "tests.e2e.helpers",
           "auth_service.auth_core.models"]


def _one_by_one(modules: list[str]) -> frozenset[str]:
    return frozenset(p for module in modules for p in package_prefixes(module))


def test_a_module_implies_every_package_above_it():
    assert packages_of(["a.b.c"]) == {"a", "a.b"}


def test_only_a_top_level_module_implies_the_root_package():
    assert packages_of(["a"]) == {""}
    assert "" not in packages_of(["a.b"])


def test_a_package_found_through_one_module_still_gets_those_of_another():
    assert packages_of(["a.b.c", "a.x.y", "a.b.d.e"]) == {"a", "a.b", "a.x", "a.b.d"}


def test_the_packages_are_those_of_each_module_in_any_order():
    for order in itertools.permutations(MODULES[:6]):
        assert packages_of(order) == _one_by_one(list(order)), order
    assert packages_of(MODULES) == _one_by_one(MODULES)
