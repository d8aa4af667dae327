"""Find, parse, validate and layer configuration; every error names the file, the key and the problem.

The steps: read the `[tool.ssot-lsp]` table (or `ssot-lsp.toml`), validate it against
`keys.FILE_TABLE` (unknown keys, types and values, with the key paths as written), put it over the
profile it names (`layers`), check what only the merged result can tell (a `replacements` key that
is no legacy symbol of its group) and build the typed `Config`, which carries the origin of every
value. Errors in a file get the line of the key where it can be found.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path
from typing import Any

from ssot_lsp.config.keys import (
    FACTORY,
    FILE_TABLE,
    GROUP,
    PER_PATH,
    SETTINGS,
    ConfigError,
    _code_or_prefix,
    member,
)
from ssot_lsp.config.layers import Layered, from_profile, group_path, layer_file
from ssot_lsp.config.model import (
    REPLACEMENT_NONE,
    Config,
    ContextArg,
    FactorySpec,
    Group,
    Origin,
    PathOverride,
)
from ssot_lsp.config.regex_safety import compile_safe_pattern

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = ["CONFIG_FILE_NAMES", "DEFAULT_SOURCE", "ConfigError", "default_config", "find_config_file",
           "load_config", "parse_config_table", "project_root_for", "table_from_text", "with_cli_overrides"]

CONFIG_FILE_NAMES = ("ssot-lsp.toml", "pyproject.toml")
DEFAULT_SOURCE = "built-in default profile"


def _read_table(path: Path) -> tuple[dict[str, Any] | None, str]:
    """The `[tool.ssot-lsp]` table of a pyproject (None without one), or the whole of an ssot-lsp.toml;
    and the file's text, to find the line of a key."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), "", f"cannot read: {exc}") from None
    return table_from_text(text, path.name, str(path)), text


def table_from_text(text: str, name: str, source: str) -> dict[str, Any] | None:
    """The table of a configuration file's text (``name``: the file name, ``source``: where it is,
    for errors); None for a pyproject.toml without [tool.ssot-lsp]. ``audit --history`` reads the
    text from a commit."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(source, "", f"invalid TOML: {exc}") from None
    tool = data.get("tool")
    if name == "pyproject.toml" or isinstance(tool, dict) and "ssot-lsp" in tool:
        if not isinstance(tool, dict) or "ssot-lsp" not in tool:
            return None
        table = tool["ssot-lsp"]
        if not isinstance(table, dict):
            raise ConfigError(source, "tool.ssot-lsp", "must be a table")
        return table
    return data


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
            if "ssot-lsp" in text and _read_table(candidate)[0] is not None:
                return candidate
    return None


def load_config(target: Path, config_file: Path | None = None, root: Path | None = None) -> Config:
    """Configuration for ``target`` (a file or directory): explicit file, found file, or the default profile."""
    target = target.resolve()
    path = config_file.resolve() if config_file else find_config_file(target)
    if path is None:
        return default_config(root or (target if target.is_dir() else project_root_for(target)))
    if not path.is_file():
        raise ConfigError(str(path), "", "configuration file not found")
    table, text = _read_table(path)
    if table is None:
        raise ConfigError(str(path), "tool.ssot-lsp", "section missing")
    try:
        return parse_config_table(table, str(path), root or path.parent)
    except ConfigError as exc:
        if exc.file != str(path) or exc.line is not None or not exc.key:
            raise
        in_tool = path.name == "pyproject.toml" or re.search(r"^\s*\[+\s*tool\.ssot-lsp\b", text, re.MULTILINE)
        line = locate_key(text, exc.key, "tool.ssot-lsp" if in_tool else "")
        raise ConfigError(exc.file, exc.key, exc.problem, line) from None


def default_config(root: Path) -> Config:
    """The default profile, which applies when no configuration file is found."""
    from ssot_lsp.config.defaults import DEFAULT_PROFILE_NAME

    return _build(from_profile(DEFAULT_PROFILE_NAME), DEFAULT_SOURCE, root, True, DEFAULT_PROFILE_NAME)


def project_root_for(path: Path) -> Path:
    """The nearest ancestor with a project marker; the file's directory when there is none."""
    start = path if path.is_dir() else path.parent
    for directory in (start, *start.parents):
        if any((directory / marker).exists() for marker in (".git", "pyproject.toml", "setup.cfg", "ssot-lsp.toml")):
            return directory
    return start


def parse_config_table(table: dict[str, Any], source: str, root: Path, is_default: bool = False) -> Config:
    """A configuration from one table, as found in ``source``. With ``is_default`` the table stands
    for the default profile (its values are reported as the profile's)."""
    if is_default:
        from ssot_lsp.config.defaults import DEFAULT_PROFILE_NAME

        return _build(from_profile(DEFAULT_PROFILE_NAME, table), source, root, True, DEFAULT_PROFILE_NAME)
    FILE_TABLE.validate(table, source, "")
    return _build(layer_file(table, source), source, root, False, table.get("profile"))


