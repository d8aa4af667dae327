"""Which rules run for a file, and at what severity: configuration, per-group and per-path settings."""

from __future__ import annotations

from ssot_lsp.config.model import Config
from ssot_lsp.core.globs import matches_any

SEVERITIES = ("error", "warning", "information", "hint")
SEVERITY_RANK = {"error": 3, "warning": 2, "information": 1, "hint": 0}


def rule_enabled(config: Config, code: str, relpath: str = "") -> bool:
    if config.select and code not in config.select and not any(code.startswith(s) for s in config.select):
        return False
    if code in config.ignore:
        return False
    for override in config.per_path:
        if code in override.ignore and matches_any(relpath, override.patterns):
            return False
    return True


def severity_for(config: Config, code: str, group_name: str | None, relpath: str,
                 overrides: dict[str, str] | None = None, default: str | None = None) -> str:
    """The severity of a finding: the rule's default (or ``default``), then the group's setting, the
    project's, the matching ``per-path`` entries' and last the front end's ``overrides``."""
    severity = default if default is not None else _default_severity(code)
    group = config.group(group_name) if group_name else None
    if group is not None and code in group.severity:
        severity = group.severity[code]
    severity = config.severity.get(code, severity)
    for override in config.per_path:
        if matches_any(relpath, override.patterns):
            severity = override.severity.get(code, override.severity.get("*", severity))
    if overrides:
        severity = overrides.get(code, severity)
    return severity


_DEFAULTS: dict[str, str] = {}


def _default_severity(code: str) -> str:
    """The rule's default severity (the registry imports the rules, which import this module)."""
    if not _DEFAULTS:
        from ssot_lsp.core.rules.registry import ALL

        _DEFAULTS.update((rule.code, rule.default_severity) for rule in ALL)
    return _DEFAULTS[code]
