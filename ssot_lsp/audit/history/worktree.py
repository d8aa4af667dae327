"""Blobs read from the working tree when a file there holds exactly the blob: as ``git diff`` does
(``reuse_worktree_file``), and for the same reason — inflating a blob at the end of a delta chain
costs git far more than reading the file (realistic history: ~90 µs of git CPU per blob against
~15 µs).

The candidates are the files the index lists with that blob id. A candidate is taken when its
content hashes to the id, as git hashes a blob (``blob <size>\\0<content>``, SHA-1 or SHA-256 by the
id's length), so a file edited since, converted at checkout (``autocrlf``, a filter) or replaced
mid-run is read from git instead. Content-addressed: what is read is the blob itself, whatever the
working tree holds. A bare repository, or no index, has no candidates.

Most candidates are taken without hashing (``Unhashed``; hashing was 0.1 s of CPU for the 11,000
files of a commit of the realistic history): the index holds, per file, the stat data of the file
whose content git hashed to the entry's id. A file whose stat, taken after reading it, is the
entry's (times to the nanosecond, inode, size, owner) holds the bytes git hashed — git's own test
(``ie_match_stat``), which ``git status`` and ``git diff`` trust, made stricter. Where it cannot
tell, the file is hashed:
- racy entries: a file changed less than ``RACY_MARGIN_NS`` before the index was written may have
  changed again within the same clock tick after git took its stat (git re-reads those too);
- conversions: git hashed what its checkout filters make of the file, not the file. The end-of-line
  conversion (``core.autocrlf``, the ``text``/``eol`` attributes) only adds or removes carriage
  returns: a file without one is its blob whatever the settings are or were at checkout. ``ident``,
  ``filter`` and ``working-tree-encoding`` need an attribute: while any attributes file may exist
  (a ``.gitattributes`` the index lists, or one in a directory holding a file read, the
  repository's ``info/attributes``, the user's or the system's; a configuration naming another,
  or including one) nothing is taken unhashed;
- an index this module does not read (version 4, a split index, SHA-256, a repository or index
  named by the environment): ``git ls-files`` lists it, and every candidate is hashed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import struct
import subprocess
import tempfile
from pathlib import Path

from ssot_lsp.audit.history.git import REGULAR_MODES, git_env


def indexed_blobs(top: Path) -> dict[str, str]:
    """``{absolute path: blob id}`` of the files the index lists (merged, regular files); empty
    when there is no index or git cannot list it."""
    return IndexListing(top).result()


class IndexListing:
    """``indexed_blobs``: the index read here when this module can read it (``read_index``), which
    also tells ``read_if_blob`` which files it may take unhashed; else listed by a ``git ls-files``
    started now and taken when the first blobs are read: the run's first commit is listed and named
    meanwhile (the listing was 25-40 ms of wall clock in which this process waited for git). Its
    output goes to an anonymous file: git never waits for this process to read."""

    def __init__(self, top: Path) -> None:
        self._top = top
        self._prefix = str(top).rstrip("/") + "/"
        self._found: dict[str, str] | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._git_dir = _readable_index(top)
        if self._git_dir is None:
            self._start()

    def _start(self) -> None:
        self._out = tempfile.TemporaryFile()  # noqa: SIM115 - open until ``result`` or ``close``: git writes to it
        try:
            self._process = subprocess.Popen(["git", "ls-files", "--stage", "-z"], cwd=self._top, stdout=self._out,
                                             stderr=subprocess.DEVNULL, env=git_env())
        except OSError:
            self._out.close()
            self._found = {}

    def result(self) -> dict[str, str]:
        global _UNHASHED
        if self._found is None and self._git_dir is not None:
            found = read_index(self._git_dir, self._prefix)
            if found is not None:
                self._found, _UNHASHED = found
                return self._found
            self._git_dir = None
            self._start()
        if self._found is None:
            assert self._process is not None
            code = self._process.wait()
            self._out.seek(0)
            data = self._out.read()
            self._out.close()
            self._found = _index_entries(data, self._prefix) if code == 0 else {}
            _UNHASHED = None
        return self._found

    def close(self) -> None:
        """Stop git if it still lists (the run ended before it read a blob)."""
        if self._found is None:
            if self._process is not None:
                if self._process.poll() is None:
                    self._process.kill()
                self._process.wait()
                self._out.close()
            self._found = {}


def _index_entries(listing: bytes, prefix: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for record in listing.decode("utf-8", "surrogateescape").split("\0"):
        meta, _, path = record.partition("\t")
        fields = meta.split()
        if len(fields) == 3 and fields[2] == "0" and fields[0] in REGULAR_MODES:
            found[prefix + path] = fields[1]
    return found


RACY_MARGIN_NS = 2_000_000_000  # a file changed this close to the index's writing is hashed (FAT: 2 s ticks)
_ENTRY = struct.Struct(">10L20sH")  # ctime s, ns, mtime s, ns, dev, inode, mode, uid, gid, size, id, flags
_HEAD = struct.Struct(">24xL12x20sH")  # mode, id, flags
_MODES = (0o100644, 0o100755)  # REGULAR_MODES
_EXTENDED, _STAGE, _LONG_NAME = 0x4000, 0x3000, 0xFFF
_MASK = 0xFFFFFFFF  # the index keeps the low 32 bits of an inode and a size
_ELSEWHERE = ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_CONFIG_PARAMETERS",
              "GIT_CONFIG_COUNT")  # the environment names another repository or index, or sets configuration
_MAY_NAME_ATTRIBUTES = (b"attributesfile", b"[include")  # in a configuration file: ``core.attributesFile``, includes


class Unhashed:
    """The index's entries, for ``read_if_blob`` to tell from a file's stat that it holds its entry's blob."""

    def __init__(self, top: str, data: bytes, at: dict[str, int], racy_from: int) -> None:
        self.top = top  # with a trailing "/"
        self.data = data  # the index itself (its entries unpacked when asked for)
        self.at = at  # absolute path -> where its entry starts in ``data``
        self.racy_from = racy_from  # entries changed at or after it (ns) are hashed
        self._dirs: dict[str, bool] = {top.rstrip("/"): not os.path.lexists(top + ".gitattributes")}

    def holds(self, path: str, oid: str, info: os.stat_result) -> bool:
        """Whether the file ``path``, whose stat after reading it is ``info``, holds the blob ``oid``
        unconverted (the caller checked it holds no carriage return)."""
        at = self.at.get(path)
        if at is None:
            return False
        cs, cns, ms, mns, _, inode, _, uid, gid, size, blob, _ = _ENTRY.unpack_from(self.data, at)
        mtime, ctime = ms * 1_000_000_000 + mns, cs * 1_000_000_000 + cns
        return (mtime == info.st_mtime_ns and ctime == info.st_ctime_ns and inode == info.st_ino & _MASK
                and size == info.st_size & _MASK and uid == info.st_uid and gid == info.st_gid
                and mtime < self.racy_from and ctime < self.racy_from and blob.hex() == oid
                and self._no_attributes(path[:path.rfind("/")]))

    def _no_attributes(self, directory: str) -> bool:
        """No ``.gitattributes`` in ``directory`` (absolute, under the top) nor above it, tracked or not."""
        found = self._dirs.get(directory)
        if found is None:
            found = self._no_attributes(directory[:directory.rfind("/")]) and not os.path.lexists(
                directory + "/.gitattributes")
            self._dirs[directory] = found
        return found


