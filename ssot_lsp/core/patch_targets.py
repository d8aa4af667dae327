"""Where a patch of a legacy target must go so that it still patches the same thing (issue 15 §1).

A patch target is a module path plus an attribute path: ``mock.patch("legacy.module.logger")``,
``patch.object(legacy_module, "Name")``. Rewriting the module path alone changes *what is patched*
(the first trial turned a patch of the legacy module's ``logger`` into a patch of the canonical
class), so the counterpart of a target is decided by what its first attribute is:

- the legacy class -> the group's replacement for that symbol (``replacements``; the canonical class
  by default); ``"none"`` -> no counterpart;
- ``Legacy.method`` -> only when the replacement class defines ``method``;
- any other attribute -> the same name in the canonical module, only when the canonical module binds
  it to the same kind of object (class, function, value or module); that patch reaches another
  module's object, so the fix is marked as moving (its title says so);
- otherwise no counterpart, and the reason says what the target is and why it cannot move.

The same function answers the rule (is a fix expected, what does the finding carry), the fix (what
to write) and verification (does the written target resolve, in the index, to the counterpart).
"""

from __future__ import annotations

from dataclasses import dataclass

from ssot_lsp.config.model import Group
from ssot_lsp.core.classify import LEGACY, Classifier, Duplicate
from ssot_lsp.core.index import Ref, WorkspaceIndex

KINDS = {"class": "class", "def": "function", "other": "value"}


@dataclass(frozen=True)
class Counterpart:
    """What a legacy patch target becomes: ``target`` (a dotted string), or ``reason`` why nothing."""

    target: str = ""
    reason: str = ""
    moved: bool = False  # an attribute moved to the canonical module: another module's own object

    @property
    def found(self) -> bool:
        return bool(self.target)


