"""What a half-done migration broke: references to names, modules and attributes that are gone.

Shared by SSOT011 (which reports them) and by the rules that must then stay quiet about the same
site: a patch of a deleted legacy module is broken (SSOT011), not a legacy reference to migrate
(SSOT007); a call of a removed compatibility constructor is SSOT011, not SSOT002.

Every answer is "broken" only when the workspace says so for sure, and says the same with or
without the prefilter: a module exists when the workspace has its file (or a package below it);
what a module binds is known from its facts (the group modules are always parsed whole, and every
statement binding a group's class name spells a needle, so partial facts hold it); a module the
prefilter skipped spells no needle, so it binds no group class name and defines no module
``__getattr__`` (``def __getattr__`` is a needle). Star imports from modules outside the workspace,
module ``__getattr__`` and bases outside the group modules make the answer unknown: not broken.
"""

from __future__ import annotations

from dataclasses import dataclass

from ssot_lsp.config.model import Config, Group
from ssot_lsp.core.classify import CANONICAL, COMPAT, LEGACY, Classifier, modules_of
from ssot_lsp.core.facts import CallFact, ImportFact, NameRefFact, StringRefFact, resolve_relative
from ssot_lsp.core.index import Ref, WorkspaceIndex
from ssot_lsp.core.rules.context import RuleContext, short

UNBOUND, MISSING_MODULE, MISSING_ATTRIBUTE, MISSING_COMPAT = "unbound", "missing-module", "missing-attribute", \
    "missing-compat"


@dataclass(frozen=True)
class Broken:
    group: Group
    situation: str  # UNBOUND | MISSING_MODULE | MISSING_ATTRIBUTE | MISSING_COMPAT
    name: str  # the unbound name, the missing module, or the missing attribute
    owner: str  # where it was looked for: the module (or ``module:Class``) for attributes, else ''
    meant: str  # what was probably meant ('' when nothing in the workspace says)


def group_of_name(ctx: RuleContext, name: str) -> tuple[Group, str] | None:
    """(group, the symbol) of a watched name: a group's canonical class name (the first group's), else
    a legacy class name (the first group's, its first symbol of that name). The table is made once
    per configuration (every import of a workspace module by every analysed file asks: 5,000 times,
    13 -> 5 ms of a cold check), and replaced whole: a scan in another thread sees one or the other."""
    config = ctx.config
    known, table = _WATCHED[0]
    if known is not config:
        table = {}
        for group in config.groups:
            for symbol in group.legacy_symbols:
                table.setdefault(short(symbol), (group, symbol))
        canonical: dict[str, tuple[Group, str]] = {}
        for group in config.groups:
            canonical.setdefault(group.canonical_name, (group, group.canonical))
        table.update(canonical)
        _WATCHED[0] = (config, table)
    return table.get(name)


_WATCHED: list[tuple[Config | None, dict[str, tuple[Group, str]]]] = [(None, {})]


def group_knows_workspace(index: WorkspaceIndex, group: Group) -> bool:
    """A workspace without the group's canonical module is not (yet) the group's: nothing is 'gone'."""
    return index.is_module(group.canonical_module)


def binds(index: WorkspaceIndex, module: str, name: str, _seen: frozenset[str] = frozenset()) -> bool | None:
    """Whether a workspace module binds ``name`` at module level (None: cannot be known)."""
    if module in _seen:
        return False
    facts = index.get(module)
    if facts is None:
        # outside the workspace: unknown; skipped by the prefilter: it spells no group name
        return None if not index.is_module(module) else False
    if name in facts.bindings or index.is_module(f"{module}.{name}"):
        return True
    if "__getattr__" in facts.bindings:
        return None
    for star in facts.star_imports:
        star_facts = index.get(star)
        if star_facts is not None and star_facts.all_names is not None:
            if name in star_facts.all_names:
                return True
            continue
        exported = binds(index, star, name, _seen | {module})
        if exported is None or exported:
            return exported
    return False


