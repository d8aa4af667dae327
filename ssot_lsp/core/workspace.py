"""A workspace on disk: which files, which module names, and a fast, sound scan of all of them.

Scanning reads bytes, skips files that contain none of the prefilter needles, extracts facts from
the rest (in worker processes for large trees), then widens the needles with every name the
index found bound to a group's symbols and rescans skipped files until nothing new appears.
Modules the prefilter skipped are still loaded on demand when resolution reaches them.
"""

from __future__ import annotations

import os
import re
import stat as stat_module
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ssot_lsp.config.model import Config
from ssot_lsp.config.regex_safety import required_literals
from ssot_lsp.core.classify import Classifier, Duplicate
from ssot_lsp.core.engine import analyze
from ssot_lsp.core.facts import FileFacts, extract_facts
from ssot_lsp.core.globs import matches_any
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.text import UndecodableSource, decode_source
from ssot_lsp.core.violations import FileError, Violation
from ssot_lsp.core.wordsearch import word_matcher

ALWAYS_SKIPPED_DIRS = {".git", "__pycache__", "node_modules", ".ssot-cache", ".hg", ".svn", ".tox", ".nox",
                       ".mypy_cache", ".ruff_cache", ".pytest_cache"}
PARALLEL_THRESHOLD = 400


@dataclass
class ScanResult:
    violations: list[Violation] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    files_total: int = 0
    files_analysed: int = 0
    index: WorkspaceIndex | None = None
    facts: dict[str, FileFacts] = field(default_factory=dict)
    skipped_large: list[str] = field(default_factory=list)


