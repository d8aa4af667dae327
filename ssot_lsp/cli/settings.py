"""`ssot-lsp check --show-settings`: the merged configuration and where each value came from.

The text form is TOML, with the origin of each value as a comment (``# profile netra``,
``# pyproject.toml: extend-exclude[0]``, ``# default``, ``# --ignore (command line)``) and the
reason above each value the profile only assumes: a person reads it, and it can be copied into an
``ssot-lsp.toml`` as it is. ``--format json`` gives the same with resolved facts (absolute roots,
the baseline path, effective severities) and the origins by key path.
"""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ssot_lsp.config.keys import GROUP, SETTINGS, ListOf, MapOf, Spec, Table, member
from ssot_lsp.config.layers import group_path
from ssot_lsp.config.model import Config, Group, Origin
from ssot_lsp.core.rules.registry import RULES

COMMENT_COLUMN = 56
WRAP = 100


def run_show_settings(workspace: Any, fmt: str, cache_dir: Path | None = None, stale: Sequence[Any] = (),
                      root_reason: str = "") -> int:
    if fmt not in ("text", "json"):
        print(f"ssot-lsp: --show-settings prints text or json, not {fmt}", file=sys.stderr)
        return 2
    sys.stdout.write(show_settings(workspace, fmt, cache_dir, stale, root_reason))
    return 0


def show_settings(workspace: Any, fmt: str = "json", cache_dir: Path | None = None, stale: Sequence[Any] = (),
                  root_reason: str = "") -> str:
    """``cache_dir``: the ``--cache-dir`` option, if given; ``stale``: the configuration's stale
    entries (``core.stale.StaleEntry``); ``root_reason``: why the root is the root."""
    from ssot_lsp.core.cache_dir import cache_directory

    where = cache_directory(workspace.config, cache_dir)
    if fmt == "json":
        document = settings_document(workspace, where)
        document["root-reason"] = root_reason
        document["stale-configuration"] = [entry.to_dict(workspace.root) for entry in stale]
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return settings_text(workspace, where, root_reason) + _stale_text(workspace, stale)


def _stale_text(workspace: Any, stale: Sequence[Any]) -> str:
    if not stale:
        return ""
    lines = ["", f"# stale: {len(stale)} entr{'y names' if len(stale) == 1 else 'ies name'} what this workspace "
                 f"does not contain (they do nothing):"]
    for entry in stale:
        lines += [f"#   {chunk}" for chunk in textwrap.wrap(entry.describe(workspace.root), WRAP - 6,
                                                            subsequent_indent="    ", break_long_words=False)]
    return "\n".join(lines) + "\n"


# -- the configuration as a table in the file's spelling ---------------------------------------------


def _pattern(p: Any) -> str | None:
    return p.pattern if p is not None else None


def group_table(g: Group) -> dict[str, Any]:
    """A group as it would be written in `[tool.ssot-lsp]` (None: not set)."""
    factory = None
    if g.factory is not None:
        f = g.factory
        factory = {"module": f.module, "imports": list(f.imports), "create": f.create, "scope": f.scope,
                   "async": f.is_async, "supplied-args": list(f.supplied_args), "description": f.description}
    return {
        "name": g.name,
        "canonical": g.canonical,
        "factory-modules": list(g.factory_modules),
        "factory": factory,
        "legacy-modules": list(g.legacy_modules),
        "legacy-symbols": list(g.legacy_symbols),
        "allowed": list(g.allowed),
        "class-pattern": _pattern(g.class_pattern),
        "method-pattern": _pattern(g.method_pattern),
        "duplicate-name": g.duplicate_name,
        "subclasses-of-legacy": g.subclasses_of_legacy,
        "canonical-subclasses-are-duplicates": g.canonical_subclasses_are_duplicates,
        "follow-discovered": g.follow_discovered,
        "compat-constructors": list(g.compat_constructors),
        "context-args": {symbol: {k: v for k, v in (("position", a.position), ("keyword", a.keyword)) if v is not None}
                         for symbol, a in g.context_args.items()},
        "replacements": dict(g.replacements),
        "context-types": list(g.context_types),
        "context-params": list(g.context_params),
        "severity": dict(g.severity),
        "needles": list(g.needles),
    }


