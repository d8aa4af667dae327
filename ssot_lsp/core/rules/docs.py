"""The rules' documentation pages, generated from the rule objects.

One source: everything a page says comes from the rule's ``Rule`` object (what it finds, why, the
examples the test suite runs, the fix and its declared safety class, the configuration keys) plus
the sections every rule shares. The pages ship in the package (``ssot_lsp/data/rules/``, the
``codeDescription`` of a diagnostic points at them) and ``ssot-lsp rule CODE`` prints the same text.
After changing a rule, regenerate them::

    python -m ssot_lsp.core.rules.docs          # write ssot_lsp/data/rules/*.md
    python -m ssot_lsp.core.rules.docs --check  # exit 1 when a page is stale (the test suite checks this)
"""

from __future__ import annotations

import argparse
import sys
from functools import cache
from pathlib import Path

from ssot_lsp.core.rules import unused_suppression
from ssot_lsp.core.rules.example_workspace import CONTEXT, RESOLUTION
from ssot_lsp.core.rules.registry import ALL, RULES
from ssot_lsp.core.rules.rule import Example, Rule, Safety

PAGES = Path(__file__).resolve().parents[2] / "data" / "rules"

SAFETY_SENTENCES = {
    Safety.SAFE: "**Automatic fix: safe.** It keeps the program's behaviour: `ssot-lsp fix` and the editor's "
                 "fix-all apply it.",
    Safety.UNSAFE: "**Automatic fix: unsafe.** Every such fix changes behaviour you should review: "
                   "`ssot-lsp fix --unsafe-fixes` applies it, the editor offers it as a quick fix that is not "
                   "preferred, and fix-all leaves it out.",
    Safety.PER_SITE: "**Automatic fix: safe or unsafe, per site.** The fix's title says which, and why; the "
                     "unsafe ones need `ssot-lsp fix --unsafe-fixes` (in the editor: a quick fix that is not "
                     "preferred).",
}
NO_FIX = "**No automatic fix.**"

SUPPRESS = """\
On the line of the finding, or on the first line of the statement it belongs to:

```python
from legacy.module import Thing  # ssot: ignore[{code}]  reason: removed in phase 4
from legacy.module import Thing  # noqa: {code}
```

`# ssot: ignore` without codes suppresses every code on the line; it must end the comment (or be
followed by another `#` comment): `# SSOT: ignore stale entries` is prose, not a suppression.
`# ssot: ignore-file` within the first 30 lines silences the whole file. Text inside strings is never a
suppression; the full grammar is in the configuration reference (`docs/configuration.md`,
"Suppressions"). A suppression that suppresses nothing is reported as [{unused}]({unused}.md). To turn
the rule off for some paths use `per-path` (`ignore = ["{code}"]`), or project-wide
`ignore = ["{code}"]` / `severity = {{ {code} = "off" }}`."""


def page_path(rule: Rule) -> Path:
    return PAGES / f"{rule.code}.md"


@cache
def page_uri(rule: Rule) -> str:
    """Where the rule's page is on this machine (the diagnostic's ``codeDescription.href``)."""
    return page_path(rule).as_uri()


def rule_link(rule: Rule, docs_base_url: str | None = None) -> str:
    """Where a user reads the rule's page: ``docs_base_url`` (the `docs-base-url` key or the
    ``docsBaseUrl`` editor setting) with ``{code}`` replaced by the code, or followed by
    ``/CODE.md``; without it the page shipped in the package, as a file URI. Never an address
    nobody configured."""
    if not docs_base_url:
        return page_uri(rule)
    if "{code}" in docs_base_url:
        return docs_base_url.replace("{code}", rule.code)
    return f"{docs_base_url.rstrip('/')}/{rule.code}.md"


def fix_section(rule: Rule) -> str:
    parts = [SAFETY_SENTENCES[rule.fix.safety] if rule.fix is not None else NO_FIX]
    if rule.fix is not None:
        parts.append(rule.fix.summary)
    if rule.by_hand:
        parts.append(f"By hand: {rule.by_hand}")
    return "\n\n".join(parts)


def _example(rule: Rule) -> str:
    shown: Example | None = next((e for e in rule.invalid if e.fixed is not None), None)
    shown = shown or (rule.invalid[0] if rule.invalid else None)
    if shown is None:
        return "(no example)"
    blocks = [f"```python\n# reported ({shown.path})\n{shown.code}```"]
    if shown.fixed is not None:
        blocks.append(f"```python\n# after the fix\n{shown.fixed}```")
    elif rule.valid:
        blocks.append(f"```python\n# not reported ({rule.valid[0].path})\n{rule.valid[0].code}```")
    return "\n\n".join(blocks)


def render_page(rule: Rule) -> str:
    unused = unused_suppression.RULE.code
    sections = [
        f"# {rule.code} — {rule.name}",
        f"{rule.summary}. Default severity: **{rule.default_severity}**.",
        f"## What it finds\n\n{rule.finds}",
        f"## Why it matters\n\n{rule.why}\n\n{CONTEXT}",
        f"## Example\n\n{_example(rule)}",
        f"## The fix\n\n{fix_section(rule)}",
        f"## Resolution\n\n{RESOLUTION}",
        "## Configuration\n\nKeys that influence this rule (see the configuration reference, "
        f"`docs/configuration.md`): {rule.config_keys}.\nSeverity: `severity = {{ {rule.code} = \"hint\" }}`, "
        "per group (`groups[].severity`) or per path (`per-path`).",
        f"## How to suppress\n\n{SUPPRESS.format(code=rule.code, unused=unused)}",
    ]
    return "\n\n".join(sections) + "\n"


def stale_pages(directory: Path = PAGES) -> list[str]:
    """Names of the pages in ``directory`` that differ from the generated ones (or are extra or missing)."""
    stale = [f"{rule.code}.md" for rule in ALL
             if not (directory / f"{rule.code}.md").is_file()
             or (directory / f"{rule.code}.md").read_text(encoding="utf-8") != render_page(rule)]
    extra = [p.name for p in directory.glob("*.md") if p.stem not in RULES]
    return sorted(stale + extra)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the rule pages from the rule objects.")
    parser.add_argument("--check", action="store_true", help="only report stale pages (exit 1 if any)")
    parser.add_argument("--out", type=Path, default=PAGES)
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_pages(args.out)
        for name in stale:
            print(f"stale: {args.out / name}", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for rule in ALL:
        (args.out / f"{rule.code}.md").write_text(render_page(rule), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