class Workspace:
    def __init__(self, config: Config, max_file_size_kb: int | None = None) -> None:
        self.config = config
        self.root = config.root
        self.max_bytes = (max_file_size_kb or config.max_file_size_kb) * 1024
        roots = [self.root / r for r in config.source_roots] if config.source_roots else [self.root]
        if not config.source_roots and (self.root / "src").is_dir():
            roots.append(self.root / "src")
        self.source_roots = sorted({r.resolve() for r in roots}, key=lambda p: len(p.parts), reverse=True)
        self._root_prefixes = [str(root).rstrip(os.sep) + os.sep for root in self.source_roots]

    # -- files and modules -------------------------------------------------------------------
    def relpath(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError, RuntimeError):  # outside the root, or a symlink loop
            return path.as_posix()

    def module_name(self, path: Path) -> tuple[str, bool]:
        text = str(path if path.is_absolute() else path.absolute())
        return self._module_name_of(text) or self._module_name_outside(path, text)

    def _module_name_of(self, text: str) -> tuple[str, bool] | None:
        """The module of an absolute path string under a source root (None when under none)."""
        for root in self._root_prefixes:
            if not text.startswith(root):
                continue
            parts = text[len(root):].split(os.sep)
            if not parts or not parts[-1]:
                break
            parts[-1] = parts[-1].rsplit(".", 1)[0]
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            return ".".join(parts), is_package
        return None

    def _module_name_outside(self, path: Path, text: str) -> tuple[str, bool]:
        if text != str(path.resolve()):
            return self.module_name(path.resolve())
        return path.stem, path.stem == "__init__"


    def is_included(self, relpath: str) -> bool:
        config = self.config
        return matches_any(relpath, config.include) and not matches_any(relpath, config.exclude)

    def discover(self, paths: Iterable[Path] | None = None, errors: list[FileError] | None = None) -> list[Path]:
        """Python files under ``paths`` (default: the root), honouring include/exclude and .gitignore."""
        return [Path(path) for path in self.discover_files(paths, errors)]

    def discover_files(self, paths: Iterable[Path] | None = None, errors: list[FileError] | None = None) -> list[str]:
        """``discover`` as absolute path strings.

        Works on strings throughout: resolving every file costs a system call per path component,
        which was most of the time of a warm run on a large tree, and building a Path per file
        was 40 % of what remained.
        """
        found: list[str] = []
        seen_dirs: set[tuple[int, int]] = set()
        root_prefix = str(self.root).rstrip(os.sep) + os.sep
        gitignore = self.config.respect_gitignore
        for start in paths or [self.root]:
            start = Path(start)
            if start.is_file():
                found.append(str(start.absolute()))
                continue
            if not start.is_dir():
                if errors is not None:
                    errors.append(FileError(str(start), "no such file or directory"))
                continue
            top = str(start.resolve())
            top_specs: list[tuple[str, object]] = self._gitignores_above(Path(top)) if gitignore else []
            specs_by_dir: dict[str, list] = {}
            for directory, dirnames, filenames in os.walk(top, followlinks=False):
                try:
                    info = os.stat(directory)
                except OSError:
                    dirnames[:] = []
                    continue
                key = (info.st_dev, info.st_ino)
                if key in seen_dirs:
                    dirnames[:] = []
                    continue
                seen_dirs.add(key)
                local = specs_by_dir.pop(directory, top_specs)
                if gitignore and ".gitignore" in filenames:
                    spec = _load_gitignore(Path(directory) / ".gitignore")
                    if spec is not None:
                        local = [*local, (directory.rstrip(os.sep) + os.sep, spec)]
                rel_dir = (directory + os.sep)[len(root_prefix):] if (directory + os.sep).startswith(root_prefix) else None
                kept = []
                for d in sorted(dirnames):
                    if d in ALWAYS_SKIPPED_DIRS:
                        continue
                    full = os.path.join(directory, d)
                    if self._ignored(full, None if rel_dir is None else rel_dir + d, local, True):
                        continue
                    kept.append(d)
                    specs_by_dir[full] = local
                dirnames[:] = kept
                for name in sorted(filenames):
                    if not name.endswith((".py", ".pyi")):
                        continue
                    full = os.path.join(directory, name)
                    rel = name if rel_dir == "" else (rel_dir + name if rel_dir is not None else None)
                    if rel is not None and not self.is_included(rel):
                        continue
                    if self._ignored(full, rel, local, False):
                        continue
                    found.append(full)
        return found

    def _gitignores_above(self, start: Path) -> list[tuple[str, object]]:
        specs = []
        for directory in [start, *start.parents]:
            if directory != start:
                spec = _load_gitignore(directory / ".gitignore")
                if spec is not None:
                    specs.append((str(directory).rstrip(os.sep) + os.sep, spec))
            if (directory / ".git").exists() or directory == self.root:
                break
        return specs

    def _ignored(self, full: str, rel: str | None, specs, is_dir: bool) -> bool:
        exclude = self.config.exclude
        if rel is not None and exclude and (matches_any(rel, exclude) or (is_dir and matches_any(rel + "/", exclude))):
            return True
        for base, spec in specs:
            if not full.startswith(base):
                continue
            if spec.match_file(full[len(base):].replace(os.sep, "/") + ("/" if is_dir else "")):
                return True
        return False

    def whole_modules(self) -> frozenset[str]:
        """Modules a group names: every definition in them matters, so they are parsed whole."""
        names: set[str] = set()
        for group in self.config.groups:
            names.add(group.canonical_module)
            names.update(group.factory_modules)
            names.update(group.legacy_modules)
            names.update(symbol.partition(":")[0] for symbol in group.legacy_symbols)
        return frozenset(names)

    # -- prefilter ---------------------------------------------------------------------------
    def base_needles(self) -> set[str] | None:
        """Literals one of which every violating file must contain; None disables the prefilter."""
        needles: set[str] = set()
        for group in self.config.groups:
            needles.add(group.canonical_name)
            needles.update(m.rpartition(".")[2] for m in group.legacy_modules)
            needles.update(s.rpartition(":")[2].rpartition(".")[2] for s in group.legacy_symbols)
            needles.update(group.compat_constructors)
            needles.update(group.needles)
            for pattern in (group.class_pattern, group.method_pattern):
                if pattern is not None:
                    literals = required_literals(pattern)
                    if literals is None and not group.needles:
                        return None
                    needles.update(literals or ())
        # suppression comments (`# ssot: ...`, `# SSOT: ...`, `# noqa: SSOT001`) must be seen to be reported unused
        needles.update(("ssot", "SSOT", "Ssot"))
        return reduce_needles(needles)

    # -- scanning ----------------------------------------------------------------------------
    def scan(self, paths: Iterable[Path] | None = None, jobs: int | None = None, cache=None,
             progress: Callable[[int, int], None] | None = None, prefilter: bool = True,
             severity_overrides: dict[str, str] | None = None) -> ScanResult:
        result = ScanResult()
        all_files = self.discover_files(None, result.errors)
        requested = None
        if paths:
            requested = {p.resolve() for p in self.discover(paths, result.errors)}
        modules: dict[str, str] = {}
        module_of: dict[str, tuple[str, bool]] = {}
        for path in all_files:
            module, is_package = self._module_name_of(path) or self.module_name(Path(path))
            module_of[path] = (module, is_package)
            modules.setdefault(module, path)
        if requested:
            for path in requested:
                if str(path) not in module_of:
                    module_of[str(path)] = self.module_name(path)
        result.files_total = len(module_of) if requested is None else len(requested)

        needles = self.base_needles() if prefilter else None
        if needles is not None and cache is not None and cache.needles:
            # names discovered by the last run: more needles only ever analyse more, so starting
            # from them is sound, and an unchanged workspace then needs a single round
            needles = reduce_needles(needles | set(cache.needles))
        search = needles
        loaded: dict[str, FileFacts] = {}
        skipped: dict[str, str] = {}  # path -> its import lines (``import_lines``)
        pending = list(module_of)
        jobs = jobs or os.cpu_count() or 1
        done = 0
        first_round = True
        settled: set[tuple[str, str]] = set()  # see _discovered_needles
        while pending:
            hits_before = cache.hits if cache is not None else 0
            outcomes = _run_batch(pending, module_of, search, needles, self.max_bytes, jobs, cache,
                                  self.whole_modules())
            # nothing read afresh: the analysed files are exactly those of the run that recorded
            # these needles, so a discovery round could not find a new name
            unchanged = (first_round and cache is not None and bool(cache.needles)
                         and cache.hits - hits_before == len(pending))
            first_round = False
            pending = []
            for path, outcome in outcomes:
                done += 1
                if progress:
                    progress(done, len(module_of))
                if isinstance(outcome, FileError):
                    if outcome.message.startswith("skipped: larger"):
                        result.skipped_large.append(path)
                    result.errors.append(outcome)
                elif isinstance(outcome, str):
                    skipped[path] = outcome
                else:
                    loaded[path] = outcome
            if needles is None or unchanged:
                break
            index = self._index(loaded, modules, module_of)
            discovered, importers = _discovered_needles(index, Classifier(self.config, index), loaded.values(),
                                                        settled)
            new = reduce_needles({n for n in discovered - needles if not any(old in n for old in needles)})
            if not new:
                break
            needles |= new
            search = new  # skipped files already lack every older needle
            # a file can only use a new name by importing it, or the module that binds it
            keys = {n[len(WORD):] for n in new if n.startswith(WORD)}
            keys |= {tail for n in keys for tail in importers.get(n, ())}
            plain_new = [n for n in new if not n.startswith(WORD)]
            # (``skipped`` holds each file's import lines, ``import_lines``)
            imports_one_of = word_matcher(keys)
            pending = sorted(p for p, lines in skipped.items() if plain_new or imports_one_of(lines))
            for path in pending:
                del skipped[path]
            done -= len(pending)
            # files parsed only in part, for fewer needles, whose imports reach the new names:
            # the statements using those names were not selected, so parse them again
            stale = sorted(p for p, f in loaded.items() if f.partial_needles is not None
                           and (plain_new or not f.import_words.isdisjoint(keys)))
            if stale:
                reparsed = {module_of[path][0] for path in stale}
                settled = {key for key in settled if key[0] not in reparsed}
                for path, outcome in _run_batch(stale, module_of, None, needles, self.max_bytes, jobs, cache,
                                                self.whole_modules()):
                    if isinstance(outcome, FileFacts):
                        loaded[path] = outcome
                    else:
                        loaded.pop(path, None)
        if needles is not None:
            # every partial parse is now valid for the final needles: files whose imports reached
            # a later round's names were parsed again above
            final = frozenset(needles)
            for facts in loaded.values():
                if facts.partial_needles is not None and facts.partial_needles != final:
                    facts.partial_needles = final
                    if cache is not None:
                        cache.dirty = True
        if cache is not None:
            cache.record_needles(needles, skipped)
        index = self._index(loaded, modules, module_of)
        classifier = Classifier(self.config, index)
        for path, facts in loaded.items():
            if requested is not None and Path(path).resolve() not in requested:
                continue
            result.violations.extend(analyze(facts, index, self.config, classifier, severity_overrides))
        result.violations.sort(key=Violation.sort_key)
        result.files_analysed = len(loaded)
        result.index = index
        result.facts = loaded
        return result

    def _index(self, loaded: dict[str, FileFacts], modules: dict[str, str], module_of) -> WorkspaceIndex:
        """An index over the analysed files only.

        No lazy loading: by the prefilter's induction (see ``_discovered_needles``) a module the
        prefilter skipped cannot bind a name to a group symbol, so resolution never needs it;
        loading it anyway would parse every module any analysed file imports.
        """
        index = WorkspaceIndex(known_modules=modules)
        for facts in loaded.values():
            if facts.module in modules and modules[facts.module] != facts.path:
                continue  # a shadowed duplicate module (e.g. both root and src/): first wins
            index.facts_by_module[facts.module] = facts
        return index


