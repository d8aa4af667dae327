"""SSOT001 legacy-import: importing a legacy module, or a name that resolves to a legacy symbol."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from ssot_lsp.config.model import Group
from ssot_lsp.core.classify import ALLOWED, LEGACY
from ssot_lsp.core.facts import ImportFact
from ssot_lsp.core.index import Ref
from ssot_lsp.core.payload import Payload
from ssot_lsp.core.rules.breakage import broken_import
from ssot_lsp.core.rules.context import RuleContext, canonical_hint, replacement_hint, replacement_of
from ssot_lsp.core.rules.example_workspace import CANONICAL_ENGINE_MODULE, FACTORY_MODULE, LEGACY_ENGINE_MODULE
from ssot_lsp.core.rules.legacy_construction import ConstructionPayload
from ssot_lsp.core.rules.rule import Bucket, Example, FixSpec, Rule, Safety


@dataclass(frozen=True)
class ImportPayload(Payload):
    """The import statement's parts, so the fix can find and rewrite it."""

    KIND: ClassVar[str] = "import"
    legacy: str  # the legacy symbol (``module:Name``) or module the import reaches
    canonical: str
    module: str
    name: str | None
    asname: str | None
    bound: str | None
    level: int
    type_checking: bool
    replacement: str = ""  # what replaces it: ``module:Name`` (the canonical class by default) or "none"

    def migrates_to(self) -> str | None:
        return self.replacement or None

    def expected_fix(self, declared: str, siblings: Sequence[Payload]) -> str | None:
        """Star imports and ``import a.b`` without an alias have no fix; the rewrite is unsafe when it
        also rewrites constructions through the binding (none if one of them cannot be rewritten), and
        safe otherwise — unless ``fix`` finds a use it cannot rewrite (see docs/configuration.md)."""
        if not self.bound or (self.name is None and self.asname is None and "." in self.module):
            return None
        through = [p for p in siblings if isinstance(p, ConstructionPayload)
                   and p.callee.partition(".")[0] == self.bound]
        if any(not p.fixable for p in through):
            return None
        return "unsafe" if through else "safe"


def check(ctx: RuleContext) -> None:
    if ctx.in_legacy_module:
        return
    for imp in ctx.facts.imports:
        if not imp.module or broken_import(ctx, imp) is not None:
            continue  # an import of something gone fails (SSOT011): nothing to migrate
        if imp.name is None or imp.name == "*":
            _module_import(ctx, imp)
        else:
            _name_import(ctx, imp)


def _module_import(ctx: RuleContext, imp: ImportFact) -> None:
    """``import legacy.module`` or ``from legacy.module import *`` (or a star import re-exporting legacy)."""
    group = ctx.classifier.legacy_module_group(imp.module)
    if group is None:
        if imp.name == "*":
            _star_reexports(ctx, imp)
        return
    situation = "module" if imp.name is None else "star"
    ctx.report(RULE, imp.span, RULE.message(situation, module=imp.module, hint=canonical_hint(group)),
               _payload(imp, imp.module, group, group.canonical), group=group, stmt_line=imp.stmt_line,
               symbol=imp.module)


def _name_import(ctx: RuleContext, imp: ImportFact) -> None:
    classifier, index = ctx.classifier, ctx.index
    assert imp.name is not None
    source_group = classifier.legacy_module_group(imp.module)
    ref = index.resolve_name(imp.module, imp.name)
    if ref is not None and ref.kind == "external" and index.is_module(f"{imp.module}.{imp.name}"):
        ref = None
    role = classifier.role(ref)
    if role is not None and role.role == ALLOWED:
        return
    if source_group is not None and source_group.is_allowed(imp.module, imp.name):
        return
    symbol = ref.qualname if ref is not None else f"{imp.module}:{imp.name}"
    if source_group is not None:
        group = source_group
        replacement = _replacement(ctx, group, ref)
        message = RULE.message("from-module", name=imp.name, module=imp.module,
                               hint=replacement_hint(group, replacement))
    elif role is not None and role.role == LEGACY and ref is not None:
        group = role.group
        via = "" if ref.module == imp.module else f" (re-exported from {ref.qualname})"
        replacement = _replacement(ctx, group, ref)
        hint = replacement_hint(group, replacement)
        if role.discovered is not None:
            message = RULE.message("discovered", name=imp.name, via=via, canonical=group.canonical_name,
                                   reason=role.discovered.reason, hint=hint)
        else:
            kind = "legacy module" if ref.is_module else "legacy"
            message = RULE.message("name", kind=kind, name=imp.name, via=via, hint=hint)
    else:
        submodule = f"{imp.module}.{imp.name}"
        found = classifier.legacy_module_group(submodule)
        if found is None:
            return
        group = found
        replacement = group.canonical
        message = RULE.message("module", module=submodule, hint=canonical_hint(group))
    ctx.report(RULE, imp.span, message, _payload(imp, symbol, group, replacement), group=group,
               stmt_line=imp.stmt_line, symbol=symbol)


