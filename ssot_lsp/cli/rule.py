"""`ssot-lsp rule [CODE]`: explain a rule from its docs page, or list them all."""

from __future__ import annotations

import sys
from importlib import resources

from ssot_lsp.core.codes import RULES, rule_by_code_or_name


def run_rule(args) -> int:
    if not args.code:
        for info in RULES.values():
            print(f"{info.code}  {info.name:22s} {info.default_severity:12s} {info.summary}")
        return 0
    info = rule_by_code_or_name(args.code)
    if info is None:
        print(f"ssot-lsp: unknown rule {args.code!r}; run `ssot-lsp rule` for the list", file=sys.stderr)
        return 2
    print(f"{info.code} ({info.name}) — {info.summary}; default severity: {info.default_severity}\n")
    try:
        text = resources.files("ssot_lsp").joinpath("data", "rules", f"{info.code}.md").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        text = f"See {info.docs_url}\n"
    print(text)
    return 0
