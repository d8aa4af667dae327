"""`ssot-lsp rule [CODE]`: explain a rule (its generated docs page), or list them all."""

from __future__ import annotations

import sys

from ssot_lsp.core.rules.docs import render_page
from ssot_lsp.core.rules.registry import ALL, rule_by_code_or_name


def run_rule(code: str | None) -> int:
    if not code:
        for each in ALL:
            fix = each.fix.safety.value if each.fix is not None else "-"
            print(f"{each.code}  {each.name:22s} {each.default_severity:12s} fix: {fix:9s} {each.summary}")
        return 0
    rule = rule_by_code_or_name(code)
    if rule is None:
        print(f"ssot-lsp: unknown rule {code!r}; run `ssot-lsp rule` for the list", file=sys.stderr)
        return 2
    print(f"{rule.code} ({rule.name}) — {rule.summary}; default severity: {rule.default_severity}\n")
    print(render_page(rule))
    return 0
