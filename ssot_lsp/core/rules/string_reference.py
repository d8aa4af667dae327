"""SSOT007 string-reference: import and patch helpers naming a legacy module or symbol in a string."""

from __future__ import annotations

from ssot_lsp.core.classify import LEGACY
from ssot_lsp.core.facts import resolve_relative
from ssot_lsp.core.rules.base import RuleContext, canonical_hint

CODE = "SSOT007"


def legacy_target(ctx: RuleContext, dotted: str):
    """(group, canonical replacement string or None) when a dotted string names something legacy."""
    classifier, index = ctx.classifier, ctx.index
    parts = dotted.split(".")
    configured = {m for g in ctx.config.groups for m in g.legacy_modules}
    for cut in range(len(parts), 0, -1):
        module = ".".join(parts[:cut])
        if cut > 1 and not (index.is_module(module) or module in configured):
            continue  # 'pkg.mod.Class' is a symbol of pkg.mod, not a module below it
        group = classifier.legacy_module_group(module)
        rest = parts[cut:]
        if group is not None:
            if rest:
                ref = index.resolve_name(module, rest[0])
                role = classifier.role(ref)
                if role is not None and role.role != LEGACY:
                    return None
                if group.is_allowed(module, rest[0]):
                    return None
                replacement = ".".join([group.canonical_module, group.canonical_name, *rest[1:]])
            else:
                replacement = group.canonical_module
            return group, replacement
        if rest and index.is_module(module):
            ref = index.resolve_name(module, rest[0])
            role = classifier.role(ref)
            if role is not None and role.role == LEGACY:
                return role.group, ".".join([module, role.group.canonical_name, *rest[1:]])
            return None
    return None


def check(ctx: RuleContext) -> None:
    if ctx.in_legacy_module:
        return
    facts = ctx.facts
    for ref in facts.string_refs:
        if ref.kind == "patch.object":
            target = ctx.index.resolve_expr(facts, ref.scope, ref.target_expr or "")
            if target is None:
                continue
            dotted = target.module if target.is_module else f"{target.module}.{target.name}"
            hit = legacy_target(ctx, f"{dotted}.{ref.value}")
            where = f"patch.object({ref.target_expr}, {ref.value!r})"
        else:
            value = ref.value
            if value.startswith(".") and ref.package:
                level = len(value) - len(value.lstrip("."))
                value = resolve_relative(ref.package, True, level, value.lstrip(".") or None)
            if not value or not all(p.isidentifier() for p in value.split(".")):
                continue
            hit = legacy_target(ctx, value)
            where = f"{ref.kind}({ref.value!r})"
        if hit is None:
            continue
        group, replacement = hit
        note = ""
        if ref.kind in ("patch", "patch.object"):
            note = ("; patching the defining module does not affect names other modules already imported "
                    "(e.g. the factory module's own binding)")
        ctx.report(CODE, ref.span, f"{where} names a legacy target; {canonical_hint(group)}{note}",
                   group=group, stmt_line=ref.stmt_line, symbol=ref.value,
                   data={"kind": "string", "value": ref.value, "replacement": replacement,
                         "patchKind": ref.kind, "canonical": group.canonical})
