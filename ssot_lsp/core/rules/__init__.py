"""The rule set: one module per rule, each exposing CODE and check(ctx)."""

from ssot_lsp.core.rules import (
    duplicate_definition,
    duplicate_event_path,
    duplicate_name,
    factory_bypass,
    legacy_construction,
    legacy_import,
    obscuring_alias,
    string_reference,
    syntax_error,
)

ALL_RULES = (
    legacy_import,
    legacy_construction,
    factory_bypass,
    duplicate_definition,
    duplicate_name,
    duplicate_event_path,
    string_reference,
    obscuring_alias,
    syntax_error,
)
