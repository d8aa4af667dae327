"""Find, parse and validate configuration; every error names the file, the key and the problem."""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path
from typing import Any

from ssot_lsp.config.model import Config, ContextArg, FactorySpec, Group, PathOverride
from ssot_lsp.config.regex_safety import UnsafePattern, compile_safe_pattern
from ssot_lsp.core.codes import RULES, SEVERITIES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_FILE_NAMES = ("ssot-lsp.toml", "pyproject.toml")
DEFAULT_SOURCE = "built-in default profile"


class ConfigError(Exception):
    """Invalid configuration: carries where and what, so the CLI and the server can say it in one line."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        super().__init__(f"{file}: {key}: {problem}" if key else f"{file}: {problem}")
        self.file = file
        self.key = key
        self.problem = problem


def _ssot_table(path: Path) -> dict | None:
    """The `[tool.ssot-lsp]` table of a pyproject, the whole of an ssot-lsp.toml, or None."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), "", f"invalid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), "", f"cannot read: {exc}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        if not isinstance(tool, dict) or "ssot-lsp" not in tool:
            return None
        table = tool["ssot-lsp"]
        if not isinstance(table, dict):
            raise ConfigError(str(path), "tool.ssot-lsp", "must be a table")
        return table
    table = data.get("tool", {}).get("ssot-lsp", data) if "tool" in data else data
    return table


def find_config_file(start: Path) -> Path | None:
    """Search from ``start`` upward for ssot-lsp.toml or a pyproject.toml with [tool.ssot-lsp]."""
    start = start if start.is_dir() else start.parent
    for directory in (start, *start.parents):
        for name in CONFIG_FILE_NAMES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            if name == "ssot-lsp.toml":
                return candidate
            try:
                text = candidate.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if "ssot-lsp" in text and _ssot_table(candidate) is not None:
                return candidate
    return None


def load_config(target: Path, config_file: Path | None = None, root: Path | None = None) -> Config:
    """Configuration for ``target`` (a file or directory): explicit file, found file, or the default profile."""
    target = target.resolve()
    path = config_file.resolve() if config_file else find_config_file(target)
    if path is None:
        from ssot_lsp.config.defaults import DEFAULT_PROFILE

        base = root or (target if target.is_dir() else project_root_for(target))
        return parse_config_table(copy.deepcopy(DEFAULT_PROFILE), DEFAULT_SOURCE, base, is_default=True)
    if not path.is_file():
        raise ConfigError(str(path), "", "configuration file not found")
    table = _ssot_table(path)
    if table is None:
        raise ConfigError(str(path), "tool.ssot-lsp", "section missing")
    return parse_config_table(table, str(path), root or path.parent)


def project_root_for(path: Path) -> Path:
    """The nearest ancestor with a project marker; the file's directory when there is none."""
    start = path if path.is_dir() else path.parent
    for directory in (start, *start.parents):
        if any((directory / marker).exists() for marker in (".git", "pyproject.toml", "setup.cfg", "ssot-lsp.toml")):
            return directory
    return start


# ---------------------------------------------------------------------------------------------
# Validation


