"""SSOT001 legacy-import: importing a legacy module, or a name that resolves to a legacy symbol."""

from __future__ import annotations

from ssot_lsp.core.classify import ALLOWED, LEGACY
from ssot_lsp.core.rules.base import RuleContext, canonical_hint

CODE = "SSOT001"


def check(ctx: RuleContext) -> None:
    if ctx.in_legacy_module:
        return
    facts, index, classifier = ctx.facts, ctx.index, ctx.classifier
    for imp in facts.imports:
        if not imp.module:
            continue
        if imp.name is None or imp.name == "*":
            group = classifier.legacy_module_group(imp.module)
            if group is None:
                if imp.name == "*":
                    _star_reexports(ctx, imp)
                continue
            what = f"import of legacy module {imp.module}" if imp.name is None else f"star import from legacy module {imp.module}"
            ctx.report(CODE, imp.span, f"{what}; {canonical_hint(group)}", group=group, stmt_line=imp.stmt_line,
                       symbol=imp.module, data=_data(imp, imp.module, group))
            continue
        source_group = classifier.legacy_module_group(imp.module)
        ref = index.resolve_name(imp.module, imp.name)
        if ref is not None and ref.kind == "external" and index.is_module(f"{imp.module}.{imp.name}"):
            ref = None
        role = classifier.role(ref)
        if role is not None and role.role == ALLOWED:
            continue
        if source_group is not None and source_group.is_allowed(imp.module, imp.name):
            continue
        if source_group is not None:
            group = source_group
            message = f"import of {imp.name} from legacy module {imp.module}; {canonical_hint(group)}"
        elif role is not None and role.role == LEGACY:
            group = role.group
            via = "" if ref.module == imp.module else f" (re-exported from {ref.qualname})"
            kind = "legacy module" if ref.is_module else "legacy"
            message = f"import of {kind} {imp.name}{via}; {canonical_hint(group)}"
        else:
            submodule = f"{imp.module}.{imp.name}"
            group = classifier.legacy_module_group(submodule)
            if group is None:
                continue
            message = f"import of legacy module {submodule}; {canonical_hint(group)}"
        ctx.report(CODE, imp.span, message, group=group, stmt_line=imp.stmt_line,
                   symbol=ref.qualname if ref is not None else f"{imp.module}:{imp.name}",
                   data=_data(imp, ref.qualname if ref is not None else f"{imp.module}:{imp.name}", group))


def _star_reexports(ctx: RuleContext, imp) -> None:
    """``from pkg import *`` where ``pkg`` exports legacy names: one finding naming all of them."""
    legacy: list[tuple[str, object]] = []
    for name in ctx.index.exported_names(imp.module):
        ref = ctx.index.resolve_name(imp.module, name)
        if ref is None or (ref.kind == "external" and ctx.index.is_module(f"{imp.module}.{name}")):
            continue
        role = ctx.classifier.role(ref)
        if role is not None and role.role == LEGACY:
            legacy.append((name, ref, role.group))
    if not legacy:
        return
    groups = []
    for _, _, group in legacy:
        if not any(group is seen for seen in groups):
            groups.append(group)
    names = ", ".join(name for name, _, _ in legacy)
    first_ref = legacy[0][1]
    for group in groups:
        ctx.report(CODE, imp.span,
                   f"star import from {imp.module} brings in legacy {names}; {canonical_hint(group)}",
                   group=group, stmt_line=imp.stmt_line, symbol=f"{imp.module}:*",
                   data=_data(imp, first_ref.qualname, group))


def _data(imp, legacy: str, group) -> dict:
    return {
        "kind": "import", "legacy": legacy, "canonical": group.canonical, "module": imp.module,
        "name": imp.name, "asname": imp.asname, "bound": imp.bound, "level": imp.level,
        "typeChecking": imp.type_checking,
    }
