"""Baselines: accept the violations a project has today and report only new ones.

A baseline maps ``(relative path, code, fingerprint)`` to an occurrence count. The fingerprint is
``Violation.fingerprint(line_text)``: the code, the offending symbol and the whitespace-normalised
text of the violation's first line, so it contains no line numbers and survives edits elsewhere in
the file. When a key occurs more often than baselined, the extra occurrences (the last ones in
file order) are new.

Pure logic: the only I/O is :func:`load` and :func:`save`. The CLI supplies the line texts.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ssot_lsp.core.atomic import write_atomic

if TYPE_CHECKING:
    from ssot_lsp.core.violations import Violation

FORMAT_VERSION = 1
DEFAULT_FILE_NAME = ".ssot-baseline.json"

Key = tuple[str, str, str]  # (relative posix path, code, fingerprint)


class BaselineError(ValueError):
    """A baseline file that cannot be read or does not have the expected shape."""


@dataclass
class Baseline:
    counts: dict[Key, int] = field(default_factory=dict)
    # a readable note per key (the message when it was recorded); not part of the key
    notes: dict[Key, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.counts)

    @property
    def occurrences(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Keyed:
    """A violation with its baseline key."""

    violation: Violation
    key: Key


def key_for(violation: Violation, relpath: str, line_text: str) -> Key:
    return (relpath, violation.code, violation.fingerprint(line_text))


def build(items: Iterable[Keyed]) -> Baseline:
    """A baseline that accepts exactly ``items``."""
    baseline = Baseline()
    for item in items:
        baseline.counts[item.key] = baseline.counts.get(item.key, 0) + 1
        baseline.notes.setdefault(item.key, item.violation.message)
    return baseline


def filter_new(baseline: Baseline, items: Iterable[Keyed]) -> tuple[list[Violation], int]:
    """(violations not covered by the baseline, number of baselined ones), order preserved."""
    remaining = dict(baseline.counts)
    new: list[Violation] = []
    baselined = 0
    for item in items:
        left = remaining.get(item.key, 0)
        if left > 0:
            remaining[item.key] = left - 1
            baselined += 1
        else:
            new.append(item.violation)
    return new, baselined


@dataclass(frozen=True)
class ShrinkResult:
    baseline: Baseline
    removed_entries: int  # keys dropped entirely
    removed_occurrences: int  # total count reduction (includes the dropped entries' counts)


def shrink(baseline: Baseline, items: Iterable[Keyed], covered: Callable[[str, str], bool]) -> ShrinkResult:
    """Drop what was fixed; never add.

    ``covered(path, code)`` says whether this run could have seen that violation (the file was
    scanned and the rule ran); entries it does not cover are kept as they are, so partial runs
    never lose other files' entries.
    """
    seen = Counter(item.key for item in items)
    counts: dict[Key, int] = {}
    removed_entries = removed_occurrences = 0
    for key, count in baseline.counts.items():
        path, code, _ = key
        keep = count if not covered(path, code) else min(count, seen.get(key, 0))
        if keep > 0:
            counts[key] = keep
        else:
            removed_entries += 1
        removed_occurrences += count - keep
    notes = {k: v for k, v in baseline.notes.items() if k in counts}
    return ShrinkResult(Baseline(counts, notes), removed_entries, removed_occurrences)


def replace(baseline: Baseline, items: Iterable[Keyed], covered: Callable[[str, str], bool]) -> Baseline:
    """Record ``items`` for everything the run covered; keep the other entries as they were."""
    fresh = build(items)
    counts = {k: v for k, v in baseline.counts.items() if not covered(k[0], k[1])}
    notes = {k: v for k, v in baseline.notes.items() if k in counts}
    counts.update(fresh.counts)
    notes.update(fresh.notes)
    return Baseline(counts, notes)


# -- file format --------------------------------------------------------------------------------

def to_document(baseline: Baseline) -> dict:
    files: dict[str, list[dict]] = {}
    for key in sorted(baseline.counts):
        path, code, fingerprint = key
        entry = {"code": code, "fingerprint": fingerprint, "count": baseline.counts[key]}
        if key in baseline.notes:
            entry["message"] = baseline.notes[key]
        files.setdefault(path, []).append(entry)
    return {"version": FORMAT_VERSION, "tool": "ssot-lsp", "files": files}


def from_document(document: object, source: str = "baseline") -> Baseline:
    if not isinstance(document, dict):
        raise BaselineError(f"{source}: expected a JSON object")
    version = document.get("version")
    if version != FORMAT_VERSION:
        raise BaselineError(f"{source}: unsupported baseline version {version!r} (expected {FORMAT_VERSION})")
    files = document.get("files")
    if not isinstance(files, dict):
        raise BaselineError(f"{source}: 'files' must be an object")
    baseline = Baseline()
    for path, entries in files.items():
        if not isinstance(entries, list):
            raise BaselineError(f"{source}: files[{path!r}] must be a list")
        for index, entry in enumerate(entries):
            where = f"{source}: files[{path!r}][{index}]"
            if not isinstance(entry, dict):
                raise BaselineError(f"{where} must be an object")
            code, fingerprint, count = entry.get("code"), entry.get("fingerprint"), entry.get("count", 1)
            if not isinstance(code, str) or not isinstance(fingerprint, str):
                raise BaselineError(f"{where}: 'code' and 'fingerprint' must be strings")
            if not isinstance(count, int) or isinstance(count, bool) or count < 1:
                raise BaselineError(f"{where}: 'count' must be an integer >= 1")
            key = (path, code, fingerprint)
            baseline.counts[key] = baseline.counts.get(key, 0) + count
            message = entry.get("message")
            if isinstance(message, str):
                baseline.notes.setdefault(key, message)
    return baseline


def dumps(baseline: Baseline) -> str:
    return json.dumps(to_document(baseline), indent=2, ensure_ascii=False) + "\n"


def load(path: Path) -> Baseline:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise BaselineError(f"{path}: not UTF-8: {exc.reason}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: invalid JSON: {exc}") from None
    return from_document(document, str(path))


def save(baseline: Baseline, path: Path) -> None:
    """Write atomically, so an interrupted run never leaves half a baseline behind."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, dumps(baseline).encode("utf-8"))