def split_target(index: WorkspaceIndex, dotted: str, modules: tuple[str, ...] = ()) -> tuple[str, list[str]] | None:
    """(module, attribute path) of a dotted target: the longest prefix the workspace knows as a module
    (or one of ``modules``); None when no prefix is one."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        module = ".".join(parts[:cut])
        if index.is_module(module) or module in modules:
            return module, parts[cut:]
    return None


def resolve_target(index: WorkspaceIndex, dotted: str) -> Ref | None:
    """What a dotted patch target refers to in the index (following re-exports); None when the
    module does not bind its first attribute."""
    split = split_target(index, dotted)
    if split is None:
        return None
    module, attrs = split
    if not attrs:
        return Ref(module)
    ref = index.resolve_name(module, attrs[0])
    for part in attrs[1:]:
        if ref is None:
            return None
        if ref.is_module:
            ref = index.resolve_name(ref.module, part)
        else:
            ref = Ref(ref.module, ref.name, f"{ref.attr}.{part}" if ref.attr else part, ref.kind)
    return ref


def kind_of(ref: Ref) -> str:
    """'module', 'class', 'function', 'value', or 'unknown' (defined outside the workspace)."""
    return "module" if ref.is_module else KINDS.get(ref.kind, "unknown")


def is_legacy_class(classifier: Classifier, group: Group, ref: Ref | None) -> bool:
    """The legacy class of the group (listed, given a replacement, or discovered as a duplicate of
    the canonical class), as opposed to anything else a legacy module defines."""
    if ref is None or ref.is_module or ref.kind != "class" or ref.attr:
        return False
    if ref.symbol in group.legacy_symbols or ref.symbol in group.replacements:
        return True
    cls = classifier.index.class_fact(ref.module, ref.name or "")
    if cls is None:
        return False
    return any(d.group is group and d.kind in (Duplicate.DEFINITION, Duplicate.NAME)
               for d in classifier.discover(ref.module, cls))


def counterpart(classifier: Classifier, group: Group, dotted: str) -> Counterpart:
    """The counterpart of a legacy patch target (see the module docstring)."""
    index = classifier.index
    split = split_target(index, dotted, group.legacy_modules)
    if split is None:
        return Counterpart(reason=f"`{dotted}` names no module of the workspace")
    module, attrs = split
    if not attrs:
        return Counterpart(reason=f"`{dotted}` is a module, not an attribute of one: the attributes patched "
                                  "in it must be moved one by one")
    ref = index.resolve_name(module, attrs[0])
    if ref is None:
        return Counterpart(reason=f"{module} binds no `{attrs[0]}`")
    if is_legacy_class(classifier, group, ref):
        return _class_counterpart(classifier, group, module, ref, attrs)
    role = classifier.role(ref)
    if classifier.legacy_module_group(module) is not group and (role is None or role.role != LEGACY):
        return Counterpart(reason=f"`{dotted}` is not a legacy target")
    return _moved_counterpart(index, group, module, ref, attrs)


def _class_counterpart(classifier: Classifier, group: Group, module: str, ref: Ref, attrs: list[str]) -> Counterpart:
    index = classifier.index
    replacement = classifier.replacement_for(group, ref.symbol)
    shown = f"{module}.{attrs[0]}"
    if replacement is None:
        return Counterpart(reason=f'nothing replaces {ref.name} automatically (the group\'s replacements say "none")')
    new_module, _, new_name = replacement.partition(":")
    if classifier.legacy_module_group(module) is None and ref.module != module:
        # the name where it is used: patch that module's binding of the replacement
        bound = index.resolve_name(module, new_name)
        if bound is None or bound.symbol != replacement or bound.attr:
            return Counterpart(reason=f"`{shown}` patches {module}'s own binding of {ref.name}, and {module} "
                                      f"does not bind {new_name}: migrate its import first")
        new_module = module
    if len(attrs) > 1:
        cls = index.class_fact(replacement.partition(":")[0], new_name)
        defines = classifier.nature.defines(replacement.partition(":")[0], cls, attrs[1]) if cls else None
        if defines is None:
            return Counterpart(reason=f"cannot tell whether {new_name} defines `{attrs[1]}` "
                                      f"(patched as `{shown}.{attrs[1]}`)")
        if not defines:
            return Counterpart(reason=f"{new_name} does not define `{attrs[1]}`: `{shown}.{attrs[1]}` has no "
                                      "counterpart to patch")
    return Counterpart(".".join([new_module, new_name, *attrs[1:]]))


def _moved_counterpart(index: WorkspaceIndex, group: Group, module: str, ref: Ref, attrs: list[str]) -> Counterpart:
    """Any other attribute: the same name in the canonical module, bound to the same kind of object."""
    canonical_module, name = group.canonical_module, attrs[0]
    kind = kind_of(ref)
    what = f"`{module}.{name}` ({'an object' if kind == 'unknown' else 'a ' + kind} of the legacy module)"
    there = index.resolve_name(canonical_module, name) if index.is_module(canonical_module) else None
    if there is None:
        return Counterpart(reason=f"{what} has no counterpart: {canonical_module} binds no `{name}`")
    there_kind = kind_of(there)
    if there != ref and (kind == "unknown" or there_kind != kind):
        theirs = "an object of unknown kind" if there_kind == "unknown" else f"a {there_kind}"
        return Counterpart(reason=f"{what} cannot move: {canonical_module}.{name} is {theirs}")
    return Counterpart(".".join([canonical_module, *attrs]), moved=True)


def check_rewrite(classifier: Classifier, group: Group, old: str, new: str) -> str | None:
    """Verification: None when the rewritten target ``new`` resolves in the index to the counterpart
    of ``old``; else why not."""
    expected = counterpart(classifier, group, old)
    if not expected.found:
        return f"`{old}` has no counterpart ({expected.reason})"
    index = classifier.index
    got, wanted = resolve_target(index, new), resolve_target(index, expected.target)
    if got is None:
        return f"the new target `{new}` does not resolve in the workspace"
    if wanted is None or (got.module, got.name, got.attr) != (wanted.module, wanted.name, wanted.attr):
        return f"the new target `{new}` is not the counterpart of `{old}` ({expected.target})"
    old_ref = resolve_target(index, old)
    if expected.moved and old_ref is not None and got != old_ref and kind_of(got) != kind_of(old_ref):
        return f"the new target `{new}` is a {kind_of(got)}, `{old}` a {kind_of(old_ref)}"
    return None
