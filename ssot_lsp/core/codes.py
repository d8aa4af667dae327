"""Stable rule codes and their metadata.

The codes are the contract with users' suppression comments and baselines, so they never change
meaning; names and summaries feed `ssot-lsp rule`, SARIF metadata and hover texts.
"""

from __future__ import annotations

from dataclasses import dataclass

DOCS_BASE = "https://github.com/ssot-lsp/ssot-lsp/blob/main/docs/rules/"


@dataclass(frozen=True)
class RuleInfo:
    code: str
    name: str
    summary: str
    default_severity: str

    @property
    def docs_url(self) -> str:
        return f"{DOCS_BASE}{self.code}.md"


RULES: dict[str, RuleInfo] = {
    info.code: info
    for info in (
        RuleInfo("SSOT001", "legacy-import", "Import of a legacy module or symbol", "warning"),
        RuleInfo("SSOT002", "legacy-construction", "Construction of a legacy class", "error"),
        RuleInfo("SSOT003", "factory-bypass", "Canonical class constructed outside its factory", "warning"),
        RuleInfo("SSOT004", "duplicate-definition", "Duplicate definition of a canonical concept", "warning"),
        RuleInfo("SSOT005", "duplicate-name", "Second definition of the canonical class's name", "error"),
        RuleInfo("SSOT006", "duplicate-event-path", "Duplicate event delivery path", "warning"),
        RuleInfo("SSOT007", "string-reference", "String reference to a legacy module or symbol", "warning"),
        RuleInfo("SSOT008", "obscuring-alias", "Alias that hides what is imported", "warning"),
        RuleInfo("SSOT009", "syntax-error", "File does not parse", "error"),
        RuleInfo("SSOT010", "unused-suppression", "Suppression comment that suppresses nothing", "warning"),
    )
}

SEVERITIES = ("error", "warning", "information", "hint")
SEVERITY_RANK = {"error": 3, "warning": 2, "information": 1, "hint": 0}


def rule_by_code_or_name(key: str) -> RuleInfo | None:
    key = key.strip()
    if key.upper() in RULES:
        return RULES[key.upper()]
    for info in RULES.values():
        if info.name == key:
            return info
    return None