# the index read last in this process (``IndexListing``; forked children inherit it); None: hash every file
_UNHASHED: Unhashed | None = None


def _readable_index(top: Path) -> Path | None:
    """The git directory of the repository at ``top`` when its index is this module's to read."""
    if any(os.environ.get(name) for name in _ELSEWHERE):
        return None
    dot_git = top / ".git"
    try:
        if dot_git.is_file():  # a linked worktree or a submodule: "gitdir: <path>"
            text = dot_git.read_text("utf-8").strip()
            if not text.startswith("gitdir:"):
                return None
            return top / text[len("gitdir:"):].strip()
    except (OSError, UnicodeDecodeError):
        return None
    return dot_git if dot_git.is_dir() else None


def read_index(git_dir: Path, prefix: str) -> tuple[dict[str, str], Unhashed | None] | None:
    """``indexed_blobs`` from the index file itself, and what tells its files unhashed (None when an
    attributes file may convert them); None when this module cannot read it (see the module's docstring)."""
    try:
        with open(git_dir / "index", "rb") as file:
            written = os.fstat(file.fileno()).st_mtime_ns
            data = file.read()
        common = git_dir
        if (git_dir / "commondir").is_file():
            common = git_dir / (git_dir / "commondir").read_text("utf-8").strip()
        configs = [common / "config", git_dir / "config.worktree"]
        if any(_mentions(path, b"objectformat") for path in configs):  # SHA-256: entries of another size
            return None
        parsed = _entries(data, prefix)
    except (OSError, UnicodeDecodeError, ValueError, struct.error):
        return None
    if parsed is None:
        return None
    indexed, at = parsed
    if b".gitattributes" in data or _attributes_elsewhere(common, configs):
        return indexed, None
    return indexed, Unhashed(prefix, data, at, written - RACY_MARGIN_NS)


