"""What `ssot-lsp fix` is expected to do with each finding, known at check time without running it.

`check` marks fixable findings and counts them ("N fixable with `ssot-lsp fix` (M more with
`--unsafe-fixes`)"). Computing the fixes would parse every such file and run libcst; instead each
rule declares its fix's safety (``Rule.fix``) and each finding's payload says what its own facts rule
out or decide (``Payload.expected_fix``). It is an expectation: `fix` still verifies every edit and
withholds one that would change the program's meaning in a way it cannot show safe, and then says
why; ``benchmarks/bench_fixable.py`` measures how far the two differ.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ssot_lsp.core.payload import Payload
from ssot_lsp.core.rules.registry import rule_for
from ssot_lsp.core.violations import Violation

SAFE, UNSAFE = "safe", "unsafe"


@dataclass(frozen=True)
class FixCounts:
    safe: int = 0  # applied by `ssot-lsp fix`
    unsafe: int = 0  # applied by `ssot-lsp fix --unsafe-fixes` only


def expected_fixes(violations: Sequence[Violation]) -> list[str | None]:
    """Per violation: ``"safe"``, ``"unsafe"`` or None (no automatic fix expected)."""
    siblings: dict[str, list[Payload]] = defaultdict(list)
    for v in violations:
        siblings[v.path].append(v.payload)
    out: list[str | None] = []
    for v in violations:
        rule = rule_for(v.code)
        out.append(None if rule.fix is None else v.payload.expected_fix(rule.fix.safety.value, siblings[v.path]))
    return out


def count(expected: Sequence[str | None]) -> FixCounts:
    return FixCounts(sum(e == SAFE for e in expected), sum(e == UNSAFE for e in expected))