def config_table(config: Config) -> dict[str, Any]:
    return {
        "source-roots": list(config.source_roots),
        "include": list(config.include),
        "exclude": list(config.exclude),
        "force-exclude": config.force_exclude,
        "respect-gitignore": config.respect_gitignore,
        "test-paths": list(config.test_paths),
        "select": list(config.select),
        "ignore": list(config.ignore),
        "severity": dict(config.severity),
        "per-path": [{"paths": list(o.patterns), "severity": dict(o.severity), "ignore": list(o.ignore)}
                     for o in config.per_path],
        "baseline": config.baseline,
        "cache-dir": config.cache_dir,
        "docs-base-url": config.docs_base_url,
        "max-file-size-kb": config.max_file_size_kb,
        "groups": [group_table(g) for g in config.groups],
    }


# -- JSON ------------------------------------------------------------------------------------------


def _origin_json(origin: Origin) -> dict[str, Any]:
    out: dict[str, Any] = {"layer": origin.layer}
    if origin.source:
        out["source"] = origin.source
    if origin.key:
        out["key"] = origin.key
    if origin.assumption:
        out["assumption"] = origin.assumption
    return out


def settings_document(workspace: Any, cache_dir: Path) -> dict[str, Any]:
    from ssot_lsp.cli.baseline import default_baseline_path
    from ssot_lsp.core.severity import rule_enabled

    config = workspace.config
    baseline = default_baseline_path(workspace)
    table = config_table(config)
    groups = table.pop("groups")
    for group in groups:
        group["canonical-module"], _, group["canonical-name"] = group["canonical"].partition(":")
    return {
        "source": config.source,
        "default-profile": config.is_default_profile,
        "profile": config.profile,
        "root": str(workspace.root),
        **table,
        "resolved-source-roots": [str(r) for r in workspace.source_roots],
        "effective-severity": {
            code: ("off" if not rule_enabled(config, code) else config.severity.get(code, info.default_severity))
            for code, info in RULES.items()
        },
        "resolved-baseline": {"path": str(baseline), "exists": baseline.is_file()},
        "resolved-cache-dir": str(cache_dir),
        "groups": groups,
        "warnings": list(config.warnings),
        "origins": {path: [_origin_json(o) for o in origins] for path, origins in config.origins.items()},
        "assumptions": assumptions(config),
    }


def assumptions(config: Config) -> list[dict[str, Any]]:
    """The values the profile only assumes: key path, the array item or table key, and the reason."""
    from ssot_lsp.config.loader import key_segments

    table = config_table(config)
    out = []
    for path, origins in config.origins.items():
        for index, origin in enumerate(origins):
            if not origin.assumption:
                continue
            value: Any = table
            spec: Spec = Table(SETTINGS)
            entry: Any = None
            for part in key_segments(path):
                entry = None
                if isinstance(spec, ListOf):  # a group, by name
                    value, spec = next(g for g in value if g.get("name") == part), spec.item
                elif isinstance(spec, Table):
                    value, spec = value.get(part), spec.fields[str(part)]
                elif isinstance(spec, MapOf):
                    value, spec, entry = value.get(part), spec.value, part
            if isinstance(value, list):
                entry = value[index]
            out.append({"key": path, "entry": entry, "reason": origin.assumption})
    return out


# -- text ------------------------------------------------------------------------------------------


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON string escapes are valid TOML basic-string escapes
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{member('', k)} = {_toml(v)}" for k, v in value.items()) + " }" if value else "{}"
    raise TypeError(type(value))


class _Writer:
    def __init__(self, root: Path) -> None:
        self.lines: list[str] = []
        self.root = root

    def describe(self, origins: tuple[Origin, ...]) -> str:
        if not origins:
            return "default"
        first, rest = origins[0].describe(self.root), [o.describe(self.root) for o in origins[1:]]
        text = first + "".join(f"; extended by {r}" for r in rest)
        return text + (" (assumption)" if any(o.assumption for o in origins) else "")

    def line(self, text: str, comment: str | None = None) -> None:
        if comment:
            pad = max(COMMENT_COLUMN - len(text), 2)
            text = f"{text}{' ' * pad}# {comment}"
        self.lines.append(text)

    def note(self, reason: str, indent: str = "") -> None:
        for chunk in textwrap.wrap("assumption: " + reason, WRAP - len(indent) - 2):
            self.lines.append(f"{indent}# {chunk}")

    def value(self, key: str, value: Any, origins: tuple[Origin, ...]) -> None:
        """``key = value`` with its origin; arrays whose items differ in origin get one line per item."""
        if value is None:
            self.line(f"# {key}: not set", self.describe(origins) if origins else None)
            return
        reasons = {o.assumption for o in origins if o.assumption}
        if isinstance(value, list) and value and len(origins) == len(value):
            described = [o.describe(self.root) for o in origins]
            one_reason = len(reasons) == 1 and all(o.assumption for o in origins)
            if one_reason:
                self.note(reasons.pop())
            if len(set(described)) == 1 and not (reasons and not one_reason) and len(f"{key} = {_toml(value)}") <= WRAP:
                self.line(f"{key} = {_toml(value)}", self.describe(origins[:1]))
                return
            self.line(f"{key} = [")
            for item, origin in zip(value, origins):
                if origin.assumption and not one_reason:
                    self.note(origin.assumption, "    ")
                self.line(f"    {_toml(item)},", self.describe((origin,)))
            self.line("]")
            return
        for reason in reasons:
            self.note(reason)
        self.line(f"{key} = {_toml(value)}", self.describe(origins))


