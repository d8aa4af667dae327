"""The findings of the last whole-workspace `check`, given again while nothing they depend on changed.

A warm `check` of an unchanged tree used to load every file's facts from the facts cache and run
every rule over them again: five times ruff's warm run, which answers an unchanged tree from its
cache. This keeps the final result of a run — the findings, the unreadable files, the stale
configuration entries — under a key of everything it depends on:

- the tool: its version, and the size and mtime of every module of the package (a development
  checkout that changes a rule changes the findings without a version bump);
- the Python version (which syntax parses), the prefilter switch, the largest file analysed;
- the configuration, every field of it and where each came from (stale entries quote their origin);
- the workspace's files (``Tree``): the list the walk gives, in order (a file added, removed,
  renamed or newly git-ignored changes it), and each file's size, mtime and ctime (its content, as
  the facts cache trusts it too, and its permissions: a file unreadable last time may be readable now).

One ``stat`` per file remains, and one per directory: the walk itself is reused while no directory
it listed and no .gitignore it read changed (``files.WalkRecord``). Three kinds of file per
configuration, all named ``findings-<version>-f<format>-<key>``, replaced by each full run:

- ``.tree``: the ``Tree`` of the last full run, read first by every warm run (``_tree_bytes``), not
  a pickle of the findings: validating the tree must not cost unpickling every finding (and
  importing every rule module whose payloads they hold);
- ``.pickle``: the findings, for a warm run that must render them (another format);
- ``.out-<variant>``: what was derived from the findings for one variant of a command (the
  CLI's rendered report, ``cli/replay.py``), so the commonest warm run renders nothing.

Each holds the digest of the tree it was made for. They live in the workspace, which may not be
trusted: unpickling builds only our result types, JSON only plain values, and anything unreadable
or of the wrong shape is a miss.
"""

from __future__ import annotations

import json
import os
import sys
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ssot_lsp import __version__
from ssot_lsp.config.model import Config
from ssot_lsp.core.atomic import write_atomic
from ssot_lsp.core.files import Stamp, WalkRecord

try:  # not through hashlib, which loads OpenSSL: a warm run imports only what it needs
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without the builtin module
    from hashlib import blake2b

if TYPE_CHECKING:
    import pickle

    from ssot_lsp.core.files import WorkspaceFiles

FINDINGS_FORMAT = 4  # bump when what ``CachedFindings``, the tree file or an output file holds changes shape
PREFIX = "findings-"
OUTPUTS_KEPT = 8  # variants of a command (formats, options, directories, baselines) kept per configuration

# the result types a finding is made of; payloads (one class per kind of finding) are checked by base class
_ALLOWED_GLOBALS = {
    ("ssot_lsp.core.findings_cache", "CachedFindings"), ("ssot_lsp.core.violations", "Violation"),
    ("ssot_lsp.core.violations", "Related"), ("ssot_lsp.core.violations", "FileError"),
    ("ssot_lsp.core.text", "Span"), ("ssot_lsp.core.stale", "StaleEntry"), ("ssot_lsp.config.model", "Origin"),
    ("ssot_lsp.config.model", "ContextArg"), ("ssot_lsp.config.model", "FactorySpec"), ("builtins", "frozenset"), ("builtins", "set"),
}


@dataclass
class CachedFindings:
    """What a `check` reports of a whole-workspace scan, without the index it was computed from."""

    violations: list[Any]  # Violation
    errors: list[Any]  # FileError
    files_total: int
    files_analysed: int
    skipped_large: list[str]
    stale: list[Any]  # StaleEntry: what ``OpenedWorkspace.stale`` gave
    profile_missing: bool


@dataclass
class Tree:
    """The workspace's files as a walk of the root gives them, and each one's stamp."""

    walked: list[str]
    record: WalkRecord  # what the walk looked at: while it is unchanged, the walk gives ``walked`` again
    stamps: Sequence[int]  # size, mtime_ns and ctime_ns of each walked file, flat (-1, -1, -1: no stat)
    known_digest: str | None = None  # stored with the walk and stamps it was computed from
    stored: bool = False  # what the tree file holds

    def digest(self) -> str:
        """What the stored findings and outputs name as the tree they were made for."""
        if self.known_digest is None:
            data = "\0".join(self.walked).encode("utf-8", "surrogatepass") + b"\n" + array("q", self.stamps).tobytes()
            self.known_digest = blake2b(data, digest_size=16).hexdigest()
        return self.known_digest


def file_stamps(paths: Sequence[str]) -> array[int]:
    """Size, mtime and ctime of each file, flat: one ``stat`` each and no object per file (a warm
    run's largest cost on a large tree); a file made readable again keeps its mtime but not its ctime."""
    stamps: list[int] = []
    add = stamps.extend
    stat = os.stat
    for path in paths:
        try:
            info = stat(path)
        except OSError:
            add((-1, -1, -1))
            continue
        add((info.st_size, info.st_mtime_ns, info.st_ctime_ns))
    return array("q", stamps)