class _Reader:
    """Typed access to one table that records which keys were read, to reject unknown ones."""

    def __init__(self, table: Any, file: str, prefix: str) -> None:
        if not isinstance(table, dict):
            raise ConfigError(file, prefix, f"must be a table, not {type(table).__name__}")
        self.table, self.file, self.prefix, self.seen = table, file, prefix, set()

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def get(self, name: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
        self.seen.add(name)
        if name not in self.table:
            return default
        value = self.table[name]
        if kind is int and isinstance(value, bool):
            raise ConfigError(self.file, self.key(name), "must be an integer, not a boolean")
        if not isinstance(value, kind):
            expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise ConfigError(self.file, self.key(name), f"must be {expected}, not {type(value).__name__}")
        return value

    def strings(self, name: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = self.get(name, list, None)
        if value is None:
            return default
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise ConfigError(self.file, f"{self.key(name)}[{index}]", "must be a string")
        return tuple(value)

    def finish(self) -> None:
        unknown = sorted(set(self.table) - self.seen)
        if unknown:
            raise ConfigError(self.file, self.key(unknown[0]), "unknown key")


def _severity_map(value: dict, file: str, key: str, allow_star: bool = False) -> dict[str, str]:
    result = {}
    for code, severity in value.items():
        if code == "*" and allow_star:
            pass
        elif code.upper() not in RULES:
            raise ConfigError(file, f"{key}.{code}", f"unknown rule code (known: {', '.join(RULES)})")
        if severity not in (*SEVERITIES, "off"):
            raise ConfigError(file, f"{key}.{code}", f"severity must be one of {', '.join((*SEVERITIES, 'off'))}")
        result[code.upper() if code != "*" else code] = severity
    return result


def _codes(values: tuple[str, ...], file: str, key: str) -> tuple[str, ...]:
    for value in values:
        if value.upper() not in RULES and not (value.upper().startswith("SSOT") and len(value) < 7):
            raise ConfigError(file, key, f"unknown rule code {value!r}")
    return tuple(v.upper() for v in values)


def _symbol(value: str, file: str, key: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][\w.]*:[A-Za-z_][\w.]*", value):
        raise ConfigError(file, key, f"{value!r} must look like 'package.module:Name'")
    return value


def _module(value: str, file: str, key: str) -> str:
    if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", value):
        raise ConfigError(file, key, f"{value!r} is not a dotted module name")
    return value


def _pattern(value: str | None, file: str, key: str) -> re.Pattern[str] | None:
    if value is None:
        return None
    try:
        return compile_safe_pattern(value)
    except re.error as exc:
        raise ConfigError(file, key, f"invalid regular expression: {exc}") from None
    except UnsafePattern as exc:
        raise ConfigError(file, key, str(exc)) from None


def _group(table: Any, file: str, prefix: str) -> Group:
    r = _Reader(table, file, prefix)
    name = r.get("name", str)
    if not name:
        raise ConfigError(file, r.key("name"), "required")
    canonical = r.get("canonical", str)
    if not canonical:
        raise ConfigError(file, r.key("canonical"), "required")
    _symbol(canonical, file, r.key("canonical"))
    factory = None
    factory_table = r.get("factory", dict)
    if factory_table is not None:
        fr = _Reader(factory_table, file, r.key("factory"))
        create = fr.get("create", str)
        if not create or "{context}" not in create:
            raise ConfigError(file, fr.key("create"), "required, and must contain '{context}'")
        scope = fr.get("scope", str)
        if scope is not None and "{context}" not in scope:
            raise ConfigError(file, fr.key("scope"), "must contain '{context}'")
        factory = FactorySpec(
            module=_module(fr.get("module", str, canonical.partition(":")[0]), file, fr.key("module")),
            imports=tuple(_symbol(s, file, fr.key("imports")) for s in fr.strings("imports")),
            create=create,
            scope=scope,
            is_async=fr.get("async", bool, True),
            supplied_args=fr.strings("supplied-args"),
            description=fr.get("description", str, ""),
        )
        fr.finish()
    context_args = {}
    for symbol, spec in (r.get("context-args", dict) or {}).items():
        key = f"{r.key('context-args')}.{symbol}"
        _symbol(symbol, file, key)
        cr = _Reader(spec, file, key)
        position = cr.get("position", int)
        keyword = cr.get("keyword", str)
        cr.finish()
        if position is None and keyword is None:
            raise ConfigError(file, key, "needs 'position' or 'keyword'")
        if position is not None and position < 0:
            raise ConfigError(file, f"{key}.position", "must be >= 0")
        context_args[symbol] = ContextArg(position, keyword)
    class_pattern = _pattern(r.get("class-pattern", str), file, r.key("class-pattern"))
    method_pattern = _pattern(r.get("method-pattern", str), file, r.key("method-pattern"))
    group = Group(
        name=name,
        canonical=canonical,
        factory_modules=tuple(_module(m, file, r.key("factory-modules")) for m in r.strings("factory-modules")),
        factory=factory,
        legacy_modules=tuple(_module(m, file, r.key("legacy-modules")) for m in r.strings("legacy-modules")),
        legacy_symbols=tuple(_symbol(s, file, r.key("legacy-symbols")) for s in r.strings("legacy-symbols")),
        allowed=r.strings("allowed"),
        class_pattern=class_pattern,
        method_pattern=method_pattern,
        duplicate_name=r.get("duplicate-name", bool, False),
        subclasses_of_legacy=r.get("subclasses-of-legacy", bool, True),
        canonical_subclasses_are_duplicates=r.get("canonical-subclasses-are-duplicates", bool, False),
        compat_constructors=r.strings("compat-constructors"),
        context_args=context_args,
        severity=_severity_map(r.get("severity", dict, {}), file, r.key("severity")),
        needles=r.strings("needles"),
    )
    r.finish()
    return group


def parse_config_table(table: dict, source: str, root: Path, is_default: bool = False) -> Config:
    file = source
    r = _Reader(table, file, "")
    groups_value = r.get("groups", list, [])
    groups = tuple(_group(g, file, f"groups[{i}]") for i, g in enumerate(groups_value))
    names = [g.name for g in groups]
    if len(set(names)) != len(names):
        raise ConfigError(file, "groups", "group names must be unique")
    per_path = []
    for index, entry in enumerate(r.get("per-path", list, [])):
        pr = _Reader(entry, file, f"per-path[{index}]")
        patterns = pr.strings("paths")
        if not patterns:
            raise ConfigError(file, pr.key("paths"), "required")
        per_path.append(PathOverride(
            patterns=patterns,
            severity=_severity_map(pr.get("severity", dict, {}), file, pr.key("severity"), allow_star=True),
            ignore=_codes(pr.strings("ignore"), file, pr.key("ignore")),
        ))
        pr.finish()
    max_kb = r.get("max-file-size-kb", int, 1024)
    if max_kb <= 0:
        raise ConfigError(file, "max-file-size-kb", "must be > 0")
    config = Config(
        groups=groups,
        source=source,
        root=root.resolve(),
        is_default_profile=is_default,
        source_roots=r.strings("source-roots"),
        include=r.strings("include", ("**/*.py", "**/*.pyi")),
        exclude=r.strings("exclude"),
        respect_gitignore=r.get("respect-gitignore", bool, True),
        select=_codes(r.strings("select"), file, "select"),
        ignore=_codes(r.strings("ignore"), file, "ignore"),
        severity=_severity_map(r.get("severity", dict, {}), file, "severity"),
        per_path=tuple(per_path),
        baseline=r.get("baseline", str),
        max_file_size_kb=max_kb,
    )
    r.finish()
    return config
