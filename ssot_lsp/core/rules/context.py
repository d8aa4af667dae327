"""What every rule's ``check`` receives: one file's facts, the index, the classifier and ``report``."""

from __future__ import annotations

from dataclasses import dataclass, field

from ssot_lsp.config.model import REPLACEMENT_NONE, Config, Group
from ssot_lsp.core.classify import Classifier
from ssot_lsp.core.facts import FileFacts
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.payload import Payload
from ssot_lsp.core.rules.rule import Rule
from ssot_lsp.core.signatures import ContextFromSignature, context_of
from ssot_lsp.core.text import Span
from ssot_lsp.core.violations import Related, Violation


@dataclass
class RuleContext:
    facts: FileFacts
    index: WorkspaceIndex
    config: Config
    classifier: Classifier
    found: list[Violation] = field(default_factory=list)
    _contexts: dict[tuple[str, str, str, str | None], ContextFromSignature] = field(default_factory=dict)

    def constructor_context(self, group: Group, module: str, name: str, method: str | None = None,
                            ) -> ContextFromSignature:
        """``signatures.context_of``, once per class and file (a file constructs the same class often)."""
        key = (group.name, module, name, method)
        found = self._contexts.get(key)
        if found is None:
            found = self._contexts[key] = context_of(self.index, group, module, name, method)
        return found

    @property
    def in_legacy_module(self) -> Group | None:
        return self.classifier.legacy_module_group(self.facts.module)

    def report(self, rule: Rule, span: Span, message: str, payload: Payload, *, group: Group | None,
               stmt_line: int, symbol: str = "", related: tuple[Related, ...] = ()) -> None:
        self.found.append(Violation(
            code=rule.code, message=message, path=self.facts.path, span=span, severity="",
            group=group.name if group else None, stmt_line=stmt_line, symbol=symbol,
            related=related, payload=payload))


def short(symbol: str) -> str:
    """``pkg.mod:Name`` -> ``Name``; modules keep their last component."""
    return symbol.rpartition(":")[2] if ":" in symbol else symbol.rpartition(".")[2]


def canonical_hint(group: Group) -> str:
    """'use X from m, created through f(context)': the advice every legacy finding of a group ends with."""
    cached = _HINTS.get(id(group))
    if cached is not None and cached[0] is group:
        return cached[1]
    name, module = group.canonical_name, group.canonical_module
    hint = f"use {name} from {module}"
    if group.factory is not None:
        hint += f", created through {group.factory.create.replace('{context}', 'context')}"
    if len(_HINTS) > 256:  # configurations reloaded many times: forget the old groups
        _HINTS.clear()
    _HINTS[id(group)] = (group, hint)
    return hint


_HINTS: dict[int, tuple[Group, str]] = {}  # id(group) -> (group, hint): groups live as long as their configuration


NO_REPLACEMENT = 'nothing replaces it automatically (replacements: "none"): migrate it by hand'


def replacement_of(ctx: RuleContext, group: Group, symbol: str) -> str:
    """The payload's ``replacement`` for a legacy symbol: ``module:Name``, or ``"none"``."""
    found = ctx.classifier.replacement_for(group, symbol)
    return REPLACEMENT_NONE if found is None else found


def replacement_hint(group: Group, replacement: str) -> str:
    """What a message advises for a legacy symbol with this replacement (``replacement_of``)."""
    if replacement == REPLACEMENT_NONE:
        return NO_REPLACEMENT
    if replacement == group.canonical:
        return canonical_hint(group)
    module, _, name = replacement.partition(":")
    return f"use {name} from {module}"