def _ResultUnpickler() -> type[pickle.Unpickler]:  # noqa: N802 - it gives a class
    """The unpickler of stored findings, which builds our result types only (a class made when
    needed: importing pickle is left to the runs that unpickle)."""
    import pickle

    class ResultUnpickler(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            return _find_result_type(self, module, name)

    return ResultUnpickler


def _find_result_type(unpickler: pickle.Unpickler, module: str, name: str) -> Any:
    """``find_class`` of the unpickler of stored findings: our result types only."""
    import pickle

    if (module, name) in _ALLOWED_GLOBALS:
        return pickle.Unpickler.find_class(unpickler, module, name)
    if module.startswith("ssot_lsp.core.") and name.isidentifier():
        from ssot_lsp.core.payload import Payload

        found = pickle.Unpickler.find_class(unpickler, module, name)
        if isinstance(found, type) and issubclass(found, Payload):
            return found
    raise pickle.UnpicklingError(f"cache refers to {module}.{name}, which is not a result type")


class FindingsCache:
    def __init__(self, directory: Path, key: str) -> None:
        self.dir = directory
        self.stem = f"{PREFIX}{__version__}-f{FINDINGS_FORMAT}-{key}"
        self.file = directory / f"{self.stem}.pickle"
        self.tree_file = directory / f"{self.stem}.tree"

    @classmethod
    def for_workspace(cls, config: Config, source_roots: list[Path], max_bytes: int, prefilter: bool,
                      directory: Path) -> FindingsCache:
        basis = repr((FINDINGS_FORMAT, sys.version_info[:2], config, sorted(config.origins.items()),
                      [str(root) for root in source_roots], max_bytes, prefilter, package_digest()))
        return cls(directory, blake2b(basis.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest())

    def current_tree(self, files: WorkspaceFiles) -> Tree:
        """The workspace's files now: the stored walk while nothing it looked at changed (else a new
        walk), each file stamped again."""
        stored = None if self.dir.is_symlink() else read_tree(self.tree_file, str(files.root.resolve()))
        if stored is not None and stored.record.unchanged():
            stamps = file_stamps(stored.walked)
            return stored if stamps == stored.stamps else Tree(stored.walked, stored.record, stamps)
        walked, record = files.discover_recorded()
        return Tree(walked, record, file_stamps(walked))

    def keep_tree(self, tree: Tree) -> None:
        """Store ``tree`` when the tree file does not hold it (answered from the findings or a report
        of the same tree after the file was lost: the next run need not walk again)."""
        if tree.stored:
            return
        try:
            if self.dir.is_symlink() or not self.dir.is_dir():
                return
            write_atomic(self.tree_file, _tree_bytes(tree), mode=0o600)
            tree.stored = True
        except (OSError, ValueError):
            pass

    def load(self) -> tuple[str, CachedFindings] | None:
        """The stored findings and the tree digest (``Tree.digest``) they are valid for, or None."""
        if self.dir.is_symlink():
            return None
        return read_stored(self.file)

    def save(self, tree: Tree, findings: CachedFindings) -> None:
        """Replace the stored findings and tree (the directory exists: the facts cache was saved
        into it), and drop the files of configurations the facts cache no longer keeps."""
        import pickle

        try:
            if self.dir.is_symlink() or not self.dir.is_dir():
                return
            write_atomic(self.file, pickle.dumps((tree.digest(), findings), protocol=pickle.HIGHEST_PROTOCOL),
                         mode=0o600)
            tree.stored = False
            self.keep_tree(tree)
            _prune_derived(self.dir)
        except (OSError, pickle.PicklingError):
            pass

    def output_file(self, variant: str) -> Path:
        return self.dir / f"{self.stem}.out-{variant}"

    def load_output(self, variant: str, tree: Tree) -> tuple[dict[str, Any], str] | None:
        """What ``save_output`` stored for ``variant`` (its header and text), if made for this tree."""
        if self.dir.is_symlink():
            return None
        try:
            data = self.output_file(variant).read_bytes()
            end = data.index(b"\n")
            header = json.loads(data[:end])
            if not isinstance(header, dict) or header.get("tree") != tree.digest() \
                    or header.get("bytes") != len(data) - end - 1:
                return None
            return header, data[end + 1:].decode("utf-8", "surrogatepass")
        except (OSError, ValueError, RecursionError):
            return None

    def save_output(self, variant: str, tree: Tree, header: dict[str, Any], text: str) -> None:
        """Keep ``header`` (plain JSON values) and ``text`` for the next run of ``variant`` on this
        tree: one line of JSON, then the text as it is (a report of a megabyte is not escaped into
        JSON and parsed back on every run). The ``OUTPUTS_KEPT`` most recent variants are kept."""
        try:
            if self.dir.is_symlink() or not self.dir.is_dir():
                return
            body = text.encode("utf-8", "surrogatepass")
            write_atomic(self.output_file(variant),
                         _json_bytes({**header, "tree": tree.digest(), "bytes": len(body)}) + b"\n" + body, mode=0o600)
            outputs = sorted(self.dir.glob(f"{self.stem}.out-*"), key=_mtime, reverse=True)
            for old in outputs[OUTPUTS_KEPT:]:
                old.unlink()
        except (OSError, ValueError):
            pass


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _json_bytes(value: object) -> bytes:
    """ASCII JSON: any string (a path with undecodable bytes holds lone surrogates) comes back the
    same, and reading it back needs no decoding step."""
    return json.dumps(value, separators=(",", ":")).encode("ascii")


def _tree_bytes(tree: Tree) -> bytes:
    """One line of JSON (the digest, the walk record, the counts), then the walked paths joined by
    NUL and the stamps as 64-bit integers: reading 10^4 paths and 3 x 10^4 nanosecond stamps back
    from JSON took longer than stamping the files (parsing long integers is slow)."""
    paths = "\0".join(tree.walked).encode("utf-8", "surrogatepass")
    record = tree.record
    header = {"digest": tree.digest(), "directories": record.directories, "gitignores": record.gitignores,
              "files": len(tree.walked), "paths": len(paths), "byteorder": sys.byteorder}
    return _json_bytes(header) + b"\n" + paths + array("q", tree.stamps).tobytes()


def read_tree(file: Path, top: str) -> Tree | None:
    """The tree stored in ``file``, if it is one of the walk of ``top`` (the file is not trusted to
    name paths outside the workspace, nor to hold the right types); else None."""
    root = top.rstrip(os.sep) + os.sep
    try:
        data = file.read_bytes()
        end = data.index(b"\n")
        header = json.loads(data[:end])
        count, size, digest = header["files"], header["paths"], header["digest"]
        if not (type(count) is int and type(size) is int and isinstance(digest, str) and count >= 0 and size >= 0
                and header["byteorder"] == sys.byteorder):
            return None
        walked = data[end + 1:end + 1 + size].decode("utf-8", "surrogatepass").split("\0") if count else []
        stamps = array("q")
        stamps.frombytes(data[end + 1 + size:])
        # C loops over the ~10^4 entries
        if len(walked) != count or len(stamps) != 3 * count or not all(map(str.startswith, walked, repeat(root))):
            return None
        record = WalkRecord(_stamps(header["directories"]), _stamps(header["gitignores"]))
    except (OSError, ValueError, RecursionError, TypeError, KeyError):
        return None
    if not record.directories or record.directories[0][0] != top:
        return None
    return Tree(walked, record, stamps, digest, stored=True)


def _stamps(value: object) -> list[Stamp]:
    if not isinstance(value, list):
        return []
    stamps = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str)
                and type(item[1]) is int and type(item[2]) is int):
            return []
        stamps.append((item[0], item[1], item[2]))
    return stamps


