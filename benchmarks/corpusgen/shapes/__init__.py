"""The real-code shapes of the migration, each with the findings it should produce.

Every shape comes from a finding of the trial on the real monorepo (issues 13-15) or from the
clear-cut patterns the rules were built for; every "found" shape has a variant that must stay
clean.  A shape is a function ``(r, is_test) -> Placement`` whose ``Mark`` lines carry the
expected codes under the **target** behaviour of those issues:

* SSOT008 canonical-under-legacy-name is information (harmless direction), the other direction a warning;
* test doubles are at most information (``allow``), interfaces and delegating classes are clean;
* names bound by an import in one branch and a fallback in another still refer to the import;
* a class found by the class pattern (discovered duplicate) is followed like a listed legacy class;
* SSOT011 for what the migration broke: unbound canonical/legacy names, patches of deleted
  modules, ``create_from_legacy`` after its removal.

``SHAPES`` lists them with how many files per 10,000 live files carry each (the default corpus
has about 11,000 live files; every shape appears at least once at any size).  The shapes live in
``bindings`` (where a name comes from), ``classes`` (test doubles, interfaces, delegation) and
``text`` (patch targets, mentions, suppressions, newer syntax); ``common`` has what they share.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from ..sites import Placement
from .bindings import (
    allowed_interface_import,
    canonical_reexport_importer,
    canonical_subclass,
    create_from_legacy,
    dangerous_alias,
    discovered_clean,
    discovered_usage,
    existing_static_call,
    factory_bypass,
    factory_call_clean,
    honest_alias,
    importerror_fallback,
    importerror_fallback_clean,
    importerror_handler_import,
    legacy_clean_uses,
    legacy_construction,
    legacy_import_absolute,
    legacy_import_multiline,
    legacy_import_package_reexport,
    legacy_import_relative,
    legacy_import_type_checking,
    legacy_module_alias,
    neutral_alias,
    renamed_import,
    star_import_unknown,
    stub_fallback,
    tool_reexport_importer,
    type_checking_alias,
    unrenamed_legacy_name,
)
from .classes import delegating, interface, mock_module_double, real_second_emitter, sync_delegation, test_double
from .common import rewrite, withhold
from .text import mention, newer_fstring, patch_target, suppression

__all__ = ["MENTIONS", "MENTION_WEIGHTS", "SHAPES", "ShapeSpec", "mention", "newer_fstring", "rewrite", "withhold"]


# --------------------------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ShapeSpec:
    key: str                        # unique, for reports: "<shape>.<variant>"
    where: str                      # "app", "test" or "any"
    per_10k: float                  # files per 10,000 live files
    make: Callable[[random.Random, bool], Placement]
    issue: str = ""
    dir: str = ""                   # the file must live under this directory


def _v(fn, **kw):
    return lambda r, t: fn(r, t, **kw)


SHAPES: list[ShapeSpec] = [
    ShapeSpec("legacy_import.absolute", "any", 30, legacy_import_absolute),
    ShapeSpec("legacy_import.multiline", "any", 5, legacy_import_multiline),
    ShapeSpec("legacy_import.relative", "app", 5, legacy_import_relative, dir="netra_backend/app/agents/supervisor/"),
    ShapeSpec("legacy_import.type_checking", "any", 7, legacy_import_type_checking),
    ShapeSpec("legacy_import.allowed_names", "any", 8, allowed_interface_import),
    ShapeSpec("legacy_import.module_alias", "any", 5, legacy_module_alias),
    ShapeSpec("legacy_import.clean_uses", "any", 10, legacy_clean_uses),
    ShapeSpec("legacy_construction.async", "any", 25, _v(legacy_construction, variant="async")),
    ShapeSpec("legacy_construction.sync", "any", 5, _v(legacy_construction, variant="sync")),
    ShapeSpec("legacy_construction.none_context", "app", 7, _v(legacy_construction, variant="none_context"), "15 §2"),
    ShapeSpec("legacy_construction.async_with", "app", 4, _v(legacy_construction, variant="async_with")),
    ShapeSpec("legacy_construction.signature_context", "any", 9, _v(legacy_construction, variant="signature_context"), "15 §3"),
    ShapeSpec("legacy_construction.tool_engine", "any", 6, _v(legacy_construction, variant="tool_engine"), "14 §2e"),
    ShapeSpec("compat_reexport.importer", "any", 11, legacy_import_package_reexport, "15 §4"),
    ShapeSpec("compat_reexport.tool_importer", "any", 9, tool_reexport_importer, "15 §4"),
    ShapeSpec("compat_reexport.canonical_importer", "any", 9, canonical_reexport_importer, "15 §4"),
    ShapeSpec("factory_bypass.async", "app", 22, _v(factory_bypass, variant="async"), "15 §3"),
    ShapeSpec("factory_bypass.keywords", "test", 55, _v(factory_bypass, variant="keywords"), "15 §3"),
    ShapeSpec("factory_bypass.extra_args", "any", 5, _v(factory_bypass, variant="extra_args"), "15 §3"),
    ShapeSpec("factory_bypass.sync", "any", 5, _v(factory_bypass, variant="sync"), "15 §3"),
    ShapeSpec("factory_bypass.factory_call", "any", 30, factory_call_clean),
    ShapeSpec("factory_bypass.canonical_subclass", "app", 5, canonical_subclass),
    ShapeSpec("create_from_legacy.after_removal", "any", 17, create_from_legacy, "14 §3c"),
    ShapeSpec("create_from_legacy.existing_method", "any", 5, existing_static_call, "14 §3c"),
    ShapeSpec("renamed_import.annotation_only", "any", 90, _v(renamed_import, variant="annotation_only"), "14 §2d"),
    ShapeSpec("renamed_import.alias_call", "any", 80, _v(renamed_import, variant="alias_call"), "14 §2d"),
    ShapeSpec("renamed_import.unrenamed_call", "any", 58, _v(renamed_import, variant="unrenamed_call"), "14 §3a"),
    ShapeSpec("renamed_import.unevaluated_annotation", "any", 10, _v(renamed_import, variant="unevaluated_annotation"), "14 §3a"),
    ShapeSpec("renamed_import.string_annotation", "any", 8, _v(renamed_import, variant="string_annotation"), "14 §3a"),
    ShapeSpec("renamed_import.unrenamed_legacy_call", "any", 12, unrenamed_legacy_name, "14 §3a"),
    ShapeSpec("renamed_import.unknown_star_import", "any", 3, star_import_unknown, "14 §3a"),
    ShapeSpec("obscuring_alias.legacy_as_canonical", "any", 5, dangerous_alias, "14 §2d"),
    ShapeSpec("obscuring_alias.honest_alias", "any", 5, honest_alias, "14 §2d"),
    ShapeSpec("obscuring_alias.neutral_alias", "any", 4, neutral_alias, "14 §2d"),
    ShapeSpec("importerror_fallback.found", "any", 8, importerror_fallback, "14 §1a"),
    ShapeSpec("importerror_fallback.clean", "any", 6, importerror_fallback_clean, "14 §1a"),
    ShapeSpec("stub_fallback.found", "any", 11, stub_fallback, "14 §1b"),
    ShapeSpec("stub_fallback.clean", "any", 6, _v(stub_fallback, clean=True), "14 §1b"),
    ShapeSpec("discovered_duplicate.tool_engine", "any", 9, _v(discovered_usage, cls="ToolExecutionEngine"), "14 §1c"),
    ShapeSpec("discovered_duplicate.workflow_engine", "any", 3, _v(discovered_usage, cls="WorkflowExecutionEngine"), "14 §1c"),
    ShapeSpec("discovered_duplicate.pipeline_engine", "any", 3, _v(discovered_usage, cls="PipelineExecutionEngine"), "14 §1c"),
    ShapeSpec("discovered_duplicate.clean", "test", 6, discovered_clean, "14 §1c"),
    ShapeSpec("test_double.mock_engine", "test", 14, _v(test_double, variant="mock_engine"), "14 §2a"),
    ShapeSpec("test_double.magicmock_subclass", "test", 6, _v(test_double, variant="magicmock_subclass"), "14 §2a"),
    ShapeSpec("test_double.legacy_subclass", "test", 5, _v(test_double, variant="legacy_subclass"), "14 §2a"),
    ShapeSpec("test_double.fake_supervisor", "test", 6, _v(test_double, variant="fake_supervisor"), "14 §2a"),
    ShapeSpec("test_double.supervisor_mock", "test", 4, _v(test_double, variant="supervisor_mock"), "14 §2a"),
    ShapeSpec("test_double.emitter_double", "test", 20, _v(test_double, variant="emitter_double"), "14 §2a"),
    ShapeSpec("test_double.class_in_test_file", "test", 14, _v(test_double, variant="test_file_class"), "14 §2a"),
    ShapeSpec("interface.protocol", "app", 3, _v(interface, variant="protocol"), "14 §2b"),
    ShapeSpec("interface.abstract_methods", "app", 3, _v(interface, variant="abc"), "14 §2b"),
    ShapeSpec("interface.abstract_engine", "app", 2, _v(interface, variant="abstract_engine"), "14 §2b"),
    ShapeSpec("interface.stub_bodies", "app", 3, _v(interface, variant="stub_bodies"), "14 §2b"),
    ShapeSpec("interface.partly_implemented", "app", 1, _v(interface, variant="partial"), "14 §2b"),
    ShapeSpec("delegating.all_methods_delegate", "app", 18, _v(delegating, variant="all_delegate"), "14 §2c"),
    ShapeSpec("delegating.canonical_subclass_super", "app", 3, _v(delegating, variant="super_delegate"), "14 §2c"),
    ShapeSpec("delegating.partly_own_delivery", "app", 2, _v(delegating, variant="mixed"), "14 §2c"),
    ShapeSpec("delegating.own_delivery", "app", 1, real_second_emitter, "14 §2c"),
    ShapeSpec("patch_target.legacy_class", "test", 22, _v(patch_target, variant="legacy_class"), "15 §1"),
    ShapeSpec("patch_target.method_exists", "test", 7, _v(patch_target, variant="method_exists"), "15 §1"),
    ShapeSpec("patch_target.method_missing", "test", 5, _v(patch_target, variant="method_missing"), "15 §1"),
    ShapeSpec("patch_target.module_logger", "test", 9, _v(patch_target, variant="module_logger"), "15 §1"),
    ShapeSpec("patch_target.module_attr_unbound", "test", 7, _v(patch_target, variant="module_attr_unbound"), "15 §1"),
    ShapeSpec("patch_target.patch_object", "test", 5, _v(patch_target, variant="patch_object"), "15 §1"),
    ShapeSpec("patch_target.tool_engine", "test", 5, _v(patch_target, variant="tool_engine"), "15 §1"),
    ShapeSpec("patch_target.deleted_module", "test", 9, _v(patch_target, variant="deleted_module"), "14 §3b"),
    ShapeSpec("patch_target.import_module", "test", 4, _v(patch_target, variant="import_module")),
    ShapeSpec("patch_target.factory_patch", "test", 18, _v(patch_target, variant="factory_patch")),
    ShapeSpec("patch_target.canonical_patch", "test", 9, _v(patch_target, variant="canonical_patch")),
    ShapeSpec("patch_target.forbidden_list", "test", 8, _v(patch_target, variant="forbidden_list")),
    ShapeSpec("suppression.used", "any", 4, _v(suppression, variant="used")),
    ShapeSpec("suppression.unused", "any", 3, _v(suppression, variant="unused")),
    # appended (not inserted) so that the placements of every shape above stay where they were
    ShapeSpec("importerror_fallback.legacy_first", "any", 4, _v(importerror_handler_import, variant="legacy_first"), "14 §1a"),
    ShapeSpec("importerror_fallback.double_fallback", "test", 3, _v(importerror_handler_import, variant="double_fallback"),
              "14 §1a"),
    ShapeSpec("importerror_fallback.canonical_first", "any", 3, _v(importerror_handler_import, variant="canonical_first"),
              "14 §1a"),
    ShapeSpec("renamed_import.type_checking_alias", "any", 4, type_checking_alias, "14 §3a"),
    ShapeSpec("test_double.mock_module_subclass", "app", 2, mock_module_double, "14 §2a", dir="test_framework/"),
    ShapeSpec("delegating.sync_forwarding", "app", 4, sync_delegation, "14 §2c"),
    ShapeSpec("importerror_fallback.in_function", "any", 3, _v(importerror_handler_import, variant="in_function"), "14 §1a"),
]

# Harmless mentions: spread over extra files until the share of mentioning files is reached.
MENTIONS = ["comment", "commented_import", "log_string", "annotation", "type_checking_canonical", "variable_names",
            "config_class", "factory_annotation", "emitter_calls", "docstring"]
MENTION_WEIGHTS = [14, 6, 18, 10, 4, 12, 3, 4, 6, 12]