def reduce_needles(needles: set[str]) -> set[str]:
    """Drop needles made redundant by another: a file holding the longer one holds the shorter too.

    Word needles (discovered names, marked with ``WORD``) match whole identifiers only, so a plain
    needle inside one makes it redundant, but a word needle never makes anything else redundant.
    """
    plain = sorted((n for n in needles if not n.startswith(WORD)), key=len)
    kept: list[str] = []
    for needle in plain:
        if not any(shorter in needle for shorter in kept):
            kept.append(needle)
    words = {n for n in needles if n.startswith(WORD) and not any(p in n[len(WORD):] for p in kept)}
    return set(kept) | words


def _discovered_needles(index: WorkspaceIndex, classifier: Classifier, all_facts,
                        settled: set[tuple[str, str]] | None = None):
    """Names that can reach a group symbol without spelling any configured needle.

    Sound because a file that uses a legacy symbol must name it: either by a configured needle
    (its class name or its module's name), or through a name some non-legacy module binds to it
    (re-export, alias, star import) — those names are collected here — or through a subclass
    discovered as a duplicate, whose class name is collected too. Names bound inside legacy
    modules are reached through the legacy module's own name, already a needle.

    Returns the needles and, per name, the last components of the modules binding it: a file
    can only use the name by importing it or one of those modules.

    ``settled`` (kept across the rounds of one scan) collects the (module, name) imports whose
    resolution stopped at a module outside the analysed files without reaching a group: later
    rounds only add files, so such an import resolves the same way until its source module is
    analysed — the rounds skip it until then (a file parsed again must drop its entries).
    """
    names: set[str] = set()
    importers: dict[str, set[str]] = {}
    for facts in all_facts:
        tail = facts.module.rpartition(".")[2]
        if classifier.legacy_module_group(facts.module) is None:
            for name, (kind, payload) in facts.bindings.items():
                # a class, def or plain value binds itself; only the listed ones (already
                # configured needles) have a role, so only imports and aliases need resolving
                if name.startswith("__") or kind not in ("import", "alias"):
                    continue
                key = (facts.module, name)
                if settled is not None and key in settled and _stops_outside(index, kind, payload):
                    continue
                ref = index.resolve_name(facts.module, name)
                if classifier.role(ref) is not None:
                    names.add(WORD + name)
                    importers.setdefault(name, set()).add(tail)
                elif settled is not None and _stops_outside(index, kind, payload):
                    settled.add(key)
        for cls in facts.classes:
            if any(d.kind in (Duplicate.DEFINITION, Duplicate.NAME) for d in classifier.discover(facts.module, cls)):
                names.add(WORD + cls.name)
                importers.setdefault(cls.name, set()).add(tail)
    return names, importers


