"""One workspace folder: its configuration, baseline, index, and disk facts of files not open.

All methods run on the event loop thread except ``scan`` (run in an executor), which builds a
fresh index of its own; ``install_scan`` swaps it in on the loop. Open buffers override disk
facts in the index, and a buffer that does not parse never replaces the last good facts.
A file outside every workspace folder gets a "loose" folder for its project root, which is
never scanned (``scannable=False``).

A folder's root is the workspace root its client folder resolves to (``core.project.resolve_root``:
the configuration file's directory, else the one holding the profile's modules, else the
repository root), as for ``ssot-lsp check``. Client folders resolving to the same root share one
``Folder`` — one configuration, one index, one scan — and each keeps its ``scopes``: the workspace
diagnostics of a folder are those of its root restricted to the client folders it serves.
"""

from __future__ import annotations

import asyncio
import copy
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pygls.uris import from_fs_path

from ssot_lsp.config.loader import (
    DEFAULT_SOURCE,
    ConfigError,
    load_config,
    parse_config_table,
)
from ssot_lsp.config.model import Config
from ssot_lsp.core import baseline as baseline_core
from ssot_lsp.core.analysis import analyze_text
from ssot_lsp.core.baseline import Baseline
from ssot_lsp.core.cache import FactsCache
from ssot_lsp.core.engine import analyze
from ssot_lsp.core.facts import FileFacts, extract_facts
from ssot_lsp.core.partial.incremental import StatementCache
from ssot_lsp.core.prefilter import watch_names
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.project import profile_applies, resolve_root
from ssot_lsp.core.stale import StaleEntry, configuration_index, stale_entries
from ssot_lsp.core.text import UndecodableSource, decode_source
from ssot_lsp.core.violations import Violation
from ssot_lsp.core.scan import Progress, ScanResult
from ssot_lsp.core.workspace import Workspace
from ssot_lsp.lsp.convert import uri_to_path
from ssot_lsp.lsp.settings import DEFAULTS, Settings

Signature = tuple[object, ...] | None


class Lines(Protocol):
    def line(self, line: int) -> str: ...


def facts_signature(facts: FileFacts | None) -> Signature:
    """What other files can see of a file: a change means cross-file results may change."""
    if facts is None:
        return None
    return (
        tuple(sorted((name, repr(value)) for name, value in facts.bindings.items())),
        facts.all_names,
        facts.star_imports,
        tuple((c.name, c.bases, c.methods, c.classmethods, c.scope, c.span.line, c.span.col)
              for c in facts.classes),
    )


@dataclass
class AnalysisResult:
    facts: FileFacts
    violations: list[Violation]
    parsed: bool
    cross_file_changed: bool = False


@dataclass(frozen=True)
class Placement:
    """Where a file sits: its folder, its module name, and whether the folder's configuration
    includes it (only then do its facts enter the index). Computed once per open document."""

    folder: Folder
    module: str
    is_package: bool
    in_workspace: bool


