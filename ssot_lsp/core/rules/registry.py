"""The rule set, in one place: every ``Rule`` object, by code, in report order.

Everything that needs to know about rules — the engine, hover, reports, ``ssot-lsp rule``, the
generated docs pages, fix dispatch, configuration validation — asks here.
"""

from __future__ import annotations

from ssot_lsp.core.payload import NoPayload, Payload
from ssot_lsp.core.rules import (
    broken_by_migration,
    duplicate_definition,
    duplicate_event_path,
    duplicate_name,
    factory_bypass,
    legacy_construction,
    legacy_import,
    obscuring_alias,
    string_reference,
    syntax_error,
    unused_suppression,
)
from ssot_lsp.core.rules.codes import CODES
from ssot_lsp.core.rules.rule import Rule

ALL: tuple[Rule, ...] = (
    legacy_import.RULE,
    legacy_construction.RULE,
    factory_bypass.RULE,
    duplicate_definition.RULE,
    duplicate_name.RULE,
    duplicate_event_path.RULE,
    string_reference.RULE,
    obscuring_alias.RULE,
    syntax_error.RULE,
    unused_suppression.RULE,
    broken_by_migration.RULE,
)

RULES: dict[str, Rule] = {rule.code: rule for rule in ALL}
if tuple(RULES) != CODES:
    raise ImportError(f"ssot_lsp/core/rules/codes.py lists {CODES}, the rules are {tuple(RULES)}")

# the payload types by their wire ``kind`` (several rules may share one type)
PAYLOADS: dict[str, type[Payload]] = {rule.payload.KIND: rule.payload for rule in ALL}
PAYLOADS[NoPayload.KIND] = NoPayload


def rule_for(code: str) -> Rule:
    """The rule of a code; KeyError for an unknown one."""
    return RULES[code]


def rule_by_code_or_name(key: str) -> Rule | None:
    key = key.strip()
    if key.upper() in RULES:
        return RULES[key.upper()]
    for rule in ALL:
        if rule.name == key:
            return rule
    return None


def payload_from_wire(data: object) -> Payload:
    """The payload of a wire dict (``Payload.to_wire``); ValueError when it is not one."""
    if not isinstance(data, dict):
        raise ValueError(f"expected a payload object, got {type(data).__name__}")
    kind = PAYLOADS.get(str(data.get("kind")))
    if kind is None:
        raise ValueError(f"unknown payload kind {data.get('kind')!r}")
    try:
        return kind.from_wire(data)
    except TypeError as exc:
        raise ValueError(str(exc)) from None
