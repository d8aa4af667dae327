"""The configuration a commit had: its own ``ssot-lsp.toml`` / ``pyproject.toml``, read from the commit.

The root is today's (resolved like ``check`` resolves it). At each commit the configuration file is
looked up at that root the way ``check`` looks it up — ``ssot-lsp.toml``, else a ``pyproject.toml``
with a ``[tool.ssot-lsp]`` table — and parsed from the blob; without one the built-in profile
applies. An explicit ``--config`` names the file to read at every commit (a file outside the
root is not versioned with it: today's file applies throughout). ``--select``/``--ignore`` apply
on top, as on the command line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from ssot_lsp.config.loader import (
    CONFIG_FILE_NAMES,
    ConfigError,
    default_config,
    parse_config_table,
    table_from_text,
    with_cli_overrides,
)
from ssot_lsp.config.model import Config

Entries = Mapping[str, tuple[str, str]]


class ConfigurationAt:
    def __init__(self, root: Path, explicit: Path | None, fixed: Config | None, select: str | None,
                 ignore: str | None) -> None:
        """``explicit``: a ``--config`` file inside the root (root-relative); ``fixed``: the
        configuration for every commit (a ``--config`` outside the root)."""
        self.root = root
        self.explicit = explicit
        self.fixed = fixed
        self.select = select
        self.ignore = ignore
        self._parsed: dict[tuple[str, str], Config | ConfigError] = {}
        self._default: Config | None = None
        # (name, blob) of a pyproject.toml without our table: not read from git again at every commit
        self._not_ours: set[tuple[str, str]] = set()

    def at(self, entries: Entries, read: Callable[[str], bytes], label: str) -> tuple[Config, str | None]:
        """(configuration, blob of its file or None); ConfigError for one that does not validate.
        ``label`` names the commit in messages."""
        if self.fixed is not None:
            return self.fixed, None
        if self.explicit is not None:
            name = self.explicit.as_posix()
            if name not in entries:
                raise ConfigError(f"{label}:{name}", "", "configuration file not in this commit")
            return self._parse(name, entries[name][1], read, label, required=True), entries[name][1]
        for name in CONFIG_FILE_NAMES:
            if name not in entries:
                continue
            oid = entries[name][1]
            if (name, oid) in self._not_ours:
                continue
            if name == "ssot-lsp.toml" or b"ssot-lsp" in read(oid):
                try:
                    return self._parse(name, oid, read, label, required=name == "ssot-lsp.toml"), oid
                except _NoTable:
                    self._not_ours.add((name, oid))
                    continue
            else:
                self._not_ours.add((name, oid))
        if self._default is None:
            # one object for every commit without a file, as a file's is one per blob: results
            # computed under a configuration are reused while it is the same object (``reuse.Reuse``
            # makes a new classifier for an equal configuration built again; 48 of the realistic
            # history's 50 commits have none)
            self._default = with_cli_overrides(default_config(self.root), self.select, self.ignore)
        return self._default, None

    def _parse(self, name: str, oid: str, read: Callable[[str], bytes], label: str, required: bool) -> Config:
        key = (name, oid)
        found = self._parsed.get(key)
        if found is None:
            found = self._parsed[key] = self._load(name, read(oid), f"{label}:{name}")
        if isinstance(found, _NoTable):
            if required:
                raise ConfigError(f"{label}:{name}", "tool.ssot-lsp", "section missing")
            raise found
        if isinstance(found, ConfigError):
            raise found
        return found

    def _load(self, name: str, data: bytes, source: str) -> Config | ConfigError:
        try:
            table = table_from_text(data.decode("utf-8"), name, source)
            if table is None:
                return _NoTable(source, "tool.ssot-lsp", "section missing")
            return with_cli_overrides(parse_config_table(table, source, self.root), self.select, self.ignore)
        except UnicodeDecodeError as exc:
            return ConfigError(source, "", f"not UTF-8: {exc.reason}")
        except ConfigError as exc:
            return exc


class _NoTable(ConfigError):
    """A pyproject.toml without [tool.ssot-lsp]: not a configuration file."""