def with_cli_overrides(config: Config, select: str | None = None, ignore: str | None = None,
                       force_exclude: bool = False) -> Config:
    """``--select`` replaces the configured selection, ``--ignore`` adds to the ignored rules,
    ``--force-exclude`` turns `force-exclude` on."""
    if not select and not ignore and not force_exclude:
        return config
    origins = dict(config.origins)
    changes: dict[str, Any] = {}
    if force_exclude:
        changes["force_exclude"] = True
        origins["force-exclude"] = (Origin("cli", "--force-exclude"),)
    if select:
        codes = _cli_codes("--select", select)
        changes["select"] = codes
        origins["select"] = tuple(Origin("cli", "--select") for _ in codes)
    if ignore:
        added = tuple(c for c in _cli_codes("--ignore", ignore) if c not in config.ignore)
        changes["ignore"] = config.ignore + added
        origins["ignore"] = tuple(origins.get("ignore", ())) + tuple(Origin("cli", "--ignore") for _ in added)
    return dataclasses.replace(config, origins=origins, **changes)


def _cli_codes(option: str, value: str) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(c.strip().upper() for c in value.split(",") if c.strip()))
    for code in codes:
        problem = _code_or_prefix(code)
        if problem:
            raise ConfigError(option, "", problem)
    return codes


# ---------------------------------------------------------------------------------------------
# Building the typed configuration from the merged table (its values are already validated)


def _build(layered: Layered, source: str, root: Path, is_default: bool, profile: str | None) -> Config:
    table, origins = layered.table, layered.origins

    def get(key: str) -> Any:
        return table.get(key, SETTINGS[key].default)

    groups = tuple(_group(g, origins) for g in get("groups"))
    return Config(
        groups=groups,
        source=source,
        root=root.resolve(),
        is_default_profile=is_default,
        source_roots=tuple(get("source-roots")),
        include=tuple(get("include")),
        exclude=tuple(get("exclude")),
        respect_gitignore=get("respect-gitignore"),
        select=tuple(c.upper() for c in get("select")),
        ignore=tuple(c.upper() for c in get("ignore")),
        severity=_severities(get("severity")),
        per_path=tuple(_per_path(entry) for entry in get("per-path")),
        baseline=get("baseline"),
        cache_dir=get("cache-dir"),
        docs_base_url=get("docs-base-url"),
        max_file_size_kb=get("max-file-size-kb"),
        profile=profile,
        force_exclude=get("force-exclude"),
        test_paths=tuple(get("test-paths")),
        origins=origins,
    )


def _severities(value: dict[str, str]) -> dict[str, str]:
    return {code if code == "*" else code.upper(): severity for code, severity in value.items()}


def _per_path(entry: dict[str, Any]) -> PathOverride:
    return PathOverride(
        patterns=tuple(entry["paths"]),
        severity=_severities(entry.get("severity", {})),
        ignore=tuple(c.upper() for c in entry.get("ignore", ())),
    )


def _group(g: dict[str, Any], origins: dict[str, tuple[Origin, ...]]) -> Group:
    def get(key: str) -> Any:
        return g.get(key, GROUP.fields[key].default)

    canonical = g["canonical"]
    factory = None
    if "factory" in g:
        f = g["factory"]

        def fget(key: str) -> Any:
            return f.get(key, FACTORY.fields[key].default)

        factory = FactorySpec(
            module=f.get("module", canonical.partition(":")[0]),
            imports=tuple(fget("imports")),
            create=f["create"],
            scope=f.get("scope"),
            is_async=fget("async"),
            supplied_args=tuple(fget("supplied-args")),
            description=fget("description"),
        )
    _check_replacements(g, origins)
    patterns = {key: compile_safe_pattern(g[key]) if key in g else None for key in ("class-pattern", "method-pattern")}
    return Group(
        name=g["name"],
        canonical=canonical,
        factory_modules=tuple(get("factory-modules")),
        factory=factory,
        legacy_modules=tuple(get("legacy-modules")),
        legacy_symbols=tuple(get("legacy-symbols")),
        allowed=tuple(get("allowed")),
        class_pattern=patterns["class-pattern"],
        method_pattern=patterns["method-pattern"],
        duplicate_name=get("duplicate-name"),
        subclasses_of_legacy=get("subclasses-of-legacy"),
        canonical_subclasses_are_duplicates=get("canonical-subclasses-are-duplicates"),
        compat_constructors=tuple(get("compat-constructors")),
        context_args={symbol: ContextArg(spec.get("position"), spec.get("keyword"))
                      for symbol, spec in get("context-args").items()},
        severity=_severities(get("severity")),
        needles=tuple(get("needles")),
        follow_discovered=get("follow-discovered"),
        replacements=dict(get("replacements")),
        context_types=tuple(get("context-types")),
        context_params=tuple(get("context-params")),
    )