def _stops_outside(index: WorkspaceIndex, kind: str, payload) -> bool:
    """An import whose resolution does not look at any analysed file: ``import a.b`` (the module
    itself), or a from-import out of a module that is not analysed."""
    if kind != "import":
        return False
    _, source, imported = payload
    return imported is None or index.get(source) is None


# -- reading files (also runs in worker processes) ---------------------------------------------

def read_facts(path: Path, module: str, is_package: bool, max_bytes: int,
               needles: set[str] | None = None, checked: set[str] | None = None,
               whole_modules: frozenset[str] = frozenset()) -> tuple[tuple | None, FileFacts | FileError | None]:
    """(meta, facts | error | the import words (a str) when the prefilter says the file cannot matter).

    ``meta`` is (size, mtime_ns, digest-or-None) for the cache; the digest is only computed for
    files that were analysed, where it costs little next to parsing.
    """
    try:
        info, data = _read_regular_file(os.fspath(path), max_bytes)
    except FileNotFoundError:
        return None, FileError(str(path), "vanished during the run")
    except PermissionError:
        return None, FileError(str(path), "permission denied")
    except OSError as exc:
        return None, FileError(str(path), f"cannot read: {exc.strerror or exc}")
    if data is None:
        if not stat_module.S_ISREG(info.st_mode):
            return None, FileError(str(path), "not a regular file")
        return None, FileError(str(path), f"skipped: larger than {max_bytes // 1024} KB")
    if needles is not None and not _mentions(data, needles) and not _STAR_IMPORT.search(data):
        # a skipped file is summarised by its import lines, one string (cheap to cache and load)
        return (info.st_size, info.st_mtime_ns, None), import_lines(data)
    meta = (info.st_size, info.st_mtime_ns, content_digest(data))
    try:
        text, _ = decode_source(data)
    except UndecodableSource as exc:
        return meta, FileError(str(path), str(exc))
    if checked is not None and module not in whole_modules:
        from ssot_lsp.core.partial.scan import partial_facts

        facts = partial_facts(text, str(path), module, is_package, checked)
        if facts is not None:
            facts.import_words = import_words(data)
            return meta, facts
    return meta, extract_facts(text, str(path), module, is_package)