def _replacement(ctx: RuleContext, group: Group, ref: Ref | None) -> str:
    if ref is None or ref.is_module:
        return group.canonical
    return replacement_of(ctx, group, ref.symbol)


def _star_reexports(ctx: RuleContext, imp: ImportFact) -> None:
    """``from pkg import *`` where ``pkg`` exports legacy names: one finding per group, naming that
    group's names."""
    by_group: dict[str, tuple[Group, list[tuple[str, Ref]]]] = {}
    for name in ctx.index.exported_names(imp.module):
        ref = ctx.index.resolve_name(imp.module, name)
        if ref is None or (ref.kind == "external" and ctx.index.is_module(f"{imp.module}.{name}")):
            continue
        role = ctx.classifier.role(ref)
        if role is not None and role.role == LEGACY:
            by_group.setdefault(role.group.name, (role.group, []))[1].append((name, ref))
    for group, legacy in by_group.values():
        names = ", ".join(name for name, _ in legacy)
        first_ref = legacy[0][1]
        replacement = _replacement(ctx, group, first_ref) if len(legacy) == 1 else group.canonical
        ctx.report(RULE, imp.span,
                   RULE.message("star-reexport", module=imp.module, names=names,
                                hint=replacement_hint(group, replacement)),
                   _payload(imp, first_ref.qualname, group, replacement), group=group, stmt_line=imp.stmt_line,
                   symbol=f"{imp.module}:*")


def _payload(imp: ImportFact, legacy: str, group: Group, replacement: str) -> ImportPayload:
    return ImportPayload(legacy=legacy, canonical=group.canonical, module=imp.module, name=imp.name,
                         asname=imp.asname, bound=imp.bound, level=imp.level, type_checking=imp.type_checking,
                         replacement=replacement)