@dataclass(eq=False)
class Folder:
    uri: str
    root: Path
    settings: Settings = DEFAULTS
    scannable: bool = True  # False for the loose folder of files outside every workspace folder
    # the client folders this one serves, below or at the root; empty: the whole root
    scopes: tuple[Path, ...] = ()
    config_loads: int = 0  # configurations loaded so far (stale entries are shown once per load)
    stale_reported: int = -1  # the load whose stale entries were last reported
    config: Config | None = None
    config_error: str | None = None
    workspace: Workspace | None = None
    index: WorkspaceIndex = field(default_factory=WorkspaceIndex)
    disk_facts: dict[str, FileFacts] = field(default_factory=dict)
    indexed: bool = False
    scan_generation: int = 0
    config_files: set[str] = field(default_factory=set)
    pending_disk: set[str] = field(default_factory=set)  # disk changes seen while a scan runs
    baseline: Baseline | None = None  # accepted violations (``ssot-lsp baseline``): not reported
    baseline_stamp: tuple | None = None  # (path, mtime_ns, size) of the loaded baseline file
    baseline_message: str | None = None  # why the baseline file could not be used (shown once)
    # the background scan building the index, and an event set once an index is installed
    index_task: asyncio.Task[None] | None = field(default=None, repr=False)
    index_ready: asyncio.Event = field(default_factory=asyncio.Event, repr=False)
    _violations_cache: dict[str, tuple[int, list[Violation]]] = field(default_factory=dict)

    @property
    def indexing(self) -> bool:
        """A scan runs whose result is not installed yet: disk changes wait for it. Not until the task
        ends: after installing its result it still saves the cache, and changes arriving then would
        wait for a scan that has already drained them (and be lost)."""
        return self.index_task is not None and not self.index_task.done() and not self.index_ready.is_set()

    def may_write(self, path: str) -> bool:
        """Edits may only land inside this folder: a symlink whose target is outside is refused
        (applying the edit would write through the link)."""
        root = os.path.realpath(self.root)
        try:
            target = os.path.realpath(path)
        except (OSError, RuntimeError):
            return False
        return target == root or target.startswith(root.rstrip(os.sep) + os.sep)

    # -- configuration -----------------------------------------------------------------------
    def load_config(self) -> str | None:
        """(Re)load the configuration; returns an error message and keeps the last good one on failure."""
        explicit = Path(self.settings.config_file).expanduser() if self.settings.config_file else None
        if explicit is not None and not explicit.is_absolute():
            explicit = self.root / explicit
        try:
            config = load_config(self.root, explicit)
        except ConfigError as exc:
            if self.config is None:
                from ssot_lsp.config.defaults import DEFAULT_PROFILE

                self._set_config(parse_config_table(copy.deepcopy(DEFAULT_PROFILE), DEFAULT_SOURCE, self.root,
                                                    is_default=True))
            self.config_error = str(exc)
            last_good = self.folder_config.source != DEFAULT_SOURCE or self.indexed
            return f"SSOT: invalid configuration: {exc}; " + (
                "using the last good configuration" if last_good else "using the built-in profile")
        except Exception as exc:
            if self.config is None:
                raise
            return f"SSOT: cannot load configuration: {exc}"
        self.config_error = None
        self._set_config(config)
        self.baseline_message = self.load_baseline()
        return None

    def _set_config(self, config: Config) -> None:
        self.config = config
        self.config_loads += 1
        self.workspace = Workspace(config, max_file_size_kb=self.settings.max_file_size_kb)
        files = {str(self.root / "pyproject.toml"), str(self.root / "ssot-lsp.toml")}
        if config.source != DEFAULT_SOURCE:
            files.add(str(Path(config.source)))
        self.config_files = files
        self._violations_cache.clear()

    # -- baseline -------------------------------------------------------------------------------
    @property
    def baseline_path(self) -> str | None:
        """The baseline file ``ssot-lsp check`` uses: configured, else ``.ssot-baseline.json`` at the root."""
        if self.config is None:
            return None
        name = self.config.baseline or baseline_core.DEFAULT_FILE_NAME
        return os.path.abspath(self.config.root / Path(name).expanduser())

    def load_baseline(self) -> str | None:
        """(Re)read the baseline file; no file means no baseline. An unreadable or invalid file keeps
        the last good baseline and returns a message."""
        path = self.baseline_path
        try:
            info = os.stat(path) if path else None
        except OSError:
            info = None
        if path is None or info is None:
            self.baseline, self.baseline_stamp = None, None
            return None
        stamp = (path, info.st_mtime_ns, info.st_size)
        if stamp == self.baseline_stamp:
            return None
        try:
            self.baseline = baseline_core.load(Path(path))
        except baseline_core.BaselineError as exc:
            return f"SSOT: invalid baseline: {exc}; " + (
                "keeping the last good baseline" if self.baseline is not None else "reporting every violation")
        self.baseline_stamp = stamp
        return None

    def visible(self, path: str, violations: list[Violation], lines: Lines | None) -> list[Violation]:
        """The violations not accepted by the baseline (``lines.line(n)`` gives the text of line n),
        matched the way ``ssot-lsp check`` matches them: per (file, code, fingerprint) with counts,
        the last ones in file order being the new ones."""
        if self.baseline is None or not violations or lines is None or self.workspace is None:
            return violations
        relpath = self.workspace.relpath(Path(path))
        ordered = sorted(violations, key=Violation.sort_key)
        items = [baseline_core.Keyed(v, baseline_core.key_for(v, relpath, lines.line(v.span.line)))
                 for v in ordered]
        new, _ = baseline_core.filter_new(self.baseline, items)
        return new

    # -- files ------------------------------------------------------------------------------------
    def contains(self, path: str) -> bool:
        try:
            Path(path).resolve().relative_to(self.root.resolve())
        except ValueError:
            return False
        return True

    def module_of(self, path: str) -> tuple[str, bool]:
        return self.folder_workspace.module_name(Path(path))

    def place(self, path: str) -> Placement:
        module, is_package = self.module_of(path)
        return Placement(self, module, is_package, self.is_workspace_file(path))

    def is_workspace_file(self, path: str) -> bool:
        if not path.endswith((".py", ".pyi")) or not self.contains(path):
            return False
        workspace = self.folder_workspace
        return workspace.is_included(workspace.relpath(Path(path)))

    @property
    def folder_workspace(self) -> Workspace:
        if self.workspace is None:
            raise RuntimeError(f"the configuration of {self.root} is not loaded")
        return self.workspace

    @property
    def docs_base_url(self) -> str | None:
        """Where the rule pages are published: the editor setting, else the configuration's key."""
        return self.settings.docs_base_url or (self.config.docs_base_url if self.config is not None else None)

    @property
    def folder_config(self) -> Config:
        """The configuration (every folder loads one when it is added, see ``load_config``)."""
        if self.config is None:
            raise RuntimeError(f"the configuration of {self.root} is not loaded")
        return self.config

    # -- scanning -----------------------------------------------------------------------------
    def scan(self, jobs: int, progress: Progress | None = None) -> tuple[ScanResult, FactsCache | None]:
        """Runs in an executor thread: touches nothing shared. Returns the result and the facts cache
        to save (by ``save_cache``, after the index is installed: writing it is not on the way)."""
        config = self.folder_config
        workspace = Workspace(config, max_file_size_kb=self.settings.max_file_size_kb)
        cache: FactsCache | None
        try:
            cache = FactsCache.for_workspace(workspace)
        except Exception:  # noqa: BLE001 - the cache is an optimisation only
            cache = None
        result = workspace.scan(None, jobs=jobs, cache=cache, progress=progress,
                                severity_overrides=self.settings.severity or None)
        return result, cache

    @staticmethod
    def save_cache(cache: FactsCache | None) -> None:
        """Runs in an executor thread."""
        if cache is None:
            return
        try:
            cache.save()
        except Exception:  # noqa: BLE001 - the cache is an optimisation only
            pass

    def install_scan(self, result: ScanResult, open_facts: list[FileFacts], analysed_with: tuple | None = None) -> None:
        """The scan's index, with open buffers in place of their disk facts. The scan already ran
        the rules over every file (in its thread): its findings seed the per-file cache, so the
        first workspace report after indexing need not analyse the whole workspace again on the
        loop — unless an open buffer shows other files something its disk text does not, or the
        settings that change results (``analysed_with``: those in force when the scan started)
        changed since (then findings are computed when asked)."""
        self.index = result.index or WorkspaceIndex()
        self.disk_facts = dict(result.facts)
        scanned = self.index.generation
        for facts in open_facts:
            if facts_signature(facts) != facts_signature(self.disk_facts.get(facts.path)):
                self.index.add(facts)
        self.indexed = True
        self.scan_generation += 1
        self._violations_cache.clear()
        if self.index.generation == scanned and analysed_with == self.settings.analysis_key():
            self._seed_violations(result)

    def _seed_violations(self, result: ScanResult) -> None:
        if not self.settings.enable:
            return
        found: dict[str, list[Violation]] = {path: [] for path in result.facts}
        for violation in result.violations:
            if violation.path in found:
                found[violation.path].append(violation)
        generation = self.index.generation
        self._violations_cache.update((path, (generation, violations)) for path, violations in found.items())

    def forget_results(self) -> None:
        """Settings that change results changed: disk findings are computed again when asked."""
        self._violations_cache.clear()

    # -- analysis ------------------------------------------------------------------------------
    def analyze_text(self, path: str, text: str, place: Placement,
                     statements: StatementCache | None = None) -> AnalysisResult:
        """``statements``: the document's ``StatementCache``, so only edited statements are parsed."""
        tree = statements.tree(text) if statements is not None else None
        if not self.settings.enable:
            facts = extract_facts(text, path, place.module, place.is_package, tree=tree)
            return AnalysisResult(facts, [], facts.parsed)
        in_workspace = place.in_workspace
        analysis = analyze_text(self.index, self.folder_config, path, text, place.module, place.is_package,
                                keep=in_workspace, tree=tree, severity_overrides=self.settings.severity or None)
        cross = in_workspace and analysis.parsed and facts_signature(analysis.previous) != facts_signature(
            analysis.facts)
        return AnalysisResult(analysis.facts, analysis.violations, analysis.parsed, cross)

    def analyze_facts(self, facts: FileFacts) -> list[Violation]:
        """The rules again over facts already extracted (other files changed, not this one)."""
        if not self.settings.enable:
            return []
        return analyze(facts, self.index, self.folder_config, severity_overrides=self.settings.severity or None)

    def restore_disk(self, path: str) -> bool:
        """A document closed: the index goes back to what is on disk. Returns whether facts changed."""
        if not self.is_workspace_file(path):
            return False
        module, _ = self.module_of(path)
        old = self.index.facts_by_module.get(module)
        return self.refresh_disk_file(path, old_facts=old)

    def refresh_disk_file(self, path: str, old_facts: FileFacts | None = None) -> bool:
        """Re-read one file from disk into the index (or drop it when gone). Returns cross-file change."""
        if not path.endswith((".py", ".pyi")) or not self.contains(path):
            return False
        module, is_package = self.module_of(path)
        old = old_facts if old_facts is not None else self.index.facts_by_module.get(module)
        new = None
        if os.path.isfile(path) and self.is_workspace_file(path):
            try:
                if os.path.getsize(path) <= self.settings.max_file_size_kb * 1024:
                    text, _ = decode_source(Path(path).read_bytes())
                    new = extract_facts(text, path, module, is_package, watch=watch_names(self.folder_config))
            except (OSError, UndecodableSource):
                new = None
        if new is None:
            self.disk_facts.pop(path, None)
            if old is not None:
                self.index.remove(module)
            self._violations_cache.pop(path, None)
            return old is not None
        self.disk_facts[path] = new
        if new.parsed or old is None:
            self.index.add(new)
        return facts_signature(old) != facts_signature(new)

    def disk_violations(self, path: str) -> list[Violation]:
        facts = self.disk_facts.get(path)
        if facts is None or not self.settings.enable:
            return []
        cached = self._violations_cache.get(path)
        if cached is not None and cached[0] == self.index.generation:
            return cached[1]
        violations = self.analyze_facts(facts)
        self._violations_cache[path] = (self.index.generation, violations)
        return violations

    def workspace_files(self) -> list[str]:
        """The indexed files this folder reports on: those under its scopes."""
        if not self.scopes:
            return sorted(self.disk_facts)
        return sorted(path for path in self.disk_facts if self.in_scope(path))

    def in_scope(self, path: str) -> bool:
        return not self.scopes or any(path == str(scope) or path.startswith(str(scope).rstrip(os.sep) + os.sep)
                                      for scope in self.scopes)

    def stale(self, result: ScanResult) -> list[StaleEntry]:
        """Runs in an executor thread: the configured entries the scanned workspace does not contain
        (none when the built-in profile applies to nothing here)."""
        config = self.folder_config
        modules = dict(result.index.known_modules) if result.index is not None else {}
        if config.is_default_profile and not profile_applies(config, set(modules)):
            return []
        return stale_entries(config, configuration_index(modules, self.settings.max_file_size_kb * 1024))


