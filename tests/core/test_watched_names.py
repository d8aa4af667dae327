"""Which group a watched class name belongs to (SSOT011's ``group_of_name``): canonical names before
legacy ones, the first group before later ones, asked again of each new configuration."""

from __future__ import annotations

from types import SimpleNamespace

from ssot_lsp.core.rules.breakage import group_of_name


def _group(name: str, canonical: str, *legacy: str) -> SimpleNamespace:
    return SimpleNamespace(name=name, canonical=canonical, canonical_name=canonical.rpartition(":")[2],
                           legacy_symbols=list(legacy))


def _ctx(*groups: SimpleNamespace) -> SimpleNamespace:
    return SimpleNamespace(config=SimpleNamespace(groups=list(groups)))


ENGINE = _group("engine", "app.engine:UserEngine", "app.old:Engine", "app.older:Engine")
AGENT = _group("agent", "app.agent:Engine", "app.old_agent:Agent")
EMITTER = _group("emitter", "app.emit:Emitter", "app.old_emit:Agent")


def test_a_canonical_name_wins_over_an_earlier_group_s_legacy_name():
    found = group_of_name(_ctx(ENGINE, AGENT), "Engine")
    assert found is not None and (found[0].name, found[1]) == ("agent", "app.agent:Engine")


def test_a_legacy_name_of_two_groups_is_the_first_group_s_first_symbol():
    found = group_of_name(_ctx(AGENT, EMITTER), "Agent")
    assert found is not None and (found[0].name, found[1]) == ("agent", "app.old_agent:Agent")
    found = group_of_name(_ctx(ENGINE), "Engine")
    assert found is not None and (found[0].name, found[1]) == ("engine", "app.old:Engine")


def test_a_name_no_group_watches_belongs_to_none():
    assert group_of_name(_ctx(ENGINE, AGENT), "Registry") is None


def test_each_configuration_is_asked_afresh():
    assert group_of_name(_ctx(ENGINE), "Emitter") is None
    found = group_of_name(_ctx(EMITTER), "Emitter")
    assert found is not None and found[0].name == "emitter"
