"""Layering: a built-in profile, then a file's plain keys, then its `extend-` keys.

The result is one plain table, shaped like a `[tool.ssot-lsp]` table without `profile` or `extend-`
keys, plus the origin of every value in it (one per item for arrays), so `--show-settings` can say
where each value came from and errors found only after merging can name the key that caused them.

Rules, as for ruff's `extend-*`: next to `profile`, a plain key replaces the profile's value;
`extend-exclude`, `extend-ignore` and `extend-per-path` append to the value so far (the profile's
or the table's own); an `extend-groups` entry whose `name` exists is merged into that group key by
key (arrays are appended to, tables such as `replacements` or `factory` are merged entry by entry,
other values replaced); an entry with a new name adds a group.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from typing import Any

from ssot_lsp.config.keys import (
    EXTENDS,
    GROUP,
    PROFILE_TABLE,
    SETTINGS,
    ConfigError,
    ListOf,
    MapOf,
    Spec,
    Table,
    member,
)
from ssot_lsp.config.model import Origin

# (key path, entry) -> reason, for profile entries that are assumptions; entry None: the whole value
Notes = dict[tuple[str, str | None], str]


@dataclass
class Layered:
    table: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, tuple[Origin, ...]] = field(default_factory=dict)


def group_path(name: str) -> str:
    return f"groups[{name}]"


def from_profile(name: str, table: dict[str, Any] | None = None) -> Layered:
    """The built-in profile ``name`` (or ``table`` standing for it) as the first layer; validated like
    a file, so it proves the format, but without `profile` or `extend-` keys."""
    from ssot_lsp.config.defaults import PROFILES

    profile = PROFILES[name]
    table = copy.deepcopy(profile.table if table is None else table)
    PROFILE_TABLE.validate(table, f"profile {name!r}", "")
    layered = Layered()
    origin = Origin("profile", name)
    notes = {(a.key, a.entry): a.reason for a in profile.assumptions}
    for key, spec in SETTINGS.items():
        if key in table:
            layered.table[key] = table[key]
            _record(layered.origins, key, table[key], spec, replace(origin, key=key), notes)
    return layered


def layer_file(table: dict[str, Any], file: str) -> Layered:
    """A file's table (already validated) over the profile it names, or over nothing."""
    layered = from_profile(table["profile"]) if "profile" in table else Layered()
    for key, spec in SETTINGS.items():
        if key in table:
            _forget(layered.origins, key)
            layered.table[key] = copy.deepcopy(table[key])
            _record(layered.origins, key, table[key], spec, Origin("file", file, key), {})
    for extend_key, key in EXTENDS.items():
        if extend_key not in table:
            continue
        origin = Origin("file", file, extend_key)
        if key == "groups":
            for index, entry in enumerate(table[extend_key]):
                _extend_group(layered, copy.deepcopy(entry), origin.at(f"[{index}]"))
        else:
            _append(layered, key, table[extend_key], origin)
    return layered


def _append(layered: Layered, key: str, values: list[Any], origin: Origin) -> None:
    current = layered.table.setdefault(key, [])
    origins = layered.origins.get(key, ())
    for index, value in enumerate(values):
        if value not in current:
            current.append(copy.deepcopy(value))
            origins += (origin.at(f"[{index}]"),)
    layered.origins[key] = origins


def _extend_group(layered: Layered, entry: dict[str, Any], origin: Origin) -> None:
    groups = layered.table.setdefault("groups", [])
    name = entry["name"]
    path = group_path(name)
    existing = next((g for g in groups if g["name"] == name), None)
    if existing is None:
        if "canonical" not in entry:
            known = ", ".join(repr(g["name"]) for g in groups) or "none"
            raise ConfigError(origin.source, member(origin.key, "canonical"),
                              f"required: there is no group named {name!r} to extend (groups: {known})")
        groups.append(entry)
        layered.origins["groups"] = layered.origins.get("groups", ()) + (origin,)
        _record(layered.origins, path, entry, GROUP, origin, {})
        return
    layered.origins[path] = layered.origins.get(path, ()) + (origin,)
    _merge(existing, {k: v for k, v in entry.items() if k != "name"}, GROUP, path, origin, layered.origins)


def _merge(target: dict[str, Any], entry: dict[str, Any], spec: Table, path: str, origin: Origin,
           origins: dict[str, tuple[Origin, ...]]) -> None:
    for name, value in entry.items():
        field_spec, sub, here = spec.fields[name], member(path, name), origin.at("." + member("", name))
        if name not in target:
            target[name] = value
            _record(origins, sub, value, field_spec, here, {})
        elif isinstance(field_spec, ListOf):
            added = origins.get(sub, ())
            for index, item in enumerate(value):
                if item not in target[name]:
                    target[name].append(item)
                    added += (here.at(f"[{index}]"),)
            origins[sub] = added
        elif isinstance(field_spec, MapOf):
            target[name].update(value)
            for key in value:
                origins[member(sub, key)] = (replace(here, key=member(here.key, key)),)
        elif isinstance(field_spec, Table):
            origins[sub] = origins.get(sub, ()) + (here,)
            _merge(target[name], value, field_spec, sub, here, origins)
        else:
            target[name] = value
            _forget(origins, sub)
            _record(origins, sub, value, field_spec, here, {})


def _record(origins: dict[str, tuple[Origin, ...]], path: str, value: Any, spec: Spec, origin: Origin,
            notes: Notes) -> None:
    def noted(o: Origin, entry: str | None) -> Origin:
        reason = notes.get((path, entry)) or notes.get((path, None))  # an item, or the whole value
        return replace(o, assumption=reason) if reason else o

    if isinstance(spec, ListOf):
        origins[path] = tuple(noted(origin.at(f"[{i}]"), item if isinstance(item, str) else None)
                              for i, item in enumerate(value))
        if spec.keyed_by is not None:
            for i, item in enumerate(value):
                _record(origins, f"{path}[{item[spec.keyed_by]}]", item, spec.item, origin.at(f"[{i}]"), notes)
    elif isinstance(spec, MapOf):
        origins[path] = (noted(origin, None),)
        for name in value:
            origins[member(path, name)] = (noted(replace(origin, key=member(origin.key, name)), name),)
    elif isinstance(spec, Table):
        origins[path] = (noted(origin, None),)
        for name, item in value.items():
            _record(origins, member(path, name), item, spec.fields[name], origin.at("." + member("", name)), notes)
    else:
        origins[path] = (noted(origin, None),)


def _forget(origins: dict[str, tuple[Origin, ...]], path: str) -> None:
    for key in [k for k in origins if k == path or k.startswith((path + ".", path + "["))]:
        del origins[key]