def _read_regular_file(path: str, max_bytes: int):
    """(stat, content), or (stat, None) for something that is not a regular file or is too large.

    Raw ``os`` calls: this runs for every file of a workspace, and pathlib's stat + read_bytes cost
    three times as much. O_NONBLOCK so that opening a FIFO does not wait for a writer.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat_module.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return info, None
        data = os.read(fd, info.st_size + 1)
        if len(data) > info.st_size:  # grew since fstat: read to the end
            parts = [data]
            while part := os.read(fd, 1 << 20):
                parts.append(part)
            data = b"".join(parts)
        return info, data
    finally:
        os.close(fd)


def import_lines(data: bytes) -> str:
    """The lines of the file's import statements (parenthesised and backslash-continued imports
    followed to their end), one text: what decides, when a later round discovers new names, whether
    a skipped file could use them.

    Over-inclusive on purpose (a line mentioning "import" in a string counts too). Kept as text and
    searched only when a round needs it: splitting every skipped file into words up front cost
    twice as much.
    """
    parts = []
    size = len(data)
    position = data.find(b"import")
    while position >= 0:
        start = data.rfind(b"\n", 0, position) + 1
        end = data.find(b"\n", position)
        if end < 0:
            end = size
        if data.find(b"(", start, end) >= 0 and data.find(b")", start, end) < 0:
            close = data.find(b")", end)
            end = close if close >= 0 else size
        else:
            while end < size and data[start:end].rstrip(b"\r").endswith(b"\\"):
                following = data.find(b"\n", end + 1)
                end = following if following >= 0 else size
        parts.append(data[start:end])
        position = data.find(b"import", end)
    return b"\n".join(parts).decode("utf-8", "replace")


_IDENTIFIER = re.compile(r"[^\W\d]\w*")


def import_words(data: bytes) -> frozenset[str]:
    """Every identifier in the file's import lines (see ``import_lines``)."""
    return frozenset(_IDENTIFIER.findall(import_lines(data)))


def content_digest(data: bytes) -> str:
    import hashlib

    return hashlib.blake2b(data, digest_size=16).hexdigest()


_ENCODED: dict[frozenset, tuple] = {}
WORD = "\\b"  # marks a needle that must match a whole identifier
_IDENT_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") | frozenset(range(128, 256))
# star imports bind names without spelling them, so such files always pass the prefilter
_STAR_IMPORT = re.compile(rb"import[ \t\\\r\n(]*\*")


