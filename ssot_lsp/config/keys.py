"""Every configuration key: the values it accepts, its default, and how `extend-` keys combine with it.

One declarative table drives validation, layering (`profile`, `extend-*`), `--show-settings` and the
schema test, so a key is described once. Validation checks one layer (the profile, or a file's
table) on its own, with the key paths as written there, so an error names what the user wrote.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ssot_lsp.config.model import REPLACEMENT_NONE
from ssot_lsp.config.regex_safety import UnsafePattern, compile_safe_pattern
from ssot_lsp.core.rules.codes import CODES as RULE_CODES
from ssot_lsp.core.severity import SEVERITIES


class ConfigError(Exception):
    """Invalid configuration: carries where and what, so the CLI and the server can say it in one line."""

    def __init__(self, file: str, key: str, problem: str, line: int | None = None) -> None:
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {key}: {problem}" if key else f"{where}: {problem}")
        self.file = file
        self.key = key
        self.problem = problem
        self.line = line


Test = Callable[[Any], "str | None"]  # returns the problem with a value, or None


class Spec:
    """What one key accepts. ``default`` is the value when the key is set nowhere."""

    default: Any = None

    def validate(self, value: Any, file: str, key: str) -> None:
        raise NotImplementedError


_TYPE_NAMES = {bool: "a boolean", int: "an integer", str: "a string", list: "an array", dict: "a table",
               float: "a number"}


def _type_name(value: Any) -> str:
    for kind, name in _TYPE_NAMES.items():
        if type(value) is kind:
            return name
    return type(value).__name__


@dataclass(frozen=True)
class Scalar(Spec):
    kind: type
    test: Test | None = None
    default: Any = None

    def validate(self, value: Any, file: str, key: str) -> None:
        if not isinstance(value, self.kind) or (self.kind is int and isinstance(value, bool)):
            raise ConfigError(file, key, f"must be {_TYPE_NAMES[self.kind]}, not {_type_name(value)}")
        problem = self.test(value) if self.test else None
        if problem:
            raise ConfigError(file, key, problem)


@dataclass(frozen=True)
class ListOf(Spec):
    """An array. ``keyed_by`` names the field that identifies a table item (a group's ``name``)."""

    item: Spec
    default: Any = ()
    keyed_by: str | None = None
    min_items: int = 0

    def validate(self, value: Any, file: str, key: str) -> None:
        if not isinstance(value, list):
            raise ConfigError(file, key, f"must be an array, not {_type_name(value)}")
        if len(value) < self.min_items:
            raise ConfigError(file, key, f"needs at least {self.min_items} entry")
        seen: set[str] = set()
        for index, item in enumerate(value):
            self.item.validate(item, file, f"{key}[{index}]")
            if self.keyed_by is not None:
                name = item[self.keyed_by]
                if name in seen:
                    raise ConfigError(file, f"{key}[{index}].{self.keyed_by}",
                                      f"{name!r} appears twice; {self.keyed_by}s must be unique")
                seen.add(name)


@dataclass(frozen=True)
class MapOf(Spec):
    """A table with keys of the user's choosing (rule codes, symbols)."""

    key_test: Test
    value: Spec
    default: Any = field(default_factory=dict)

    def validate(self, value: Any, file: str, key: str) -> None:
        if not isinstance(value, dict):
            raise ConfigError(file, key, f"must be a table, not {_type_name(value)}")
        for name, item in value.items():
            problem = self.key_test(name)
            if problem:
                raise ConfigError(file, member(key, name), problem)
            self.value.validate(item, file, member(key, name))


@dataclass(frozen=True)
class Table(Spec):
    """A table with fixed keys; any other key is an error."""

    fields: Mapping[str, Spec]
    required: tuple[str, ...] = ()
    one_of: tuple[str, ...] = ()  # at least one of these keys must be set
    default: Any = None

    def validate(self, value: Any, file: str, key: str) -> None:
        if not isinstance(value, dict):
            raise ConfigError(file, key, f"must be a table, not {_type_name(value)}")
        for name in value:
            if name not in self.fields:
                raise ConfigError(file, member(key, name), "unknown key" + _suggestion(name, self.fields))
        for name in self.required:
            if name not in value:
                raise ConfigError(file, member(key, name), "required")
        if self.one_of and not any(name in value for name in self.one_of):
            raise ConfigError(file, key, "needs " + " or ".join(repr(n) for n in self.one_of))
        for name, item in value.items():
            self.fields[name].validate(item, file, member(key, name))


def member(key: str, name: str) -> str:
    """``key.name``, quoting ``name`` as TOML would when it is not a bare key."""
    part = name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else '"' + name.replace('"', '\\"') + '"'
    return f"{key}.{part}" if key else part


def _suggestion(name: str, known: Mapping[str, Spec]) -> str:
    import difflib  # only for a misspelt key: not imported by every run (with heapq, 2 ms of a start)

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


# -- value tests -------------------------------------------------------------------------------

_IDENT = r"[A-Za-z_]\w*"
_DOTTED = rf"{_IDENT}(?:\.{_IDENT})*"
MODULE_RE = re.compile(_DOTTED)
SYMBOL_RE = re.compile(rf"{_DOTTED}:{_DOTTED}")
ALLOWED_RE = re.compile(rf"(?:{_DOTTED}:)?{_IDENT}")
CLASS_NAME_RE = re.compile(rf"(?:{_DOTTED}:)?{_DOTTED}")
CODE_PREFIX_RE = re.compile(r"[Ss][Ss][Oo][Tt][0-9]{0,2}")


def _module(value: str) -> str | None:
    return None if MODULE_RE.fullmatch(value) else f"{value!r} is not a dotted module name"


def _symbol(value: str) -> str | None:
    return None if SYMBOL_RE.fullmatch(value) else f"{value!r} must look like 'package.module:Name'"


def _allowed(value: str) -> str | None:
    return None if ALLOWED_RE.fullmatch(value) else f"{value!r} must be 'package.module:Name' or a bare 'Name'"


def _identifier(value: str) -> str | None:
    return None if re.fullmatch(_IDENT, value) else f"{value!r} is not a Python identifier"


def _class_name(value: str) -> str | None:
    if CLASS_NAME_RE.fullmatch(value):
        return None
    return f"{value!r} must be a class name ('Name', 'package.Name' or 'package.module:Name')"


def _replacement(value: str) -> str | None:
    if value == REPLACEMENT_NONE or SYMBOL_RE.fullmatch(value):
        return None
    return f"{value!r} must be 'package.module:Name' or \"{REPLACEMENT_NONE}\" (no automatic replacement)"


def url_problem(value: str) -> str | None:
    if re.match(r"(https?|file)://\S+$", value) is None:
        return "must be an http://, https:// or file:// URL without spaces"
    return None


def _non_empty(value: str) -> str | None:
    return None if value.strip() else "must not be empty"


def _positive(value: int) -> str | None:
    return None if value > 0 else "must be > 0"


def _not_negative(value: int) -> str | None:
    return None if value >= 0 else "must be >= 0"


def glob_problem(value: str) -> str | None:
    """Globs are matched against '/'-separated paths relative to the root, with `*`, `?` and `**`
    only; anything else would match literally and silently never apply."""
    if not value.strip():
        return "empty pattern"
    if value.startswith("/") or re.match(r"[A-Za-z]:[\\/]", value):
        return f"{value!r} is absolute; patterns are relative to the configuration's directory"
    if "\\" in value:
        return f"{value!r} contains '\\'; use '/' as the path separator"
    if value.startswith("!"):
        return f"{value!r}: negation ('!') is not supported; narrow the other patterns instead"
    if any(c in value for c in "[]{}"):
        return f"{value!r}: character classes and braces are not supported; use '*', '?' and '**'"
    parts = value.split("/")
    if "." in parts or ".." in parts:
        return f"{value!r} contains '.' or '..' segments, which never match; write the path from the root"
    return None


def _template(value: str) -> str | None:
    if "{context}" not in value:
        return "must contain '{context}'"
    try:
        ast.parse(value.replace("{context}", "context"), mode="eval")
    except SyntaxError as exc:
        return f"is not a Python expression: {exc.msg}"
    return None


def _pattern(value: str) -> str | None:
    try:
        compile_safe_pattern(value)
    except re.error as exc:
        return f"invalid regular expression: {exc}"
    except UnsafePattern as exc:
        return str(exc)
    return None


def _is_code(value: str) -> bool:
    return value.isascii() and value.upper() in RULE_CODES


def _code(value: str, star: bool = False) -> str | None:
    if _is_code(value) or (star and value == "*"):
        return None
    return f"unknown rule code {value!r} (known: {', '.join(RULE_CODES)})"


def _code_or_star(value: str) -> str | None:
    return _code(value, star=True)


def _code_or_prefix(value: str) -> str | None:
    if _is_code(value) or CODE_PREFIX_RE.fullmatch(value):
        return None
    return f"unknown rule code {value!r}: use a code ({RULE_CODES[0]}) or a prefix (SSOT, SSOT0, SSOT00)"


def _severity(value: str) -> str | None:
    allowed = (*SEVERITIES, "off")
    return None if value in allowed else f"severity must be one of {', '.join(allowed)}, not {value!r}"


def _profile(value: str) -> str | None:
    from ssot_lsp.config.defaults import PROFILES

    if value in PROFILES:
        return None
    return f"no built-in profile named {value!r} (known: {', '.join(PROFILES)})"


def _strings(test: Test | None = None, default: Any = ()) -> ListOf:
    return ListOf(Scalar(str, test), default=default)


BOOL_TRUE = Scalar(bool, default=True)
BOOL_FALSE = Scalar(bool, default=False)
SEVERITY = Scalar(str, _severity)
GLOBS = _strings(glob_problem)
CODES = _strings(_code_or_prefix)

FACTORY = Table(
    {
        "module": Scalar(str, _module),
        "imports": _strings(_symbol),
        "create": Scalar(str, _template),
        "scope": Scalar(str, _template),
        "async": BOOL_TRUE,
        "supplied-args": _strings(_identifier),
        "description": Scalar(str, default=""),
    },
    required=("create",),
)

CONTEXT_ARG = Table({"position": Scalar(int, _not_negative), "keyword": Scalar(str, _identifier)},
                    one_of=("position", "keyword"))

GROUP = Table(
    {
        "name": Scalar(str, _non_empty),
        "canonical": Scalar(str, _symbol),
        "factory-modules": _strings(_module),
        "factory": FACTORY,
        "legacy-modules": _strings(_module),
        "legacy-symbols": _strings(_symbol),
        "allowed": _strings(_allowed),
        "class-pattern": Scalar(str, _pattern),
        "method-pattern": Scalar(str, _pattern),
        "duplicate-name": BOOL_FALSE,
        "subclasses-of-legacy": BOOL_TRUE,
        "canonical-subclasses-are-duplicates": BOOL_FALSE,
        "follow-discovered": BOOL_TRUE,
        "compat-constructors": _strings(_identifier),
        "context-args": MapOf(_symbol, CONTEXT_ARG),
        "replacements": MapOf(_symbol, Scalar(str, _replacement)),
        "context-types": _strings(_class_name),
        "context-params": _strings(_identifier),
        "severity": MapOf(_code, SEVERITY),
        "needles": _strings(_non_empty),
    },
    required=("name", "canonical"),
)

# an `extend-groups` entry: a group named `name` is extended key by key; a new name needs `canonical`
GROUP_EXTENSION = replace(GROUP, required=("name",))

PER_PATH = Table(
    {
        "paths": ListOf(Scalar(str, glob_problem), min_items=1),
        "severity": MapOf(_code_or_star, SEVERITY),
        "ignore": CODES,
    },
    required=("paths",),
)

GROUPS = ListOf(GROUP, keyed_by="name")
PER_PATHS = ListOf(PER_PATH)

# Top-level keys in the order `--show-settings` prints them.
SETTINGS: dict[str, Spec] = {
    "source-roots": _strings(_non_empty),
    "include": _strings(glob_problem, default=("**/*.py", "**/*.pyi")),
    "exclude": GLOBS,
    "force-exclude": BOOL_FALSE,
    "respect-gitignore": BOOL_TRUE,
    "test-paths": GLOBS,
    "select": CODES,
    "ignore": CODES,
    "severity": MapOf(_code, SEVERITY),
    "per-path": PER_PATHS,
    "baseline": Scalar(str, _non_empty),
    "cache-dir": Scalar(str, _non_empty),
    "docs-base-url": Scalar(str, url_problem),
    "max-file-size-kb": Scalar(int, _positive, default=1024),
    "groups": GROUPS,
}

# `extend-X` appends to (for groups: merges into) X after the profile and the plain keys applied.
EXTENDS: dict[str, str] = {
    "extend-exclude": "exclude",
    "extend-ignore": "ignore",
    "extend-per-path": "per-path",
    "extend-groups": "groups",
}

FILE_TABLE = Table(
    {
        "profile": Scalar(str, _profile),
        **SETTINGS,
        "extend-exclude": GLOBS,
        "extend-ignore": CODES,
        "extend-per-path": PER_PATHS,
        "extend-groups": ListOf(GROUP_EXTENSION),
    }
)

# what a built-in profile may contain: settings, no `profile` and no `extend-` keys
PROFILE_TABLE = Table(SETTINGS)