def settings_text(workspace: Any, cache_dir: Path, root_reason: str = "") -> str:
    from ssot_lsp.cli.baseline import default_baseline_path
    from ssot_lsp.core.severity import rule_enabled

    config: Config = workspace.config
    origins = config.origins
    w = _Writer(Path(config.source).parent if config.source.endswith(".toml") else config.root)
    baseline = default_baseline_path(workspace)
    where = config.source if config.is_default_profile else f"{config.source}" + (
        f", starting from profile {config.profile!r}" if config.profile else " (no profile: the table is everything)")
    header = [
        "ssot-lsp settings: the merged configuration; after each value, where it came from.",
        f"root:          {workspace.root}",
        *([f"               ({root_reason})"] if root_reason else []),
        f"configuration: {where}",
        f"source roots:  {', '.join(str(r) for r in workspace.source_roots)}",
        f"baseline:      {baseline} ({'exists' if baseline.is_file() else 'not there'})",
        f"cache:         {cache_dir}",
    ]
    assumed = sum(1 for v in origins.values() for o in v if o.assumption)
    if assumed:
        header.append(f"{assumed} values are assumptions of the profile about your code (marked; check them).")
    w.lines.extend(f"# {h}" for h in header)
    w.lines.append("")

    table = config_table(config)
    for key, spec in SETTINGS.items():
        if key in ("groups", "per-path") or isinstance(spec, MapOf) and table[key]:
            continue
        w.value(key, table[key], origins.get(key, ()))
    if table["severity"]:
        w.lines += ["", "[severity]"]
        for code, severity in table["severity"].items():
            w.line(f"{code} = {_toml(severity)}", w.describe(origins.get(member("severity", code), ())))
    for index, entry in enumerate(table["per-path"]):
        w.lines.append("")
        per_path = origins.get("per-path", ())
        w.line("[[per-path]]", w.describe(per_path[index:index + 1]))
        for name, value in entry.items():
            w.line(f"{name} = {_toml(value)}")
    for group in table["groups"]:
        _group_text(w, group, origins)
    w.lines += ["", "# severity per rule for the project (groups, per-path entries and editors may change it):"]
    effective = [f"{code} {'off' if not rule_enabled(config, code) else config.severity.get(code, info.default_severity)}"
                 for code, info in RULES.items()]
    w.lines += [f"#   {line}" for line in textwrap.wrap(", ".join(effective), WRAP - 4)]
    if config.warnings:
        w.lines += ["", *(f"# warning: {warning}" for warning in config.warnings)]
    return "\n".join(w.lines) + "\n"


def _group_text(w: _Writer, group: dict[str, Any], origins: Any) -> None:
    path = group_path(group["name"])
    w.lines.append("")
    w.line("[[groups]]", w.describe(origins.get(path, ())))
    tables = []
    for key, spec in GROUP.fields.items():
        value, sub = group[key], member(path, key)
        if isinstance(spec, (MapOf, Table)) and value:
            tables.append((key, spec, value, sub))
            continue
        w.value(key, value, origins.get(sub, ()))
    for key, spec, value, sub in tables:
        w.lines.append("")
        w.line(f"[groups.{key}]", None)
        if isinstance(spec, Table):
            for name in spec.fields:
                w.value(name, value[name], origins.get(member(sub, name), ()))
            continue
        said: set[str] = set()  # a reason for the whole table is said once
        for name, item in value.items():
            here = origins.get(member(sub, name), ())
            for reason in sorted({o.assumption for o in here if o.assumption} - said):
                w.note(reason)
                said.add(reason)
            w.line(f"{member('', name)} = {_toml(item)}", w.describe(here))