class Folders:
    """The workspace folders (by client URI: several URIs may share a folder, see the module
    docstring), and a loose folder per project root for files outside them."""

    def __init__(self, show_problem: Callable[[str], None]) -> None:
        self.by_uri: dict[str, Folder] = {}
        self.loose: dict[str, Folder] = {}
        self.show_problem = show_problem  # configuration/baseline problems of loose folders

    def workspace(self) -> list[Folder]:
        return list({id(folder): folder for folder in self.by_uri.values()}.values())

    def all(self) -> list[Folder]:
        return [*self.workspace(), *self.loose.values()]

    def add(self, folder: Folder) -> None:
        self.by_uri[folder.uri] = folder

    def with_root(self, root: Path, settings: Settings) -> Folder | None:
        """The workspace folder of this root, when it reads the same configuration file."""
        for folder in self.workspace():
            if folder.root == root and folder.settings.config_file == settings.config_file:
                return folder
        return None

    def join(self, uri: str, folder: Folder, scope: Path) -> None:
        """Client folder ``uri`` (at ``scope``) resolves to ``folder``'s root: it shares the folder."""
        self.by_uri[uri] = folder
        if folder.scopes and scope != folder.root:
            folder.scopes = (*folder.scopes, scope)
        else:
            folder.scopes = ()  # a client folder at the root: the folder reports on all of it

    def remove(self, uri: str) -> Folder | None:
        """Forget client folder ``uri``; returns its folder when no other client folder shares it."""
        folder = self.by_uri.pop(uri, None)
        if folder is None:
            return None
        if any(other is folder for other in self.by_uri.values()):
            folder.scopes = tuple(_scope_of(u, folder) for u, other in self.by_uri.items() if other is folder)
            if folder.root in folder.scopes:
                folder.scopes = ()
            return None
        return folder

    def workspace_folder_for(self, path: str) -> Folder | None:
        """The workspace folder with the innermost root containing ``path``."""
        best = None
        for folder in self.workspace():
            if folder.contains(path) and (best is None or len(folder.root.parts) > len(best.root.parts)):
                best = folder
        return best

    def folder_for(self, path: str, settings: Settings) -> Folder:
        """The workspace folder of ``path``, else the loose folder of its workspace root (created
        with ``settings`` on first use; it is never scanned)."""
        folder = self.workspace_folder_for(path)
        if folder is not None:
            return folder
        root = resolve_root(Path(path), Path(path).parent).root
        key = str(root)
        folder = self.loose.get(key)
        if folder is None:
            folder = Folder(uri=from_fs_path(key) or Path(key).as_uri(), root=root, settings=settings, scannable=False)
            message = folder.load_config()
            for text in (message, folder.baseline_message):
                if text:
                    self.show_problem(text)
            folder.indexed = True
            folder.index_ready.set()
            self.loose[key] = folder
        return folder


def _scope_of(uri: str, folder: Folder) -> Path:
    path = uri_to_path(uri)
    return Path(path).resolve() if path else folder.root