def _prune_derived(directory: Path) -> None:
    """Tree and output files whose findings file is gone (the facts cache prunes those): another
    version, or a configuration no longer kept."""
    kept = tuple(p.name.removesuffix("pickle") for p in directory.glob(f"{PREFIX}*.pickle"))
    for path in directory.glob(f"{PREFIX}*"):
        if not path.name.endswith(".pickle") and not path.name.startswith(kept) and not path.is_symlink():
            try:
                path.unlink()
            except OSError:
                pass


def read_stored(file: Path) -> tuple[str, CachedFindings] | None:
    """(tree digest, findings) as stored in ``file``; None for anything else or unreadable."""
    import pickle  # here: a warm run answered from its stored report never unpickles

    try:
        with open(file, "rb") as handle:
            stored = _ResultUnpickler()(handle).load()
    except (OSError, EOFError, pickle.UnpicklingError, KeyError, TypeError, AttributeError, ValueError,
            ImportError, IndexError, MemoryError, RecursionError):
        return None
    if isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[0], str) \
            and isinstance(stored[1], CachedFindings):
        return stored
    return None


_PACKAGE_DIGEST: list[str] = []


def package_digest() -> str:
    """``sources_digest`` of the ssot_lsp package, once per process: code that changes without a
    version bump (a checkout being developed) must not be answered with the findings of the code before."""
    if not _PACKAGE_DIGEST:
        _PACKAGE_DIGEST.append(sources_digest(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    return _PACKAGE_DIGEST[0]


def sources_digest(package: str) -> str:
    """Size and mtime of every module and data file under ``package`` (a few hundred ``stat`` calls)."""
    parts = []
    for directory, dirnames, filenames in os.walk(package):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".py", ".toml", ".json")):
                try:
                    info = os.stat(os.path.join(directory, name))
                except OSError:
                    continue
                parts.append(f"{directory}/{name}\0{info.st_size}\0{info.st_mtime_ns}")
    return blake2b("\n".join(parts).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
