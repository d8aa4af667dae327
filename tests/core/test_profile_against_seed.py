"""The netra profile against its source: every entry that names code is either named by the seed
(the users' migration issue, copied to tests/data/seed/) or listed as an assumption with a reason —
never both, never neither — and `--show-settings` says which.

"Named by the seed", mechanically: a module when the seed gives its file with at least one directory
(``supervisor/execution_engine.py``); a class ``module:Name`` when the module is named, the seed names
the class, and the module is the class's own file (``ExecutionEngine`` in ``execution_engine.py``);
any other name when the seed contains it as a word.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ssot_lsp.config.defaults import NETRA, PROFILES

SEED = (Path(__file__).resolve().parents[1] / "data" / "seed" / "netra-migration-issue.md").read_text(encoding="utf-8")


def named_word(name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", SEED) is not None


def named_module(module: str) -> bool:
    parts = module.split(".")
    return any(re.search(rf"(?<![\w.]){re.escape('/'.join(parts[-k:]))}\.py", SEED)
               for k in range(2, len(parts) + 1))


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def named_symbol(symbol: str) -> bool:
    module, _, name = symbol.partition(":")
    cls = name.split(".")[0]
    return named_module(module) and named_word(cls) and module.rpartition(".")[2] == snake(cls)


def called_names(template: str) -> list[str]:
    return re.findall(r"(\w+)\(", template)


def unconfirmed(table: dict) -> set[tuple[str, str | None]]:
    """(settings path, entry) of every entry naming code that the seed does not name."""
    out: set[tuple[str, str | None]] = set()

    def items(path: str, values: list[str], confirmed) -> None:
        out.update((path, v) for v in values if not confirmed(v))

    def whole(path: str, confirmed: bool) -> None:
        if not confirmed:
            out.add((path, None))

    for group in table.get("groups", []):
        g = f"groups[{group['name']}]"
        whole(f"{g}.canonical", named_symbol(group["canonical"]))
        items(f"{g}.factory-modules", group.get("factory-modules", []), named_module)
        if "factory" in group:
            factory = group["factory"]
            whole(f"{g}.factory.module", named_module(factory.get("module", group["canonical"].partition(":")[0])))
            items(f"{g}.factory.imports", factory.get("imports", []), named_symbol)
            for key in ("create", "scope"):
                if key in factory:
                    whole(f"{g}.factory.{key}", all(map(named_word, called_names(factory[key]))))
            whole(f"{g}.factory.supplied-args", all(map(named_word, factory.get("supplied-args", []))))
        items(f"{g}.legacy-modules", group.get("legacy-modules", []), named_module)
        items(f"{g}.legacy-symbols", group.get("legacy-symbols", []), named_symbol)
        items(f"{g}.allowed", group.get("allowed", []), lambda s: named_symbol(s) if ":" in s else named_word(s))
        for key in ("class-pattern", "method-pattern"):
            if key in group:
                whole(f"{g}.{key}", named_word(group[key].strip("^$")))
        items(f"{g}.compat-constructors", group.get("compat-constructors", []), named_word)
        if group.get("context-args"):
            whole(f"{g}.context-args", all(named_symbol(s) and named_word(a.get("keyword", ""))
                                           for s, a in group["context-args"].items()))
        items(f"{g}.context-types", group.get("context-types", []), lambda c: named_word(c.rpartition(":")[2]))
        if "context-params" in group:
            whole(f"{g}.context-params", all(map(named_word, group["context-params"])))
    return out


def test_the_seed_copy_is_the_users_issue():
    assert "SSOT-incomplete-migration-multiple-execution-engines" in SEED and "UserExecutionEngine" in SEED


def test_exactly_the_entries_the_seed_does_not_name_are_assumptions():
    assumed = {(a.key, a.entry) for a in NETRA.assumptions}
    assert sorted(assumed - unconfirmed(NETRA.table), key=str) == []  # assumed, though the seed names it
    assert sorted(unconfirmed(NETRA.table) - assumed, key=str) == []  # neither named nor assumed


def test_the_check_sees_what_the_seed_names():
    # the mechanical reading must confirm what the seed plainly says, or the test above means little
    assert named_symbol("netra_backend.app.agents.supervisor.user_execution_engine:UserExecutionEngine")
    assert named_symbol("netra_backend.app.agents.supervisor.execution_engine:ExecutionEngine")
    assert named_module("netra_backend.app.core.managers.execution_engine_factory")
    assert not named_module("netra_backend.app.agents.execution_engine_consolidated")  # no directory given
    assert not named_symbol("netra_backend.app.agents.execution_engine_consolidated:IsolatedExecutionEngine")


@pytest.mark.parametrize("name", PROFILES)
def test_every_assumption_has_a_reason_that_names_what_is_assumed(name):
    for assumption in PROFILES[name].assumptions:
        assert len(assumption.reason) > 20 and assumption.reason.endswith("."), assumption


def test_the_misplaced_wrapper_is_an_assumption_that_says_what_to_do():
    (wrapper,) = [a for a in NETRA.assumptions if a.entry and a.entry.endswith(":ConsolidatedExecutionEngineWrapper")]
    assert "extend-groups" in wrapper.reason
