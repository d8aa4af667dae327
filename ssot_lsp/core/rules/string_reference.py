"""SSOT007 string-reference: import and patch helpers naming a legacy module or symbol in a string."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ssot_lsp.config.model import REPLACEMENT_NONE, Group
from ssot_lsp.core.classify import LEGACY
from ssot_lsp.core.facts import StringRefFact, resolve_relative
from ssot_lsp.core.patch_targets import Counterpart, counterpart, is_legacy_class, split_target
from ssot_lsp.core.payload import Payload
from ssot_lsp.core.rules.breakage import broken_string
from ssot_lsp.core.rules.context import RuleContext, canonical_hint, replacement_hint, replacement_of
from ssot_lsp.core.rules.example_workspace import CANONICAL_ENGINE_MODULE, LEGACY_ENGINE_MODULE
from ssot_lsp.core.rules.rule import Bucket, Example, FixSpec, Rule, Safety


@dataclass(frozen=True)
class StringPayload(Payload):
    KIND: ClassVar[str] = "string"
    value: str  # the string as written (for patch.object: the attribute name)
    replacement: str  # the target the string should name ('' when nothing replaces it: replacements "none")
    patch_kind: str  # the helper: 'patch', 'patch.object', 'import_module' or '__import__'
    canonical: str
    replaces: str = ""  # what replaces the legacy symbol: ``module:Name`` or "none" ('' for a module)
    target: str = ""  # patch targets: the dotted target as resolved (``patch.object``: object + attribute)
    withheld: str = ""  # patch targets: why the target has no counterpart ('' when it has one)
    moved: bool = False  # patch targets: the counterpart is the canonical module's own object of that name

    def migrates_to(self) -> str | None:
        return self.replaces or None

    def manual_text(self) -> str:
        return self.withheld


def legacy_target(ctx: RuleContext, dotted: str) -> tuple[Group, str, str] | None:
    """(group, replacement string, what replaces the legacy symbol) when a dotted string names
    something legacy; the replacement string is '' when nothing replaces it (``"none"``)."""
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
                replaces = replacement_of(ctx, group, ref.symbol if ref is not None and not ref.is_module
                                          else f"{module}:{rest[0]}")
                return group, _dotted_replacement(replaces, rest[1:]), replaces
            return group, group.canonical_module, ""
        if rest and index.is_module(module):
            ref = index.resolve_name(module, rest[0])
            role = classifier.role(ref)
            if role is not None and role.role == LEGACY and ref is not None:
                replaces = replacement_of(ctx, role.group, ref.symbol)
                if replaces == REPLACEMENT_NONE:
                    return role.group, "", replaces
                return role.group, ".".join([module, replaces.partition(":")[2], *rest[1:]]), replaces
            return None
    return None


def _dotted_replacement(replaces: str, rest: list[str]) -> str:
    """``module:Name`` and the attribute path below it as a patch target ('' for ``"none"``)."""
    if replaces == REPLACEMENT_NONE:
        return ""
    module, _, name = replaces.partition(":")
    return ".".join([module, name, *rest])


def _target(ctx: RuleContext, ref: StringRefFact) -> tuple[tuple[Group, str, str] | None, str, str]:
    """What a string reference names (group and replacement, or None), how to show the call and the
    dotted target it names."""
    if ref.kind == "patch.object":
        target = ctx.index.resolve_expr(ctx.facts, ref.scope, ref.target_expr or "")
        if target is None:
            return None, "", ""
        dotted = target.module if target.is_module else f"{target.module}.{target.name}"
        dotted = f"{dotted}.{ref.value}"
        return legacy_target(ctx, dotted), f"patch.object({ref.target_expr}, {ref.value!r})", dotted
    value = ref.value
    if value.startswith(".") and ref.package:
        level = len(value) - len(value.lstrip("."))
        value = resolve_relative(ref.package, True, level, value.lstrip(".") or None)
    if not value or not all(p.isidentifier() for p in value.split(".")):
        return None, "", ""
    return legacy_target(ctx, value), f"{ref.kind}({ref.value!r})", value


def _patch_counterpart(ctx: RuleContext, group: Group, dotted: str, replaces: str) -> tuple[Counterpart, str, str]:
    """(counterpart, what replaces the symbol, the message's hint) of a patch target: a patch keeps
    patching the same thing or has no fix (``ssot_lsp.core.patch_targets``)."""
    found = counterpart(ctx.classifier, group, dotted)
    split = split_target(ctx.index, dotted, group.legacy_modules)
    attribute_ref = ctx.index.resolve_name(split[0], split[1][0]) if split and split[1] else None
    if is_legacy_class(ctx.classifier, group, attribute_ref):
        if found.reason and replaces != REPLACEMENT_NONE:  # Legacy.method the replacement does not define
            return found, replaces, f"move the patch by hand: {found.reason}"
        return found, replaces, replacement_hint(group, replaces)
    if found.moved:
        return found, "", f"patch {found.target}, the canonical module's own object of that name"
    return found, "", (f"move the patch by hand: {found.reason}" if found.reason else canonical_hint(group))


def check(ctx: RuleContext) -> None:
    if ctx.in_legacy_module:
        return
    for ref in ctx.facts.string_refs:
        hit, where, dotted = _target(ctx, ref)
        if hit is None or broken_string(ctx, ref) is not None:
            continue  # a target that is gone: SSOT011
        group, replacement, replaces = hit
        hint = replacement_hint(group, replaces) if replaces else canonical_hint(group)
        withheld, moved = "", False
        if ref.kind in ("patch", "patch.object"):
            found, replaces, hint = _patch_counterpart(ctx, group, dotted, replaces)
            replacement, withheld, moved = found.target, found.reason, found.moved
        note = RULE.messages["patch-note"] if ref.kind in ("patch", "patch.object") and replacement else ""
        ctx.report(RULE, ref.span, RULE.message("string", where=where, hint=hint, note=note),
                   StringPayload(value=ref.value, replacement=replacement, patch_kind=ref.kind,
                                 canonical=group.canonical, replaces=replaces, target=dotted,
                                 withheld=withheld, moved=moved),
                   group=group, stmt_line=ref.stmt_line, symbol=ref.value)


RULE = Rule(code="SSOT007", name="string-reference", default_severity="warning", check=check,
            payload=StringPayload, summary="String reference to a legacy module or symbol",
            finds="""\
A string naming a legacy module or symbol in an import or patch helper: `mock.patch("…")`, the
`@patch("…")` decorator, `patch(target="…")`, `patch.object(module_alias, "Name")` (the object is
resolved through the index), `monkeypatch.setattr("…", …)`, `importlib.import_module("…")` (also
relative names with a `package` argument) and `__import__("…")`. Names re-exported through a package
are followed; allowed names and canonical targets are not reported; plain string constants are not
reported. A target the workspace no longer has (a patch of a deleted legacy module, an attribute the
module no longer binds) fails when the test runs: it is [SSOT011](SSOT011.md), not this rule. For a
legacy class the group's `replacements` map to `"none"` the message says that nothing replaces it
automatically, and no fix is offered.""",
            why="A string naming a legacy module or symbol (import_module, patch) is invisible to imports-based "
                "tooling and keeps the legacy path reachable.",
            messages={
                "string": "{where} names a legacy target; {hint}{note}",
                "patch-note": "; patching the defining module does not affect names other modules already imported "
                              "(e.g. the factory module's own binding)",
            },
            config_keys="`legacy-modules`, `legacy-symbols`, `allowed`, `replacements`",
            fix=FixSpec(
                safety=Safety.UNSAFE,
                entry="ssot_lsp.fixes.strings:STRING_FIX",
                summary="""\
A patch target is a module path plus an attribute path, and the fix keeps what it patches:

- the legacy class becomes the group's replacement for that symbol (`replacements`; the canonical
  class by default); a class whose replacement is `"none"` gets no fix;
