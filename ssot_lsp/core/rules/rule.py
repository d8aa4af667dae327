"""What a rule is: one object holding everything about it.

Each rule module ends with its ``RULE``: code, name, default severity, messages, the explanation
and docs text, examples the test suite runs, ``check(ctx)``, the payload type of its findings, the
bucket of the text report's summary, and — when it has one — its fix with the fix's safety class.
Hover, reports, ``ssot-lsp rule``, the generated docs pages and fix dispatch all read these objects
(through ``ssot_lsp.core.rules.registry``), so adding a rule is a rule module, a fix module if any,
and a test file.

The fix is named by ``module:attribute`` and imported only when a fix is asked for: fixes use
libcst, and analysis must not pay for importing it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ssot_lsp.core.payload import Payload

if TYPE_CHECKING:
    from ssot_lsp.core.rules.context import RuleContext

from ssot_lsp.core.rules.example_workspace import EXAMPLE_PATH


class Safety(enum.Enum):
    """What applying a rule's fix does to the program, declared once per rule.

    ``SAFE``: keeps behaviour (``ssot-lsp fix`` and fix-all apply it); ``UNSAFE``: every such fix
    changes behaviour the user should review (``--unsafe-fixes``); ``PER_SITE``: safe or unsafe
    depending on the site, and the fix's title says which and why.
    """

    SAFE = "safe"
    UNSAFE = "unsafe"
    PER_SITE = "per-site"


@dataclass(frozen=True)
class FixSpec:
    safety: Safety
    entry: str  # "module:attribute" of an object with words(doc, violation) and compute(doc, violation)
    summary: str  # the docs' account of what the fix does and when it is withheld (no safety words)


@dataclass(frozen=True)
class Example:
    """A file of the example workspace; ``fixed`` is what the rule's fix makes of an invalid one."""

    code: str
    fixed: str | None = None
    path: str = EXAMPLE_PATH


@dataclass(frozen=True)
class Bucket:
    """Where a rule's findings are counted in the text report's per-group summary.

    ``style``: ``list`` (count and every site, shown when there is one), ``files`` (number of files,
    always shown), ``parts`` (one line for all rules of the bucket, each rule's count labelled
    ``part``), ``count`` (a count, shown when not zero), ``files-without-group`` (findings that
    belong to no group, counted once after the groups).
    """

    label: str
    style: str
    part: str = ""


@dataclass(frozen=True, eq=False)  # one object per rule: identity is equality (and it is hashable)
class Rule:
    code: str
    name: str
    summary: str
    default_severity: str
    payload: type[Payload]
    why: str  # one paragraph: why such a finding breaks the single source of truth
    finds: str  # docs: what it finds and what it does not (markdown)
    config_keys: str  # docs: the configuration keys that influence it (markdown)
    check: Callable[[RuleContext], None] | None
    # str.format templates, by situation: "<finding>; <what to do>" — reports for people show the
    # finding alone (``Violation.headline``), so it must make sense without the advice
    messages: Mapping[str, str] = field(default_factory=dict)
    valid: tuple[Example, ...] = ()
    invalid: tuple[Example, ...] = ()
    fix: FixSpec | None = None
    by_hand: str = ""  # docs: what to do by hand (always shown; the whole story when there is no fix)
    bucket: Bucket | None = None
    migration: tuple[str, ...] = ()  # hover snippets, by preference: "factory", "import"

    def message(self, situation: str, **values: object) -> str:
        return self.messages[situation].format(**values)

    @property
    def safety(self) -> Safety | None:
        return self.fix.safety if self.fix is not None else None