def _check_replacements(g: dict[str, Any], origins: dict[str, tuple[Origin, ...]]) -> None:
    """A replacement is for one of the group's legacy symbols, and is not itself one of them.

    Checked on the merged group: an `extend-groups` entry may add the symbol and its replacement together.
    """
    legacy = g.get("legacy-symbols", [])
    path = member(group_path(g["name"]), "replacements")
    for symbol, replacement in g.get("replacements", {}).items():
        problem = None
        if symbol not in legacy:
            problem = (f"{symbol!r} is not one of the group's legacy-symbols; list it there "
                       f"(in the same extend-groups entry, for instance)")
        elif replacement != REPLACEMENT_NONE and replacement in legacy:
            problem = f"the replacement {replacement!r} is itself a legacy symbol of the group"
        if problem:
            origin = origins.get(member(path, symbol), (Origin("default"),))[-1]
            where = origin.source if origin.layer == "file" else f"profile {origin.source!r}"
            raise ConfigError(where, origin.key or member(path, symbol), problem)


# ---------------------------------------------------------------------------------------------
# Finding the line of a key (best effort: None rather than a wrong line)

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_SEGMENT = re.compile(r'"((?:[^"\\]|\\.)*)"|([^.\[\]"]+)|\[(\d+)\]')


def key_segments(key: str) -> list[str | int]:
    """``groups[engine].replacements."a:B"`` -> ``["groups", "engine", "replacements", "a:B"]``."""
    parts: list[str | int] = []
    for quoted, bare, index in _SEGMENT.findall(key):
        parts.append(int(index) if index else (quoted or bare))
    return parts


def _key_line(name: str) -> re.Pattern[str]:
    escaped = re.escape(name)
    return re.compile(rf'(?:^|[{{,\s.])(?:{escaped}|"{escaped}"|\'{escaped}\')\s*=')


def locate_key(text: str, key: str, section: str) -> int | None:
    """The 1-based line where ``key`` (a path such as ``groups[1].legacy``) is written in the table
    ``section`` (``tool.ssot-lsp``, or ``""`` for a whole file), or None when it cannot be told."""
    lines = text.splitlines()
    headers = []  # (index, name, is_array)
    for number, line in enumerate(lines):
        match = _HEADER.match(line)
        if match:
            headers.append((number, match.group(2).replace('"', "").replace(" ", ""), match.group(1) == "[["))
    parts = key_segments(key)
    if not parts or not isinstance(parts[0], str):
        return None
    top, prefix = parts[0], f"{section}." if section else ""
    leaf = next((p for p in reversed(parts) if isinstance(p, str)), top)
    index = parts[1] if len(parts) > 1 and isinstance(parts[1], int) else None

    def block(start: int) -> range:
        end = next((n for n, _, _ in headers if n > start), len(lines))
        return range(start, end)

    def find(region: range, name: str) -> list[int]:
        pattern = _key_line(name)
        return [n for n in region if pattern.search(lines[n])]

    arrays = [n for n, name, is_array in headers if is_array and name == prefix + top]
    if arrays:  # [[tool.ssot-lsp.groups]] blocks, each possibly followed by [tool.ssot-lsp.groups.factory]
        if index is None or index >= len(arrays):
            return arrays[0] + 1
        start = arrays[index]
        later = [n for n, name, _ in headers if n > start and not name.startswith(prefix + top + ".")]
        region = range(start, later[0] if later else len(lines))
        hits = find(region, leaf) if leaf != top else []
        return (hits[0] if len(hits) == 1 else start) + 1
    tables = [n for n, name, is_array in headers if not is_array and name == prefix + top]
    if tables:  # [tool.ssot-lsp.severity]
        hits = find(block(tables[0]), leaf) if leaf != top else []
        return (hits[0] if len(hits) == 1 else tables[0]) + 1
    if section:
        mains = [n for n, name, _ in headers if name == section]
        if not mains:
            return None
        region = block(mains[0])
    else:
        region = range(headers[0][0] if headers else len(lines))
    hits = find(region, top)
    if len(hits) != 1:
        return None
    if leaf == top:
        return hits[0] + 1
    # an inline value that may span lines: up to the next key at the start of a line
    start = hits[0]
    end = next((n for n in region if n > start and re.match(r"^[A-Za-z0-9_\"'-]+\s*=", lines[n])), region.stop)
    inner = find(range(start, end), leaf)
    return (inner[0] if len(inner) == 1 else start) + 1


# keys the schema test compares with schema.json
KNOWN_TABLES = {"": FILE_TABLE, "group": GROUP, "factory": FACTORY, "perPath": PER_PATH}