- `Legacy.method` moves only when the replacement class defines `method`;
- any other attribute of the legacy module (`logger`, a helper function, an imported name) moves to
  the canonical module only when that binds the same name to the same kind of object (class,
  function, value or module); the title says it patches the canonical module's own object;
- a patch of the legacy class where it is used (`patch("app.runner.ExecutionEngine")`) moves to that
  module's binding of the replacement, once the module imports it;
- otherwise no fix, and the reason says what the target is and why it cannot move.

`patch.object(module, "Name")` follows the same rules and becomes `patch("canonical.module.Name")`.
Verification resolves the new target in the index: it must be the counterpart above, or the fix is
not offered. Every such fix needs review: patching the defining module does not affect names other
modules already imported (for example the factory module's own binding), and `import_module` then
returns a module whose names differ; a test may need to patch where the name is used."""),
            by_hand="Name the canonical module or class in the string, and patch names where they are used.",
            bucket=Bucket("string references (patch/import_module)", "count"),
            migration=("factory", "import"),
            invalid=(
                Example("from unittest.mock import patch\n\n\n"
                        f'@patch("{LEGACY_ENGINE_MODULE}.ExecutionEngine")\n'
                        "def test_run(engine_cls):\n    assert engine_cls\n",
                        fixed="from unittest.mock import patch\n\n\n"
                              f'@patch("{CANONICAL_ENGINE_MODULE}.UserExecutionEngine")\n'
                              "def test_run(engine_cls):\n    assert engine_cls\n",
                        path="tests/test_example.py"),
            ),
            valid=(
                Example("from unittest.mock import patch\n\n\n"
                        f'@patch("{CANONICAL_ENGINE_MODULE}.UserExecutionEngine")\n'
                        "def test_run(engine_cls):\n    assert engine_cls\n",
                        path="tests/test_example.py"),
                Example(f'LEGACY = "{LEGACY_ENGINE_MODULE}"\n'),
            ),
)