# -- names no scope binds ------------------------------------------------------------------
def unbound_name(ctx: RuleContext, use: NameRefFact) -> Broken | None:
    found = group_of_name(ctx, use.name)
    if found is None:
        return None
    group, symbol = found
    facts, index = ctx.facts, ctx.index
    for star in facts.star_imports:
        exported = binds(index, star, use.name)
        if exported is None or exported:
            return None  # `from unreadable import *` may bind it; a readable one does
    return Broken(group, UNBOUND, use.name, "", meant_binding(ctx, use, group, symbol))


def meant_binding(ctx: RuleContext, use: NameRefFact, group: Group, symbol: str) -> str:
    """The name this file binds to the same class (an alias), else to the group's canonical class."""
    facts, index = ctx.facts, ctx.index
    canonical = ""
    candidates = [name for name, (kind, _) in facts.bindings.items() if kind in ("import", "alias")]
    chain = set(facts.scope_chain(use.scope))
    candidates += [imp.bound for imp in facts.imports if imp.bound and imp.scope in chain and imp.scope != 0]
    for name in candidates:
        ref = index.resolve_expr(facts, use.scope, name)
        if ref is None or ref.is_module or ref.attr:
            continue
        if ref.symbol == symbol:
            return name
        role = ctx.classifier.role(ref)
        if not canonical and role is not None and role.group is group and role.role == CANONICAL:
            canonical = name
    return canonical


# -- modules and attributes that are gone ---------------------------------------------------
def _group_module(ctx: RuleContext, dotted: str) -> tuple[Group, str] | None:
    """The longest group module ``dotted`` is (or is inside), with its group (the first group
    naming it). Remembered per configuration: every import of every analysed file asks."""
    config = ctx.config
    if _GROUP_MODULES_FOR[0] is not config:
        _GROUP_MODULES_FOR[0] = config
        _GROUP_MODULES.clear()
    if dotted in _GROUP_MODULES:
        return _GROUP_MODULES[dotted]
    best: tuple[Group, str] | None = None
    for group in config.groups:
        for module in modules_of(group):
            if (dotted == module or dotted.startswith(module + ".")) and (best is None or len(module) > len(best[1])):
                best = (group, module)
    _GROUP_MODULES[dotted] = best
    return best


_GROUP_MODULES: dict[str, tuple[Group, str] | None] = {}
_GROUP_MODULES_FOR: list[Config | None] = [None]


def missing_module(ctx: RuleContext, dotted: str) -> Broken | None:
    """``dotted`` lies in a group module the workspace no longer has."""
    found = _group_module(ctx, dotted)
    if found is None:
        return None
    group, module = found
    if ctx.classifier.module_exists(module) or not group_knows_workspace(ctx.index, group):
        return None
    rest = dotted[len(module) + 1:].split(".")[0] if dotted != module else ""
    return Broken(group, MISSING_MODULE, module, "", _moved_to(ctx, rest))


def _moved_to(ctx: RuleContext, name: str) -> str:
    """Where a class of that name lives now, when the workspace defines exactly one."""
    if not name:
        return ""
    places = {module for module, cls in ctx.index.classes_named(name) if cls.scope == 0 and not cls.fallback}
    return f"{places.pop()}.{name}" if len(places) == 1 else ""


def missing_attribute(ctx: RuleContext, module: str, attribute: str, more: list[str]) -> Broken | None:
    """``module.attribute[.more]`` where the existing ``module`` no longer binds ``attribute`` (a group
    class name, or anything in a group module), or a group class no longer defines ``more[0]``."""
    index = ctx.index
    group_module = _group_module(ctx, module)
    named = group_of_name(ctx, attribute)
    if group_module is None and named is None:
        return None
    group = group_module[0] if group_module is not None else named[0]  # type: ignore[index]
    if not group_knows_workspace(index, group):
        return None
    bound = binds(index, module, attribute)
    if bound is False:
        if named is not None or module in ctx.classifier.group_modules:
            return Broken(group, MISSING_ATTRIBUTE, attribute, module, _instead(ctx, module, named))
        return None
    if bound and more:
        ref = index.resolve_name(module, attribute)
        return _missing_member(ctx.classifier, ref, more[0]) if ref is not None else None
    return None


