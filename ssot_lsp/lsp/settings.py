"""The ``ssotLsp`` settings: defaults, validation, and where they come from.

Invalid settings are reported with one readable message and never applied: at start-up the
defaults stay, later the last good settings stay.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from ssot_lsp.config.keys import url_problem
from ssot_lsp.core.rules.registry import RULES
from ssot_lsp.core.severity import SEVERITIES

SECTION = "ssotLsp"
LOG_LEVELS = ("error", "warning", "info", "debug")
DIAGNOSTIC_MODES = ("openFiles", "workspace")
IGNORED_KEYS = {"interpreter", "trace", "path", "args"}  # client-side settings the server ignores


@dataclass(frozen=True)
class Settings:
    enable: bool = True
    severity: dict[str, str] = field(default_factory=dict)
    debounce_ms: int | None = None  # None: adaptive (``publishing.adaptive_debounce_ms``)
    config_file: str | None = None
    log_level: str = "info"
    diagnostic_mode: str = "openFiles"
    max_file_size_kb: int = 1024
    docs_base_url: str | None = None  # overrides the configuration's `docs-base-url`

    def analysis_key(self) -> tuple:
        """What changes analysis results (a change triggers re-analysis)."""
        return (self.enable, tuple(sorted(self.severity.items())), self.config_file, self.max_file_size_kb)


DEFAULTS = Settings()


def unwrap(raw: Any) -> Any:
    """``{"ssotLsp": {...}}`` or the settings object itself."""
    if isinstance(raw, dict) and isinstance(raw.get(SECTION), dict):
        return raw[SECTION]
    return raw


def parse_settings(raw: Any, base: Settings = DEFAULTS) -> tuple[Settings | None, list[str]]:
    """(settings, problems): settings is None when anything is wrong."""
    raw = unwrap(raw)
    if raw is None:
        return base, []
    if not isinstance(raw, dict):
        return None, [f"settings must be an object, not {type(raw).__name__}"]
    problems: list[str] = []
    values: dict[str, Any] = {}

    def check(key: str, ok: bool, expected: str) -> bool:
        if not ok:
            problems.append(f"{SECTION}.{key} must be {expected} (got {raw[key]!r})")
        return ok

    for key, value in raw.items():
        if key == "enable":
            if check(key, isinstance(value, bool), "true or false"):
                values["enable"] = value
        elif key == "severity":
            if value is None:
                values["severity"] = {}
            elif check(key, isinstance(value, dict), "an object mapping rule codes to severities"):
                table = {}
                for code, severity in value.items():
                    code_key = str(code).upper()
                    if code_key not in RULES:
                        problems.append(f"{SECTION}.severity: unknown rule code {code!r}")
                    elif severity not in (*SEVERITIES, "off"):
                        problems.append(f"{SECTION}.severity.{code} must be one of "
                                        f"{', '.join((*SEVERITIES, 'off'))} (got {severity!r})")
                    else:
                        table[code_key] = severity
                values["severity"] = table
        elif key == "debounceMs":
            if check(key, value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0),
                     "an integer >= 0, or null for adaptive"):
                values["debounce_ms"] = value
        elif key == "configFile":
            if check(key, value is None or isinstance(value, str), "a string or null"):
                values["config_file"] = value or None
        elif key == "logLevel":
            if check(key, value in LOG_LEVELS, "one of " + ", ".join(LOG_LEVELS)):
                values["log_level"] = value
        elif key == "diagnosticMode":
            if check(key, value in DIAGNOSTIC_MODES, "one of " + ", ".join(DIAGNOSTIC_MODES)):
                values["diagnostic_mode"] = value
        elif key == "maxFileSizeKb":
            if check(key, isinstance(value, int) and not isinstance(value, bool) and value > 0,
                     "an integer > 0"):
                values["max_file_size_kb"] = value
        elif key == "docsBaseUrl":
            valid = value is None or (isinstance(value, str) and (not value or url_problem(value) is None))
            if check(key, valid, "an http://, https:// or file:// URL, or null"):
                values["docs_base_url"] = value or None
        elif key in IGNORED_KEYS:
            continue
        else:
            problems.append(f"{SECTION}.{key}: unknown setting")
    if problems:
        return None, problems
    return dataclasses.replace(DEFAULTS, **values), []


def describe_problems(problems: list[str], keeping: str) -> str:
    return f"SSOT: invalid settings ({'; '.join(problems)}); {keeping}"