RULE = Rule(code="SSOT001", name="legacy-import", default_severity="warning", check=check,
            payload=ImportPayload, summary="Import of a legacy module or symbol",
            finds="""\
An `import` or `from … import` that brings in a legacy module or a name that resolves to a legacy
symbol: absolute and relative imports (`from . import execution_engine`), imports inside functions,
under `if TYPE_CHECKING:`, in `try`/`except ImportError`, `import a.b.c` and `import a.b.c as m`,
star imports of a legacy module, star imports of a package whose exports include a legacy name, and
names re-exported through a package `__init__` or an alias chain across modules (`OldEngine` →
`LegacyEngine` → `ExecutionEngine`). A star import of a package re-exporting legacy names of two
groups gives one finding per group, each naming only its group's names.

**Discovered duplicates.** With `follow-discovered` (the default), a class that discovery finds to
duplicate the group ([SSOT004](SSOT004.md): its name matches `class-pattern`, or it extends a legacy
class) is followed like a listed legacy class: importing it is reported, and the message says what it
duplicates and why (`import of ToolExecutionEngine, a duplicate of UserExecutionEngine (its name
matches 'ExecutionEngine$')`). Test doubles and interfaces are never discovered duplicates.

**Replacements.** The message names what replaces the symbol: the canonical class by default, the
group's `replacements` entry when there is one, and says so when the entry is `"none"` (the profile's
tool engines: nothing replaces them automatically). An entry whose class no longer lives in the
module it names applies to the class of that name found elsewhere (a class that moved).

Not reported: names listed in the group's `allowed` (e.g. `IExecutionEngine`,
`ExecutionEngineCapabilities`), imports of the canonical class or its factory, imports inside a
legacy module itself (there only class definitions are reported), and imports of a module or name the
workspace no longer has: those fail when they run and are [SSOT011](SSOT011.md).""",
            why="Importing the legacy implementation keeps it alive and lets new code depend on it; every import "
                "is another place the migration has to touch.",
            messages={
                "module": "import of legacy module {module}; {hint}",
                "star": "star import from legacy module {module}; {hint}",
                "from-module": "import of {name} from legacy module {module}; {hint}",
                "name": "import of {kind} {name}{via}; {hint}",
                "star-reexport": "star import from {module} brings in legacy {names}; {hint}",
                "discovered": "import of {name}{via}, a duplicate of {canonical} ({reason}); {hint}",
            },
            config_keys="`legacy-modules`, `legacy-symbols`, `allowed`, `canonical`, `factory.imports`, `source-roots`, "
                        "`follow-discovered`, `class-pattern`, `replacements`",
            fix=FixSpec(
                safety=Safety.PER_SITE,
                entry="ssot_lsp.fixes.imports:LEGACY_IMPORT_FIX",
                summary="""\
The fix replaces the import with the canonical one and rewrites every use of the bound name with it:
annotations (also string annotations) become `UserExecutionEngine`, constructions become the factory
call (see [SSOT002](SSOT002.md)). When only annotations change, behaviour
is kept; when it also rewrites constructions, `isinstance`/`issubclass` checks, `Mock(spec=...)` or
`patch.object(...)` targets, behaviour changes and the fix's title says so. It is withheld (with the
reason) when a use cannot be rewritten: the name passed around as a value, subclassed or bound
twice. A name other modules import from this module, or listed in its `__all__`, is a compatibility
re-export and is never removed alone: its fix is the **cross-file fix** (unsafe), which drops the
re-export (import and `__all__` entry) and rewrites every importer in the workspace with its own
import fix (an `import shim as s` importer: `s.ExecutionEngine(...)` by the factory fix, type
references renamed), in one edit verified as a whole and applied all or nothing (`ssot-lsp fix
--unsafe-fixes`, the quick fix on the re-export, unsafe fix-all). It is withheld, naming the
importer's `path:line`, when an importer cannot be rewritten: its own fix is refused, it uses
`s.ExecutionEngine` as a value, star-imports and uses the name, patches
`"shim.ExecutionEngine"`, or suppresses its finding. `patch.object(ExecutionEngine, "method")` moves to the
canonical class only when it defines `method` (the same rule as [SSOT007](SSOT007.md)'s patch
targets). A suppression comment the fix makes unused (an alias's `# ssot: ignore[SSOT008]`) goes in
the same edit."""),
            by_hand="Import the canonical class (or its factory) instead, and migrate the uses of the legacy name.",
            bucket=Bucket("files with legacy imports", "files"),
            migration=("factory", "import"),
            invalid=(
                Example(f"from {LEGACY_ENGINE_MODULE} import ExecutionEngine\n\n\n"
                        "def describe(engine: ExecutionEngine) -> str:\n    return repr(engine)\n",
                        fixed=f"from {CANONICAL_ENGINE_MODULE} import UserExecutionEngine\n\n\n"
                              "def describe(engine: UserExecutionEngine) -> str:\n    return repr(engine)\n"),
                Example(f"import {LEGACY_ENGINE_MODULE} as ee\n"),
                Example("from netra_backend.app.agents.supervisor import execution_engine\n"),
            ),
            valid=(
                Example(f"from {CANONICAL_ENGINE_MODULE} import UserExecutionEngine\n"
                        f"from {FACTORY_MODULE} import get_execution_engine_factory\n"),
                Example("from netra_backend.app.agents.execution_engine_interface import IExecutionEngine\n"),
            ),
)