def _instead(ctx: RuleContext, module: str, named: tuple[Group, str] | None) -> str:
    """What the module binds now in place of a group class name (its canonical class, say)."""
    facts = ctx.index.get(module)
    if named is None or facts is None:
        return ""
    for name in facts.bindings:
        role = ctx.classifier.role(ctx.index.resolve_name(module, name))
        if role is not None and role.group is named[0] and role.role == CANONICAL:
            return f"{module}.{name}"
    return ""


def _missing_member(classifier: Classifier, ref: Ref, member: str) -> Broken | None:
    """A group class (canonical or listed legacy) that no longer defines ``member``."""
    if ref.is_module or ref.attr or ref.kind != "class":
        return None
    role = classifier.role(ref)
    if role is None or role.discovered is not None or role.role not in (CANONICAL, LEGACY):
        return None
    cls = classifier.index.class_fact(ref.module, ref.name or "")
    if cls is None or classifier.nature.defines(ref.module, cls, member) is not False:
        return None
    return Broken(role.group, MISSING_ATTRIBUTE, member, ref.symbol, "")


def broken_string(ctx: RuleContext, sref: StringRefFact) -> Broken | None:
    """A patch or import target naming a group module the workspace no longer has, or an attribute
    that module (or a group class) no longer defines (``patch(..., create=True)`` excepted)."""
    index = ctx.index
    if sref.kind == "patch.object":
        target = index.resolve_expr(ctx.facts, sref.scope, sref.target_expr or "")
        if target is None or sref.create:
            return None
        if target.is_module:
            return missing_attribute(ctx, target.module, sref.value, []) if index.is_module(target.module) else None
        return _missing_member(ctx.classifier, target, sref.value)
    value = sref.value
    if value.startswith(".") and sref.package:
        level = len(value) - len(value.lstrip("."))
        value = resolve_relative(sref.package, True, level, value.lstrip(".") or None)
    parts = value.split(".")
    if not value or not all(p.isidentifier() for p in parts):
        return None
    gone = missing_module(ctx, value)
    if gone is not None or sref.kind != "patch" or sref.create:
        return gone
    for cut in range(len(parts) - 1, 0, -1):
        module = ".".join(parts[:cut])
        if index.is_module(module):
            return missing_attribute(ctx, module, parts[cut], parts[cut + 1:])
    return None


def broken_import(ctx: RuleContext, imp: ImportFact) -> Broken | None:
    """An import of a group module the workspace no longer has, or of a group class name a workspace
    module no longer binds (an ImportError when it runs)."""
    if not imp.module:
        return None
    dotted = imp.module if imp.name in (None, "*") else f"{imp.module}.{imp.name}"
    gone = missing_module(ctx, imp.module) or (missing_module(ctx, dotted) if imp.name not in (None, "*") else None)
    if gone is not None:
        if gone.name != imp.module and binds(ctx.index, imp.module, imp.name or "") is not False:
            return None  # `from pkg import name`: pkg binds name (not the deleted submodule)
        return gone
    if imp.name in (None, "*") or not ctx.index.is_module(imp.module):
        return None
    if group_of_name(ctx, imp.name or "") is None:
        return None
    return missing_attribute(ctx, imp.module, imp.name or "", [])


# -- compatibility constructors that were removed -------------------------------------------
def broken_compat_call(ctx: RuleContext, call: CallFact) -> tuple[Broken, Ref] | None:
    ref = ctx.index.resolve_expr(ctx.facts, call.scope, call.callee)
    if ref is None or ref.is_module or not ref.attr:
        return None
    role = ctx.classifier.role(ref)
    if role is None or role.role != COMPAT or not ctx.classifier.compat_missing(ref):
        return None
    method = ref.attr.partition(".")[0]
    return Broken(role.group, MISSING_COMPAT, method, ref.symbol, ""), ref