def _mentions(data: bytes, needles: set[str]) -> bool:
    """Whether ``data`` holds a plain needle, or a word needle as a whole identifier."""
    plain_automaton, words_automaton, plain, words = _encoded(needles)
    if plain_automaton is not None:
        # non-overlapping, leftmost: lets the automaton skip ahead with its prefilter (3.5x faster
        # than reporting overlapping matches); any plain match answers the question
        if plain_automaton.find_matches_as_indexes(data):
            return True
        if words_automaton is None:
            return False
        # word needles are identifiers: an occurrence that is a whole identifier cannot overlap an
        # earlier-starting match (that one would contain the byte before the identifier) nor lose to
        # a longer one starting with it (that would contain the byte after), so leftmost-longest
        # non-overlapping matching still reports every whole-identifier occurrence
        size = len(data)
        for _, start, end in words_automaton.find_matches_as_indexes(data):
            if (start == 0 or data[start - 1] not in _IDENT_BYTES) and (end == size or data[end] not in _IDENT_BYTES):
                return True
        return False
    if any(n in data for n in plain):
        return True
    return any(literal in data and pattern.search(data) for literal, pattern in words)


def _encoded(needles: set[str]):
    """Needles compiled once per set: an Aho-Corasick automaton (ahocorasick-rs) for the plain needles
    and one for the word needles each scan a file in a single pass; without the package, one
    substring search per needle."""
    key = frozenset(needles)
    found = _ENCODED.get(key)
    if found is None:
        plain = tuple(sorted((n.encode() for n in needles if not n.startswith(WORD)), key=len))
        words = tuple((n[len(WORD):].encode(),
                       re.compile(rb"(?<![\w])" + re.escape(n[len(WORD):].encode()) + rb"(?![\w])"))
                      for n in sorted(needles) if n.startswith(WORD))
        try:
            import ahocorasick_rs

            plain_automaton = ahocorasick_rs.BytesAhoCorasick(
                plain, matchkind=ahocorasick_rs.MatchKind.LeftmostFirst)
            words_automaton = ahocorasick_rs.BytesAhoCorasick(
                [w for w, _ in words], matchkind=ahocorasick_rs.MatchKind.LeftmostLongest) if words else None
        except ImportError:  # pragma: no cover - the dependency is declared; keep working without it
            plain_automaton = words_automaton = None
        found = (plain_automaton, words_automaton, plain, words)
        _ENCODED.clear()
        _ENCODED[key] = found
    return found


def _worker(batch):
    needles, checked, whole_modules, max_bytes, items = batch
    out = []
    for path, module, is_package, _ in items:
        meta, outcome = read_facts(Path(path), module, is_package, max_bytes, needles, checked, whole_modules)
        out.append((path, outcome, meta))
    return out


def _run_batch(paths: list[str], module_of, needles, checked, max_bytes: int, jobs: int, cache,
               whole_modules: frozenset[str] = frozenset()):
    """Read and analyse ``paths``, searching for ``needles``; ``checked`` is every needle a skipped
    file is known to lack after this batch (what the cache records)."""
    items = []
    results = []
    for path in paths:
        module, is_package = module_of[path]
        if cache is not None:
            hit = cache.lookup(path, module, is_package, checked)
            if hit is not cache.MISS:
                results.append((path, hit))
                continue
        items.append((path, module, is_package, None))
    if len(items) < PARALLEL_THRESHOLD or jobs <= 1:
        fresh = _worker((needles, checked, whole_modules, max_bytes, items))
    else:
        # small batches: the last ones finish close together, so no worker idles at the end
        chunk = max(16, len(items) // (jobs * 32))
        batches = [(needles, checked, whole_modules, max_bytes, items[i:i + chunk])
                   for i in range(0, len(items), chunk)]
        fresh = []
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for part in pool.map(_worker, batches):
                fresh.extend(part)
    for path, outcome, meta in fresh:
        if cache is not None:
            cache.store(path, outcome, meta, checked)
        results.append((path, outcome))
    return results


def _load_gitignore(path: Path):
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    try:
        import pathspec
    except ImportError:  # pragma: no cover
        return None
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if not lines:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)