def _entries(data: bytes, prefix: str) -> tuple[dict[str, str], dict[str, int]] | None:
    """The merged regular files of an index of version 2 or 3: ``{absolute path: blob}`` and where
    each one's entry starts; None for another version or a split index (most entries elsewhere)."""
    signature, version, count = struct.unpack_from(">4sLL", data)
    if signature != b"DIRC" or version not in (2, 3):
        return None
    indexed: dict[str, str] = {}
    at: dict[str, int] = {}
    head, position = _HEAD.unpack_from, 12
    for _ in range(count):
        mode, blob, flags = head(data, position)
        start = position + 62 + (2 if flags & _EXTENDED else 0)  # (v3: intent-to-add, skip-worktree)
        end = data.index(b"\0", start) if flags & _LONG_NAME == _LONG_NAME else start + (flags & _LONG_NAME)
        if mode in _MODES and not flags & _STAGE:
            path = prefix + data[start:end].decode("utf-8", "surrogateescape")
            indexed[path] = blob.hex()
            if not flags & _EXTENDED:  # an entry with v3 flags is hashed
                at[path] = position
        position += (end - position + 8) & ~7  # NUL-padded to a multiple of 8
    while position + 8 <= len(data) - 20:  # the extensions, before the checksum
        if data[position:position + 4] == b"link":
            return None
        position += 8 + int.from_bytes(data[position + 4:position + 8], "big")
    return indexed, at


def _mentions(path: Path, word: bytes) -> bool:
    try:
        return word in path.read_bytes().lower()
    except FileNotFoundError:
        return False


def _attributes_elsewhere(common: Path, configs: list[Path]) -> bool:
    """Whether an attributes file other than a ``.gitattributes`` may exist: the repository's, the
    user's or the system's, or one a configuration file may name (``core.attributesFile``, or an
    include that might)."""
    home = Path(os.environ.get("HOME") or "~").expanduser()
    xdg = Path(os.environ["XDG_CONFIG_HOME"]) if os.environ.get("XDG_CONFIG_HOME") else home / ".config"
    git = shutil.which("git")
    prefix = Path(git).resolve().parent.parent if git else Path("/usr")
    etc = Path("/etc") if prefix == Path("/usr") else prefix / "etc"  # git's sysconfdir
    system_config = Path(os.environ.get("GIT_CONFIG_SYSTEM") or etc / "gitconfig")
    global_configs = ([Path(os.environ["GIT_CONFIG_GLOBAL"])] if os.environ.get("GIT_CONFIG_GLOBAL")
                      else [xdg / "git" / "config", home / ".gitconfig"])
    attributes = [common / "info" / "attributes", xdg / "git" / "attributes"]
    if not os.environ.get("GIT_ATTR_NOSYSTEM"):
        attributes += [etc / "gitattributes", Path("/etc/gitattributes")]
    return (any(os.path.lexists(path) for path in attributes)
            or any(_mentions(path, word) for path in [*configs, system_config, *global_configs]
                   for word in _MAY_NAME_ATTRIBUTES))


def read_if_blob(path: str, oid: str, max_bytes: int) -> bytes | None:
    """The file's content when it is the blob ``oid`` (and within ``max_bytes``); None otherwise.

    Raw ``os`` calls, as ``check`` reads a file (``reading._read_regular_file``): this runs for
    every blob the working tree holds — 11,000 at a commit of the realistic history — and ``open``'s
    buffered file object cost 0.05 s more of them than the reading itself. O_NONBLOCK: a FIFO put
    where the file was does not wait for a writer (it is no regular file: git is asked). Hashed
    unless ``Unhashed`` vouches for it, from its stat taken once it is read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        data = os.read(fd, info.st_size + 1)  # one byte more: a file that grew since is not taken whole
        if len(data) != info.st_size:
            return None
        unhashed = _UNHASHED
        if unhashed is not None and b"\r" not in data and unhashed.holds(path, oid, os.fstat(fd)):
            return data
    except OSError:
        return None
    finally:
        os.close(fd)
    digest = hashlib.sha1(usedforsecurity=False) if len(oid) == 40 else hashlib.sha256()
    digest.update(b"blob %d\0" % len(data))
    digest.update(data)
    return data if digest.hexdigest() == oid else None
